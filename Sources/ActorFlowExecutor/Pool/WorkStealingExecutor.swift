@_spi(ActorFlowInternal) import ActorFlowCore
import Synchronization

/// A pool of pinned worker threads, grouped by NUMA node, each with a work-stealing deque: ActorFlow's
/// executor.
///
/// Work an item makes ready goes to its worker's deque; an idle worker looks at its own node's injection
/// queue and node-mates first, then at nearer nodes before farther ones (or at random victims with
/// `.workStealing(numaAware: false)`), spins briefly, then sleeps until work appears. Work submitted from
/// outside the pool lands in the injection queue of the submitter's node; a `submit` from inside an item
/// pushes to the calling worker's own deque.
///
/// It is also a Swift `TaskExecutor` (`Task(executorPreference: pool) { … }` runs on these threads), and
/// the ``NodeSerialExecutor``s of node actors run their jobs here.
///
///     let pool = WorkStealingExecutor(workers: 2)
///     let done = CompletionLatch(count: 1)
///     pool.submit([WorkItem(target: myStep, index: 0)])   // myStep.run(0, in:) ends with done.countDown()
///     done.wait()
///     print(pool.counters)
///     pool.shutdown()
///
/// Threads live until ``shutdown()``; call it when done with a pool you created (``shared`` lives for the
/// process). After shutdown, submitted work still runs — on a helper thread, or Swift's global executor for
/// jobs — so nothing submitted is ever lost.
///
/// Thread safety: every method may be called from any thread.
public final class WorkStealingExecutor: WorkScheduler, TaskExecutor, Sendable {
    /// The pool every session uses unless told otherwise: one worker per allowed CPU, NUMA-aware stealing.
    public static let shared = WorkStealingExecutor()

    /// The machine description the workers were laid out on.
    public let topology: Topology
    /// The policy ``submit(_:)`` follows (``scheduler(for:)`` gives the others on the same threads).
    public let policy: SchedulingPolicy

    let poolID: Int
    let workers: [Worker]
    /// One per topology node (by position); outside submitters use their node's queue.
    let injection: [InjectionQueue]
    /// The `.globalQueue` policy's one locked FIFO.
    let global = InjectionQueue()
    let idle: IdleWorkers
    /// Injection queue index for each CPU number (submitters on CPUs outside the pool's nodes use the first
    /// populated node).
    private let injectionForCPU: [Int]
    private let defaultInjection: Int
    /// Whether this pool's own policy is `.workStealing(numaAware: false)`: its ``submit(_:)`` marks items for
    /// random victims, and its workers start out searching that way (later, in the order of what they ran last).
    let randomVictimsByDefault: Bool
    let shuttingDown = Atomic<Bool>(false)
    private let threads = Locked<[ThreadHandle]>([])
    private let baseline = Locked<ExecutorCounters?>(nil)
    let jobRunner = JobRunner()
    /// Spin rounds (each a sweep of every source, then a pause) before a worker parks.
    let spinRounds: Int

    private static let nextPoolID = Atomic<Int>(1)

    /// Creates a pool and starts its threads.
    ///
    /// - Parameters:
    ///   - topology: the machine to lay workers out on (default: this one, as libnuma reports it).
    ///   - workers: how many threads (default: one per CPU of `topology`; values below 1 mean 1). Workers
    ///     fill node 0's CPUs first, then node 1's, …; with more workers than CPUs they wrap around. A worker
    ///     whose CPU this process may not use (a described topology) runs unpinned.
    ///   - policy: what ``submit(_:)`` does (default `.workStealing(numaAware: true)`).
    public convenience init(
        topology: Topology = .current(), workers: Int? = nil, policy: SchedulingPolicy = .default
    ) {
        self.init(topology: topology, workers: workers, policy: policy, startThreads: true)
    }

