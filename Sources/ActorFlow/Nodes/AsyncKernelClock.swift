@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing

/// Times one traced async kernel's stretches on its node actor, so the step statistics can say how long the kernel
/// was suspended and LTTng can show where it suspended and which worker resumed it.
///
/// The kernel runs isolated to its node actor: its first stretch runs where the node fired, and every later one is
/// a job of the node's ``NodeSerialExecutor``, whose drains tell this clock before and after each job (see
/// ``NodeSerialExecutor/observeJobs(with:)``). So each stretch that ends before the kernel returned is a suspension
/// (`op_suspend`), and each stretch after the first is a resumption (`op_resume`, on the worker that runs it). The
/// suspended time is the kernel's wall time minus the time its stretches ran.
///
///     let clock = AsyncKernelClock(stepID: 7, opID: 3, tracing: tracing)
///     node.executor.observeJobs(with: clock)
///     clock.jobWillRun()
///     let task = Task.immediate { … clock.kernelReturned() … }   // runs until the kernel first suspends
///     clock.jobDidRun()
final class AsyncKernelClock: SerialJobObserver {
    private struct Times {
        var firstStart: UInt64 = 0
        var currentStart: UInt64 = 0
        /// The time the kernel's stretches ran, up to its return.
        var running: UInt64 = 0
        var stretches = 0
        /// Set when the kernel returned; later jobs on the node are not the kernel's.
        var returned = false
        var end: UInt64 = 0
        var stretchesAtReturn = 0
    }

    private let stepID: Int
    private let opID: Int
    private let name: InternedCString
    private let emitsEvents: Bool
    /// The step's clock, which the op's record is read on.
    private let clock: StepClock
    private let times = Locked(Times())

    init(stepID: Int64, opID: Int, tracing: StepTracing) {
        self.stepID = Int(stepID)
        self.opID = opID
        self.name = tracing.names.names[opID]
        self.emitsEvents = tracing.emitsEvents
        self.clock = tracing.clock
    }

    /// A stretch of the kernel begins on the calling thread.
    func jobWillRun() {
        let start = clock.now()
        let resumed = times.withLock { times -> Bool in
            guard !times.returned else { return false }
            if times.stretches == 0 { times.firstStart = start }
            times.stretches += 1
            times.currentStart = start
            return times.stretches > 1
        }
        if resumed, emitsEvents {
            Tracepoints.opResume(
                stepID: stepID, opID: opID, name: name, worker: CurrentWorker.index ?? -1,
                numaNode: CurrentWorker.numaNode ?? -1)
        }
    }

    /// The stretch ended: the kernel suspended, unless it returned.
    func jobDidRun() {
        let end = clock.now()
        let suspended = times.withLock { times -> Bool in
            guard !times.returned else { return false }
            times.running += end - times.currentStart
            return true
        }
        if suspended, emitsEvents {
            Tracepoints.opSuspend(
                stepID: stepID, opID: opID, name: name, worker: CurrentWorker.index ?? -1,
                numaNode: CurrentWorker.numaNode ?? -1)
        }
    }

    /// Called by the kernel's task right after the kernel returned (or threw), inside its last stretch.
    func kernelReturned() {
        let now = clock.now()
        times.withLock { times in
            times.returned = true
            times.end = now
            times.running += now - times.currentStart
            times.stretchesAtReturn = times.stretches
        }
    }

    /// When the kernel returned, how long it was suspended and how many times.
    var measured: (end: UInt64, suspendedNanos: UInt64, suspensions: Int) {
        times.withLock { times in
            let wall = times.end > times.firstStart ? times.end - times.firstStart : 0
            return (times.end, wall - min(times.running, wall), max(0, times.stretchesAtReturn - 1))
        }
    }
}
