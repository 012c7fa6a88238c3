/// Swift concurrency on the pool: `Task(executorPreference: pool)` and `withTaskExecutorPreference` run
/// their jobs on the workers.
///
///     let value = await Task(executorPreference: WorkStealingExecutor.shared) {
///         CurrentWorker.index != nil       // true: the task runs on a pool worker
///     }.value
extension WorkStealingExecutor {
    /// Queues a job on the injection queue of the caller's NUMA node (first in, first out, so tasks that
    /// yield take turns). A job is wrapped in a ``WorkItem`` without allocating. After ``shutdown()`` jobs
    /// go to Swift's global concurrent executor.
    public func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let item = WorkItem(target: jobRunner, index: unsafe unsafeBitCast(unownedJob, to: Int.self))
        if !enqueueFromAnyThread(item) {
            globalConcurrentExecutor.enqueue(unownedJob)
        }
    }
}

/// Runs the Swift jobs the pool was handed: item `index` is the job's bit pattern.
@safe final class JobRunner: WorkTarget, @unchecked Sendable {
    /// The pool as a task executor. Written once by the pool's init before any worker thread starts,
    /// read-only afterwards.
    var executor: UnownedTaskExecutor?

    func run(_ index: Int, in context: inout WorkerContext) {
        let job = unsafe unsafeBitCast(index, to: UnownedJob.self)
        unsafe job.runSynchronously(on: executor!)
    }
}
