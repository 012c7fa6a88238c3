/// A unit of schedulable work: "run item `index` of `target`".
///
/// The executor knows nothing of graphs: a step of a session is a ``WorkTarget`` whose items are node ids.
/// A work item is four plain words — no reference counting when it is copied, queued or stolen — so
/// queuing one never allocates, and workers sharing a target do not contend on its reference count.
///
/// An item made with ``init(target:index:)`` keeps its target alive until it has run. One made with
/// ``init(borrowing:index:)`` does not: the caller guarantees that the target outlives every item it made,
/// which is how a session's step pushes its nodes (the session holds the step until its last node ran).
///
///     pool.submit([WorkItem(target: job, index: 0)])           // `job` is kept alive until it ran
///     context.push(WorkItem(borrowing: self, index: next))     // `self` outlives the item
public struct WorkItem: Sendable {
    /// The target's address, with bit 0 set when the item owns a reference to it.
    @usableFromInline let objectBits: UInt
    /// The target's type, through which the item is run without touching the target's reference count.
    @usableFromInline let targetType: any WorkTarget.Type
    /// Which item of the target to run.
    public let index: Int

    /// An item that keeps `target` alive until it has run.
    public init<Target: WorkTarget>(target: Target, index: Int) {
        objectBits = Self.bits(of: target, retaining: true)
        targetType = Target.self
        self.index = index
    }

    /// An item that does not keep `target` alive: `target` must outlive the item's run.
    public init<Target: WorkTarget>(borrowing target: Target, index: Int) {
        objectBits = Self.bits(of: target, retaining: false)
        targetType = Target.self
        self.index = index
    }

    /// Whether the item holds a reference to its target.
    @usableFromInline var ownsTarget: Bool { objectBits & 1 != 0 }

    // `target`, `run(in:)` and `discard()` are in _UnsafeWorkItemTarget.swift.
}

/// Something whose items a ``WorkScheduler`` runs (a step of a session: items are node ids).
///
/// `run` is called on a scheduler thread. It may push more items through `context` (they run on the
/// same scheduler, possibly on other threads) and should keep one ready successor to run itself rather
/// than push it (continuation passing), as the session's steps do.
public protocol WorkTarget: AnyObject, Sendable {
    /// Runs item `index`.
    func run(_ index: Int, in context: inout WorkerContext)

    /// Runs item `index` of the target at `object` without retaining it (provided by the executor; do not
    /// implement).
    static func _runItem(at object: Unmanaged<AnyObject>, _ index: Int, in context: inout WorkerContext)
}

/// Where a running item sends the work it makes ready, and which thread it is running on.
public struct WorkerContext: ~Copyable {
    /// The scheduler-specific destination of pushed work.
    @usableFromInline let sink: any WorkSink
    /// The worker's index in its pool (0 on the caller's thread or on Swift's global executor).
    public let workerIndex: Int
    /// The NUMA node the worker is pinned to (0 when unknown).
    public let numaNode: Int
    /// How many ready successors the running item ran itself instead of pushing them (see
    /// ``recordInlineContinuation()``); the pool adds them to its per-worker counters.
    public private(set) var inlineContinuations: Int = 0

    public init(sink: any WorkSink, workerIndex: Int, numaNode: Int) {
        self.sink = sink
        self.workerIndex = workerIndex
        self.numaNode = numaNode
    }

    /// Counts one ready successor that the running item keeps and runs itself (continuation passing)
    /// instead of pushing it. A plain addition on the worker's own context: free to call per firing.
    ///
    ///     if let next = readySuccessors.popLast() {
    ///         context.recordInlineContinuation()
    ///         index = next        // loop and fire it here
    ///     }
    public mutating func recordInlineContinuation() {
        inlineContinuations &+= 1
    }

    /// Reads and clears the inline-continuation count (the pool calls this after each item).
    mutating func takeInlineContinuations() -> Int {
        defer { inlineContinuations = 0 }
        return inlineContinuations
    }

    /// Makes `item` runnable: on a work-stealing pool it goes to this worker's deque, where idle workers
    /// can steal it.
    @inlinable
    public func push(_ item: WorkItem) {
        sink.push(item)
    }
}

extension WorkScheduler {
    public func start(_ items: [WorkItem]) { submit(items) }
}

/// The per-scheduler implementation of ``WorkerContext/push(_:)``.
public protocol WorkSink: Sendable {
    func push(_ item: WorkItem)
}

/// Runs work items: a pool of threads, Swift's global executor, or the calling thread.
///
/// ``submit(_:)`` is called from outside the scheduler (the thread that called `Session.run`).
public protocol WorkScheduler: AnyObject, Sendable {
    /// Makes `items` runnable. A caller-thread scheduler runs them (and all work they push) before
    /// returning; the others return at once.
    func submit(_ items: [WorkItem])
    /// Makes `items` runnable to start a step. A scheduler may run some of them on the calling thread before
    /// returning (the work-stealing pool runs the first one there: ``WorkStealingExecutor`` "work-first"
    /// starts); the default is ``submit(_:)``.
    func start(_ items: [WorkItem])
    /// How many items can run at once.
    var parallelism: Int { get }
    /// The policy this scheduler implements.
    var policy: SchedulingPolicy { get }
}
