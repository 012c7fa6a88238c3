/// What runs the chunks of a kernel's ``KernelContext/parallelFor(_:grain:_:)`` on more than one thread: the
/// session's pool, seen from the vocabulary module (which knows no threads). The executor implements it.
package protocol IntraOpPool: AnyObject, Sendable {
    /// How many threads could run chunks at once (the pool's workers).
    var parallelism: Int { get }

    /// Calls `chunk(i)` once for each `i` in `0..<count`, on up to `participants` threads, the calling thread
    /// among them, and returns when every call returned.
    ///
    /// The calling thread runs chunks itself while others are in flight and never sleeps, so nested and recursive
    /// use cannot deadlock the pool. Once `cancellation` is cancelled or past its deadline, no further chunk is
    /// handed out and the call throws (``StepCancellation/stopError``); the first error a chunk throws also stops
    /// the hand-out and is rethrown.
    func run(
        chunks count: Int, participants: Int, cancellation: StepCancellation, _ chunk: @Sendable (Int) throws -> Void
    ) throws
}

/// A session's intra-op setting on its pool: what a step lends its kernels for `parallelFor`.
///
/// A step passes its runner to every kernel context it makes, unretained (the step holds it), so a kernel that
/// never calls `parallelFor` pays nothing for it.
///
///     let runner = IntraOpRunner(pool: somePool, limit: 0)   // every worker of the pool
package final class IntraOpRunner: Sendable {
    let pool: any IntraOpPool
    /// The most chunks that run at once, the calling thread's included (at least 1).
    package let maxParallelism: Int

    /// A runner on `pool` with at most `limit` chunks in flight (0: one per worker; 1: every chunk on the caller).
    package init(pool: any IntraOpPool, limit: Int) {
        self.pool = pool
        self.maxParallelism = max(1, limit <= 0 ? pool.parallelism : min(limit, pool.parallelism))
    }

    /// Runs chunks `0..<count` on up to ``maxParallelism`` threads
    /// (see ``IntraOpPool/run(chunks:participants:cancellation:_:)``).
    func run(chunks count: Int, cancellation: StepCancellation, _ chunk: @Sendable (Int) throws -> Void) throws {
        try pool.run(chunks: count, participants: min(maxParallelism, count), cancellation: cancellation, chunk)
    }
}
