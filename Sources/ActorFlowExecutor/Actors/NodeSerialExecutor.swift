@_spi(ActorFlowInternal) import ActorFlowCore
import Synchronization

/// The `SerialExecutor` of one node actor: its jobs run on a ``WorkStealingExecutor``'s workers, one at a
/// time, in the order they were enqueued.
///
/// Each actor gets its own executor (its `unownedExecutor`), as Swift's rules require, so "each op is an
/// actor" is literal. Synchronous firings do not send jobs here: a worker fires a node synchronously
/// after claiming the executor with ``tryAcquire()`` (one compare-and-swap) and ``release()``s it after.
/// Jobs are how an async kernel's node comes back: when the kernel returns, its task hops to the node actor
/// to deliver the outputs, and that continuation is a job queued here and drained on the pool (on the
/// injection queue of the NUMA node of the thread that resumed it), or on the caller's thread for a
/// `.callerThread` step (``route(to:)``). Jobs serialize with firings: a job enqueued while a firing holds
/// the executor runs after the firing releases it.
///
///     actor NodeActor {
///         let executor: NodeSerialExecutor
///         init(pool: WorkStealingExecutor) { executor = NodeSerialExecutor(pool: pool) }
///         nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
///     }
///     // hot path, on a worker:
///     if node.executor.tryAcquire() { defer { node.executor.release() }; fire(node) }
///
/// Thread safety: every method may be called from any thread.
package final class NodeSerialExecutor: SerialExecutor, WorkTarget {
    private enum RunState {
        static let idle = 0
        /// Claimed by ``tryAcquire()`` (a firing).
        static let held = 1
        /// Claimed by a drain of queued jobs (scheduled on the pool or running).
        static let draining = 2
    }

    /// Jobs drained per turn before the drain yields the worker to other work.
    private static let drainBudget = 64

    /// The pool the jobs run on.
    package let pool: WorkStealingExecutor
    private let state = Atomic<Int>(RunState.idle)
    /// The queued jobs, where drains run and who watches them, under one lock stored in place: a step makes an
    /// executor per plan node, and the three are rarely touched outside async kernels.
    private let guarded = InlineLocked(Guarded())
    private let jobCount = Atomic<Int>(0)
    /// The thread-local mark a ``tryAcquire()`` replaced, restored by ``release()``; only the holder
    /// touches it.
    private let savedMark = Atomic<UInt>(0)

    private struct Guarded {
        var jobs = JobQueue()
        /// Where drains run instead of the pool (see ``route(to:)``).
        var route: CallerRunLoop?
        /// Told about every job a drain runs (see ``observeJobs(with:)``).
        var observer: (any SerialJobObserver)?
    }

    /// Creates an executor whose jobs run on `pool`.
    package init(pool: WorkStealingExecutor = .shared) {
        self.pool = pool
    }

    // MARK: Firings

    /// Claims the executor for a firing on the calling thread. Returns `false` when a firing or a drain of
    /// queued jobs holds it (try again later; do not spin).
    ///
    /// While held, ``isIsolatingCurrentContext()`` is `true` on this thread, so `assumeIsolated` works.
    package func tryAcquire() -> Bool {
        guard state.compareExchange(
            expected: RunState.idle, desired: RunState.held, ordering: .sequentiallyConsistent
        ).exchanged else { return false }
        savedMark.store(CurrentSerialExecutor.exchange(self), ordering: .relaxed)
        return true
    }

    /// Ends a firing started by a successful ``tryAcquire()`` on this thread; jobs that arrived meanwhile
    /// are scheduled now.
    package func release() {
        CurrentSerialExecutor.restore(savedMark.load(ordering: .relaxed))
        state.store(RunState.idle, ordering: .sequentiallyConsistent)
        scheduleDrainIfNeeded()
    }

    /// Whether the calling thread holds this executor: inside a firing it claimed or a job it runs.
    package var isHeldByCurrentThread: Bool { CurrentSerialExecutor.isCurrent(self) }

    // MARK: SerialExecutor

    /// Queues a job; it runs on the pool after the jobs before it, never during a firing.
    package func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        guarded.withLock(annotating: self) { guarded in
            guarded.jobs.append(unownedJob)
            jobCount.add(1, ordering: .sequentiallyConsistent)
        }
        if state.compareExchange(
            expected: RunState.idle, desired: RunState.draining, ordering: .sequentiallyConsistent
        ).exchanged {
            scheduleDrain()
        }
    }

    /// Whether this executor's job or firing is running on the calling thread.
    package func isIsolatingCurrentContext() -> Bool? {
        CurrentSerialExecutor.isCurrent(self)
    }

    /// Stops the program unless this executor's job or firing is running on the calling thread (Swift
    /// calls this for `assumeIsolated` and isolation assertions).
    package func checkIsolated() {
        precondition(
            CurrentSerialExecutor.isCurrent(self),
            "Incorrect actor executor assumption: not running on this node's NodeSerialExecutor")
    }

    // MARK: Draining

    private func scheduleDrainIfNeeded() {
        guard jobCount.load(ordering: .sequentiallyConsistent) > 0 else { return }
        if state.compareExchange(
            expected: RunState.idle, desired: RunState.draining, ordering: .sequentiallyConsistent
        ).exchanged {
            scheduleDrain()
        }
    }

    /// Sends the drains of this executor to `loop` (the caller's thread of a `.callerThread` step with async
    /// kernels), or back to the pool (`nil`).
    package func route(to loop: CallerRunLoop?) {
        guarded.withLock(annotating: self) { $0.route = loop }
    }

    /// Has `observer` told before and after every job a drain runs from now on (`nil`: nobody); a traced async
    /// kernel's firing times its resumptions this way.
    package func observeJobs(with observer: (any SerialJobObserver)?) {
        guarded.withLock(annotating: self) { $0.observer = observer }
    }

    private func scheduleDrain() {
        // The executor is its own drain item: scheduling a drain allocates nothing.
        let item = WorkItem(target: self, index: 0)
        if let loop = guarded.withLock(annotating: self, { $0.route }) {
            loop.push(item)
        } else if !pool.enqueueFromAnyThread(item) {
            pool.runAfterShutdown([item])
        }
    }

    /// Runs queued jobs (the executor is in the draining state), then gives the executor back.
    private func drain() {
        var budget = NodeSerialExecutor.drainBudget
        let serial = unsafe asUnownedSerialExecutor()
        let task =
            unsafe guarded.withLock(annotating: self, { $0.route })?.asUnownedTaskExecutor() ?? pool.asUnownedTaskExecutor()
        while budget > 0 {
            // The observer is read per job: a drain can run the end of one step's task and the start of the next's.
            let (next, observer) = guarded.withLock(annotating: self) { ($0.jobs.popFirst(), $0.observer) }
            guard let job = next else { break }
            jobCount.subtract(1, ordering: .relaxed)
            let previous = CurrentSerialExecutor.exchange(self)
            observer?.jobWillRun()
            unsafe job.runSynchronously(isolatedTo: serial, taskExecutor: task)
            observer?.jobDidRun()
            CurrentSerialExecutor.restore(previous)
            budget -= 1
        }
        if budget == 0 && jobCount.load(ordering: .sequentiallyConsistent) > 0 {
            scheduleDrain()
            return
        }
        state.store(RunState.idle, ordering: .sequentiallyConsistent)
        scheduleDrainIfNeeded()
    }

    /// The number of jobs waiting (tests).
    package var testsOnly_queuedJobCount: Int { jobCount.load(ordering: .relaxed) }

    /// Drains the queued jobs (the executor is the work item of its own drains).
    package func run(_ index: Int, in context: inout WorkerContext) { drain() }
}

/// Told around each job a ``NodeSerialExecutor`` runs (see ``NodeSerialExecutor/observeJobs(with:)``), on the
/// thread that runs it.
package protocol SerialJobObserver: AnyObject, Sendable {
    func jobWillRun()
    func jobDidRun()
}

/// A FIFO of queued jobs (guarded by the executor's mutex).
private struct JobQueue {
    private var items: [UnownedJob?] = []
    private var head = 0

    mutating func append(_ job: UnownedJob) { items.append(job) }

    mutating func popFirst() -> UnownedJob? {
        guard head < items.count else { return nil }
        let job = items[head]
        items[head] = nil
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