    /// `startThreads: false` builds the pool without threads, for tests that drive workers by hand;
    /// `spinRounds` sets how many sweeps an idle worker makes before it parks.
    package init(
        topology: Topology, workers requested: Int?, policy: SchedulingPolicy, startThreads: Bool,
        spinRounds: Int = 32
    ) {
        self.topology = topology
        self.policy = policy
        self.spinRounds = max(1, spinRounds)
        let poolID = WorkStealingExecutor.nextPoolID.add(1, ordering: .relaxed).oldValue
        self.poolID = poolID
        let layout = WorkerLayout(topology: topology, workers: requested)
        let parkers = layout.cpus.map { _ in Parker() }
        let idle = IdleWorkers(parkers: parkers, cpus: layout.pinnedCPUs)
        self.idle = idle
        workers = layout.cpus.indices.map { index in
            Worker(
                index: index, numaNode: topology.nodes[layout.nodePositions[index]].id,
                nodePosition: layout.nodePositions[index], cpu: layout.pinnedCPUs[index], poolID: poolID,
                searchOrder: VictimOrder.numaAware(
                    for: index, workerNodePositions: layout.nodePositions, topology: topology),
                parker: parkers[index], idle: idle)
        }
        injection = topology.nodes.map { _ in InjectionQueue() }
        let populated = Set(layout.nodePositions)
        let nearestPopulated = topology.nodes.indices.map { position in
            populated.min { a, b in
                let da = topology.distance(fromPosition: position, toPosition: a)
                let db = topology.distance(fromPosition: position, toPosition: b)
                return da != db ? da < db : a < b
            }!
        }
        let maxCPU = topology.cpus.max() ?? 0
        var injectionForCPU = [Int](repeating: nearestPopulated[0], count: maxCPU + 1)
        for (position, node) in topology.nodes.enumerated() {
            for cpu in node.cpus { injectionForCPU[cpu] = nearestPopulated[position] }
        }
        self.injectionForCPU = injectionForCPU
        defaultInjection = populated.min()!
        if case .workStealing(let numaAware) = policy {
            randomVictimsByDefault = !numaAware
        } else {
            randomVictimsByDefault = false
        }
        for worker in workers { worker.searchesRandomly = randomVictimsByDefault }
        unsafe jobRunner.executor = asUnownedTaskExecutor()
        if startThreads { start() }
    }

    private func start() {
        let handles = workers.map { worker in
            ThreadHandle.spawn { [self] in runWorker(worker) }
        }
        threads.withLock { $0 = handles }
    }

    // MARK: Submitting

    /// How many items can run at once: the number of workers.
    public var parallelism: Int { workers.count }

    /// Makes `items` runnable under this pool's ``policy`` and returns at once.
    ///
    /// From inside an item running on this pool, the items go to the calling worker's deque; from any
    /// other thread, to the injection queue of the caller's NUMA node (the shared queue under
    /// `.globalQueue`). `.swiftDefault` and `.callerThread` pools hand the items to those schedulers.
    public func submit(_ items: [WorkItem]) {
        switch policy {
        case .workStealing: submitToDeques(randomVictimsByDefault ? items.map { $0.withVictimOrder(random: true) } : items)
        case .globalQueue: submitToGlobalQueue(items)
        case .swiftDefault: SwiftDefaultScheduler.shared.submit(items)
        case .callerThread: CallerThreadScheduler().submit(items)
        }
    }

    /// A scheduler with `policy` on this pool's threads: the work-stealing policies (victim order as given),
    /// `.globalQueue` (one locked FIFO shared by these workers), or the thread-less `.swiftDefault` and
    /// `.callerThread` schedulers.
    ///
    /// The victim order belongs to the submitted work, not to the threads (see ``WorkItem/prefersRandomVictims``):
    /// sessions with either order may share the pool, each worker searching in the order of the step it ran last.
    ///
    ///     let random = WorkStealingExecutor.shared.scheduler(for: .workStealing(numaAware: false))
    public func scheduler(for policy: SchedulingPolicy) -> any WorkScheduler {
        switch policy {
        case .workStealing(let numaAware): PoolScheduler(pool: self, policy: policy, numaAware: numaAware)
        case .globalQueue: PoolScheduler(pool: self, policy: policy, numaAware: true)
        case .swiftDefault: SwiftDefaultScheduler.shared
        case .callerThread: CallerThreadScheduler()
        }
    }

    func submitToDeques<Items: Collection<WorkItem>>(_ items: Items) {
        guard !items.isEmpty else { return }
        if let worker = Worker.current, worker.poolID == poolID {
            for item in items { worker.deque.push(item) }
            worker.pushedDuringRun = true
            idle.notifyOne()
            return
        }
        let cpu = Affinity.currentCPU()
        if injection[injectionIndex(forCPU: cpu)].push(contentsOf: items) {
            idle.notifyOne(avoidingCPU: cpu)
        } else {
            runAfterShutdown(Array(items))
        }
    }

    func submitToGlobalQueue(_ items: [WorkItem]) {
        guard !items.isEmpty else { return }
        if global.push(contentsOf: items) {
            idle.notifyOne()
        } else if let worker = Worker.current, worker.poolID == poolID {
            for item in items { worker.deque.push(item) }
            worker.pushedDuringRun = true
        } else {
            runAfterShutdown(items)
        }
    }

