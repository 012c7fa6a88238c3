@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing

/// The task executor of one traced async kernel: it runs the kernel's jobs where the step's async kernels run
/// (the pool, or the caller's loop of a `.callerThread` step) and times them, so the step statistics can say how
/// long the kernel was suspended and LTTng can show where it suspended and which worker resumed it.
///
/// Every stretch of the kernel between two suspensions is one job of its task, and every job of a task that
/// prefers a task executor comes through that executor's `enqueue`: so each job that ends before the kernel
/// returned is a suspension (`op_suspend`), and each job after the first is a resumption (`op_resume`, on the
/// worker that runs it). The suspended time is the kernel's wall time minus the time its jobs ran.
///
///     let clock = AsyncKernelClock(step: step, opID: 3, pool: pool, loop: nil)
///     Task.detached(executorPreference: clock) {
///         let outputs = try await kernel(context)
///         clock.kernelReturned()
///     }
final class AsyncKernelClock: TaskExecutor, WorkTarget {
    private struct Times {
        var firstStart: UInt64 = 0
        var currentStart: UInt64 = 0
        /// The time the kernel's jobs ran, up to its return.
        var running: UInt64 = 0
        var jobs = 0
        /// Set when the kernel returned; the jobs after it (the hop to deliver, the task's end) are not the kernel.
        var returned = false
        var end: UInt64 = 0
        var jobsAtReturn = 0
    }

    private let stepID: Int
    private let opID: Int
    private let name: InternedCString
    private let emitsEvents: Bool
    private let pool: WorkStealingExecutor
    private let loop: CallerRunLoop?
    private let times = Locked(Times())

    init(stepID: Int64, opID: Int, tracing: StepTracing, pool: WorkStealingExecutor, loop: CallerRunLoop?) {
        self.stepID = Int(stepID)
        self.opID = opID
        self.name = tracing.names.names[opID]
        self.emitsEvents = tracing.emitsEvents
        self.pool = pool
        self.loop = loop
    }

    /// Queues a job of the kernel's task where the step's async kernels run.
    func enqueue(_ job: consuming ExecutorJob) {
        let item = WorkItem(target: self, index: unsafe unsafeBitCast(UnownedJob(job), to: Int.self))
        if let loop { loop.push(item) } else { pool.enqueue(fromAnyThread: item) }
    }

    /// Runs one job of the kernel (item `index` is the job's bit pattern), timed.
    func run(_ index: Int, in context: inout WorkerContext) {
        let job = unsafe unsafeBitCast(index, to: UnownedJob.self)
        let start = TraceClock.now()
        let resumed = times.withLock { times -> Bool in
            if times.jobs == 0 { times.firstStart = start }
            times.jobs += 1
            times.currentStart = start
            return times.jobs > 1 && !times.returned
        }
        let (worker, numaNode) = (CurrentWorker.index ?? -1, CurrentWorker.numaNode ?? -1)
        if resumed, emitsEvents {
            Tracepoints.opResume(stepID: stepID, opID: opID, name: name, worker: worker, numaNode: numaNode)
        }
        unsafe job.runSynchronously(on: asUnownedTaskExecutor())
        let end = TraceClock.now()
        let suspends = times.withLock { times -> Bool in
            guard !times.returned else { return false }
            times.running += end - start
            return true
        }
        if suspends, emitsEvents {
            Tracepoints.opSuspend(stepID: stepID, opID: opID, name: name, worker: worker, numaNode: numaNode)
        }
    }

    /// Called by the kernel's task right after the kernel returned (or threw).
    func kernelReturned() {
        let now = TraceClock.now()
        times.withLock { times in
            times.returned = true
            times.end = now
            times.running += now - times.currentStart
            times.jobsAtReturn = times.jobs
        }
    }

    /// When the kernel returned, how long it was suspended and how many times.
    var measured: (end: UInt64, suspendedNanos: UInt64, suspensions: Int) {
        times.withLock { times in
            let wall = times.end > times.firstStart ? times.end - times.firstStart : 0
            return (times.end, wall - min(times.running, wall), max(0, times.jobsAtReturn - 1))
        }
    }
}
