@_spi(ActorFlowInternal) import ActorFlowCore
import Synchronization

/// The `SerialExecutor` of one node actor: its jobs run on a ``WorkStealingExecutor``'s workers, one at a
/// time, in the order they were enqueued.
///
/// Each actor gets its own executor (its `unownedExecutor`), as Swift's rules require, so "each op is an
/// actor" is literal. The session's hot path does not send jobs here: a worker fires a node synchronously
/// after claiming the executor with ``tryAcquire()`` (one compare-and-swap) and ``release()``s it after.
/// Jobs (an `await node.someMethod()` from elsewhere) serialize with those firings: a job enqueued while a
/// firing holds the executor runs after the firing releases it.
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
package final class NodeSerialExecutor: SerialExecutor, Sendable {
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
    private let jobs = Locked(JobQueue())
    private let jobCount = Atomic<Int>(0)
    /// The thread-local mark a ``tryAcquire()`` replaced, restored by ``release()``; only the holder
    /// touches it.
    private let savedMark = Atomic<UInt>(0)

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

    /// Whether the calling thread holds this executor: inside a firing it claimed, a job it runs, or a
    /// deferred firing. A firing that finds this `true` runs directly, without ``tryAcquire()``.
    package var isHeldByCurrentThread: Bool { CurrentSerialExecutor.isCurrent(self) }

    /// Queues a firing that found the executor busy (``tryAcquire()`` returned `false`): `item` runs on the
    /// pool after the current holder releases, in order with the executor's jobs, while the executor is
    /// held for it (``isHeldByCurrentThread`` is `true` inside). Work it pushes goes to the running
    /// worker's deque. Queued in FIFO order, so a busy executor cannot make its firing spin.
    ///
    ///     if node.executor.isHeldByCurrentThread {
    ///         fire(node)
    ///     } else if node.executor.tryAcquire() {
    ///         fire(node); node.executor.release()
    ///     } else {
    ///         node.executor.deferFiring(WorkItem(target: step, index: nodeID))
    ///     }
    package func deferFiring(_ item: WorkItem) {
        append(.firing(item))
    }

    // MARK: SerialExecutor

    /// Queues a job; it runs on the pool after the jobs before it, never during a firing.
    package func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        append(.job(unownedJob))
    }

    private func append(_ entry: QueuedWork) {
        jobs.withLock { queue in
            queue.append(entry)
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

    private func scheduleDrain() {
        let item = WorkItem(target: Drain(executor: self), index: 0)
        if !pool.enqueueFromAnyThread(item) {
            pool.runAfterShutdown([item])
        }
    }

    /// Runs queued jobs and deferred firings (the executor is in the draining state), then gives the
    /// executor back.
    fileprivate func drain(in context: inout WorkerContext) {
        var budget = NodeSerialExecutor.drainBudget
        let serial = unsafe asUnownedSerialExecutor()
        let task = unsafe pool.asUnownedTaskExecutor()
        while budget > 0, let entry = jobs.withLock({ $0.popFirst() }) {
            jobCount.subtract(1, ordering: .relaxed)
            let previous = CurrentSerialExecutor.exchange(self)
            switch entry {
            case .job(let job): unsafe job.runSynchronously(isolatedTo: serial, taskExecutor: task)
            case .firing(let item): item.run(in: &context)
            }
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
}

/// The work item that drains a ``NodeSerialExecutor``.
private final class Drain: WorkTarget {
    let executor: NodeSerialExecutor
    init(executor: NodeSerialExecutor) { self.executor = executor }
    func run(_ index: Int, in context: inout WorkerContext) { executor.drain(in: &context) }
}

/// What a ``NodeSerialExecutor`` queues: Swift jobs and deferred firings.
private enum QueuedWork {
    case job(UnownedJob)
    case firing(WorkItem)
}

/// A FIFO of queued work (guarded by the executor's mutex).
private struct JobQueue {
    private var items: [QueuedWork?] = []
    private var head = 0

    mutating func append(_ entry: QueuedWork) { items.append(entry) }

    mutating func popFirst() -> QueuedWork? {
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
