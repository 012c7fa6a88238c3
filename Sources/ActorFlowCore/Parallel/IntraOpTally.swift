import Synchronization

/// How a traced firing's kernel spread its loops over the pool: how many of its loops were large enough to cut into
/// chunks, and how many chunks each worker ran. What a traced op's step statistics report (its `timeline_label`
/// suffix, `" [intra-op 2 loops, 12 chunks: w0 7, w1 5]"`).
///
/// ## Why an armed, thread-local tally
/// Kernels split their loops through ``KernelContext/parallelFor(_:grain:_:)`` and its relatives, which know nothing
/// of tracing, and a tally in every kernel context would cost each untraced firing a word to set. Instead a traced
/// firing *arms* its node's tally on its own thread around the kernel (``arm(_:worker:)``: a C11 `_Thread_local`
/// slot, as the current allocation scope is). A loop larger than its grain reads the slot once — one thread-local
/// load, `nil` in untraced steps, which then pay nothing else, and nothing per chunk. When a tally is armed, the
/// loop counts itself, and the threads that run its chunks add their chunks to it before they report them finished
/// (so the firing, which waits for every chunk, reads complete counts) and arm it on their own threads while they
/// run them, so loops nested in a chunk count too, wherever the chunk runs.
///
/// A loop counts once it is larger than one grain, whether or not it ran on several threads: with
/// `intraOpParallelism: 1` a `parallelFor` is one chunk on the firing thread, a `parallelReduce` its chunks there
/// one after another. Loops of one grain or less are not counted.
///
/// Each node has one tally, made on its first traced firing and reused after: a node fires at most once at a time,
/// so its tally serves one firing at a time, and a firing that split nothing reads it with one atomic load.
///
///     let tally = IntraOpTally(workers: 2)
///     let armed = IntraOpTally.arm(tally, worker: 0)
///     defer { IntraOpTally.restore(armed) }
///     try kernel(context)                        // its loops count themselves and their chunks
///     tally.take()                               // loops 1, chunks [(worker: 0, 5), (worker: 1, 3)]
///
/// Thread-safety: counting is atomic (relaxed: the chunks' finished reports order them before the firing's
/// ``take()``); ``take()`` is for the firing thread, after the kernel returned.
package final class IntraOpTally: Sendable {
    /// Loops counted since the last ``take()``.
    private let loops = Atomic<Int>(0)
    /// Chunks per worker: slot 0 for threads off the pool, slot `w + 1` for worker `w`.
    private let counters: AtomicCounters

    /// A tally for a pool of `workers` workers (indexes `0..<workers`; others count as off the pool).
    package init(workers: Int) {
        counters = AtomicCounters(count: max(0, workers) + 1)
    }

    /// What a tally counted: the loops, and the chunks of each worker that ran any.
    package struct Reading: Sendable {
        /// Loops larger than one grain.
        package var loops: Int
        /// Worker index and chunks, workers in index order, then -1 (threads off the pool); only workers that ran
        /// at least one chunk.
        package var chunks: [(worker: Int, chunks: Int)]
    }

    /// Counts one loop larger than one grain (the thread that starts it, before its chunks run).
    @inline(__always)
    package func countLoop() {
        loops.wrappingAdd(1, ordering: .relaxed)
    }

    /// Adds `count` chunks run by `worker` (-1: a thread off the pool). Call before reporting them finished.
    @inline(__always)
    package func countChunks(_ count: Int, worker: Int) {
        counters.add(count, at: worker >= 0 && worker + 1 < counters.count ? worker + 1 : 0)
    }

    /// What was counted since the last call, or `nil` when no loop was (then nothing is read but one counter);
    /// starts the counts afresh. Call on the firing thread once its kernel returned: every chunk has finished then.
    package func take() -> Reading? {
        let loops = loops.exchange(0, ordering: .relaxed)
        guard loops > 0 else { return nil }
        var chunks: [(worker: Int, chunks: Int)] = []
        for slot in 1..<counters.count {
            let count = counters.exchange(0, at: slot)
            if count > 0 { chunks.append((slot - 1, count)) }
        }
        let offPool = counters.exchange(0, at: 0)
        if offPool > 0 { chunks.append((-1, offPool)) }
        return Reading(loops: loops, chunks: chunks)
    }

    /// Counts a loop that runs on the calling thread alone as `chunks` chunks of the thread's worker, if a tally is
    /// armed here (one thread-local load otherwise).
    @inline(__always)
    package static func countLoopOnCallingThread(chunks: Int) {
        guard let tally = armed else { return }
        tally.countLoop()
        tally.countChunks(chunks, worker: armedWorker)
    }
}
