@_spi(ActorFlowInternal) import ActorFlowCore

/// Runs the chunks of kernels' `parallelFor` on a ``WorkStealingExecutor``'s workers: the ``IntraOpPool`` behind a
/// session's pool policies.
///
/// A loop of `n` chunks becomes one ``IntraOpJob`` and `participants - 1` helper items on the calling worker's
/// deque (on the injection queue when the caller is not a worker, as in a step started on the caller's thread).
/// Every participant — the caller first, then each helper a worker steals — claims chunks from the job's counter
/// until none is left, so a helper that arrives late finds nothing and costs one atomic add. The caller then
/// waits, spinning, only for chunks that other threads are running at that moment; it never waits for an item
/// sitting in a queue, which is why nested and recursive loops from many kernels at once cannot deadlock.
///
///     let runner = IntraOpRunner(pool: PoolIntraOp(pool: pool), limit: 0)   // every worker
package final class PoolIntraOp: IntraOpPool {
    let pool: WorkStealingExecutor

    package init(pool: WorkStealingExecutor) {
        self.pool = pool
    }

    package var parallelism: Int { pool.parallelism }

    package func run(
        chunks count: Int, participants: Int, cancellation: StepCancellation, _ chunk: @Sendable (Int) throws -> Void
    ) throws {
        // A traced firing's tally, armed on this thread (see IntraOpTally): one thread-local load per loop, and
        // nothing more when untraced.
        let tally = IntraOpTally.armed
        tally?.countLoop()
        let helpers = min(participants, count) - 1
        guard helpers > 0, !pool.isShutDown else {
            try Self.runHere(chunks: count, cancellation: cancellation, chunk, counting: tally)
            return
        }
        try withoutActuallyEscaping(chunk) { chunk in
            let job = IntraOpJob(count: count, cancellation: cancellation, chunk: chunk, tally: tally)
            pool.submitToDeques((0..<helpers).map { _ in WorkItem(target: job, index: 0) })
            if let tally {
                job.participate(counting: tally, worker: IntraOpTally.armedWorker)
            } else {
                job.participate()
            }
            job.waitForChunksInFlight()
            try job.finish()
        }
    }

    /// Runs every chunk on the calling thread (no helpers, or the pool is shutting down), counting them as this
    /// thread's in `tally` when there is one.
    private static func runHere(
        chunks count: Int, cancellation: StepCancellation, _ chunk: @Sendable (Int) throws -> Void,
        counting tally: IntraOpTally?
    ) throws {
        guard let tally else {
            for index in 0..<count {
                if cancellation.shouldStop { throw cancellation.stopError }
                try chunk(index)
            }
            return
        }
        let worker = IntraOpTally.armedWorker
        for index in 0..<count {
            if cancellation.shouldStop { throw cancellation.stopError }
            tally.countChunks(1, worker: worker)
            try chunk(index)
        }
    }
}