    /// Queues a Swift job or a serial executor's drain from any thread, first in, first out: to the
    /// injection queue of the calling worker's node (or the caller's node off the pool). Not the LIFO deque:
    /// a task that yields in a loop waiting for another task would otherwise be popped again at once and
    /// starve it. Returns `false` (queuing nothing) after shutdown.
    func enqueueFromAnyThread(_ item: WorkItem) -> Bool {
        let worker = Worker.current.flatMap { $0.poolID == poolID ? $0 : nil }
        let cpu = worker == nil ? Affinity.currentCPU() : nil
        if injection[worker?.nodePosition ?? injectionIndex(forCPU: cpu)].push(item) {
            idle.notifyOne(avoidingCPU: cpu)
            return true
        }
        guard let worker else { return false }
        // Shutting down: this worker drains its own deque before it ends.
        worker.deque.push(item)
        return true
    }

    /// Queues `item` from any thread, on the injection queue of the caller's NUMA node; after ``shutdown()``, on a
    /// helper thread. Used by task executors that forward their jobs to the pool.
    package func enqueue(fromAnyThread item: WorkItem) {
        if !enqueueFromAnyThread(item) { runAfterShutdown([item]) }
    }

    /// The injection queue of the NUMA node of `cpu` (the submitting thread's, from `Affinity.currentCPU()`).
    private func injectionIndex(forCPU cpu: Int?) -> Int {
        guard let cpu, cpu < injectionForCPU.count else { return defaultInjection }
        return injectionForCPU[cpu]
    }

    /// Work submitted after shutdown runs on a helper thread, depth first, as ``CallerThreadScheduler``
    /// would run it: slower, never lost.
    func runAfterShutdown(_ items: [WorkItem]) {
        ThreadHandle.detach { CallerThreadScheduler().submit(items) }
    }

    // MARK: Lifecycle

    /// Stops the pool: work already submitted (and everything it makes ready) still runs, then the threads
    /// end and are joined. Idempotent; the first call returns once every thread has ended. Called from one
    /// of the pool's own threads it does not wait (a thread cannot join itself).
    public func shutdown() {
        let handles = threads.withLock { handles in
            defer { handles.removeAll() }
            return handles
        }
        for queue in injection { queue.close() }
        global.close()
        shuttingDown.store(true, ordering: .sequentiallyConsistent)
        idle.unparkAll()
        if let worker = Worker.current, worker.poolID == poolID {
            for handle in handles { handle.detach() }
        } else {
            for handle in handles { handle.join() }
        }
    }

    /// Whether ``shutdown()`` has been called.
    public var isShutDown: Bool { shuttingDown.load(ordering: .acquiring) }

    // MARK: Counters

    /// What the workers did since the pool started or since ``resetCounters()``.
    public var counters: ExecutorCounters {
        let current = rawCounters
        return baseline.withLock { baseline in baseline.map { current.subtracting($0) } ?? current }
    }

    /// Starts the counters again from zero (a snapshot is kept as the new baseline; workers are not
    /// disturbed).
    public func resetCounters() {
        let current = rawCounters
        baseline.withLock { $0 = current }
    }

    private var rawCounters: ExecutorCounters {
        ExecutorCounters(
            workers: workers.map { worker in
                worker.counters.snapshot(
                    index: worker.index, numaNode: worker.numaNode,
                    cpu: worker.isPinned.load(ordering: .relaxed) ? worker.cpu : nil)
            })
    }

    /// Each worker's name, NUMA node and CPU (`nil` when unpinned), by index.
    public var workerDescriptions: [(name: String, numaNode: Int, cpu: Int?)] {
        workers.map { ($0.name, $0.numaNode, $0.isPinned.load(ordering: .relaxed) ? $0.cpu : nil) }
    }
}

/// Where each worker goes: CPUs node by node (node 0's first), wrapping when there are more workers than
/// CPUs; a CPU this process may not use is not pinned to.
struct WorkerLayout {
    let cpus: [Int]
    let nodePositions: [Int]
    let pinnedCPUs: [Int?]

    init(topology: Topology, workers requested: Int?) {
        var slots: [(cpu: Int, position: Int)] = []
        for (position, node) in topology.nodes.enumerated() {
            for cpu in node.cpus { slots.append((cpu, position)) }
        }
        let count = max(1, min(requested ?? slots.count, 4096))
        let chosen = (0..<count).map { slots[$0 % slots.count] }
        let allowed = Set(Affinity.allowedCPUs())
        cpus = chosen.map(\.cpu)
        nodePositions = chosen.map(\.position)
        pinnedCPUs = chosen.map { allowed.contains($0.cpu) ? $0.cpu : nil }
    }
}
