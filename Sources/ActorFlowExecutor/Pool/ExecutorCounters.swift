import Synchronization

/// A snapshot of what a ``WorkStealingExecutor``'s workers did since it started (or since
/// ``WorkStealingExecutor/resetCounters()``): the numbers tracing publishes and benchmarks report.
///
///     pool.resetCounters()
///     runStep()
///     let c = pool.counters
///     print(c.localSteals, c.remoteSteals, c.parks)   // 12 0 3
public struct ExecutorCounters: Sendable, Hashable, CustomStringConvertible {
    /// One worker's counts.
    public struct Worker: Sendable, Hashable {
        /// The worker's index in its pool.
        public var index: Int
        /// The NUMA node it is assigned to.
        public var numaNode: Int
        /// The CPU it is pinned to, or `nil` when it runs unpinned.
        public var cpu: Int?
        /// Items taken from a queue and run (own deque, steals, injection and global queues).
        public var itemsRun = 0
        /// Ready successors an item ran itself instead of pushing (``WorkerContext/recordInlineContinuation()``).
        public var inlineContinuations = 0
        /// Items stolen from a worker on the same node.
        public var localSteals = 0
        /// Items stolen from a worker on another node.
        public var remoteSteals = 0
        /// Steal attempts that found nothing or lost the race.
        public var failedSteals = 0
        /// Items taken from a node's injection queue (work submitted from outside the pool).
        public var injectedItems = 0
        /// Items taken from the `.globalQueue` policy's shared queue.
        public var globalQueueItems = 0
        /// Times the worker went to sleep.
        public var parks = 0
        /// Times it was woken to look for work.
        public var wakes = 0

        /// Firings on this worker: items run plus inline continuations.
        public var opsRun: Int { itemsRun + inlineContinuations }
    }

    /// Per worker, by index.
    public var workers: [Worker]

    /// Items run, all workers.
    public var itemsRun: Int { workers.reduce(0) { $0 + $1.itemsRun } }
    /// Inline continuations, all workers.
    public var inlineContinuations: Int { workers.reduce(0) { $0 + $1.inlineContinuations } }
    /// Firings (items run plus inline continuations), all workers.
    public var opsRun: Int { workers.reduce(0) { $0 + $1.opsRun } }
    /// Steals from a worker on the thief's node, all workers.
    public var localSteals: Int { workers.reduce(0) { $0 + $1.localSteals } }
    /// Steals from a worker on another node, all workers.
    public var remoteSteals: Int { workers.reduce(0) { $0 + $1.remoteSteals } }
    /// Steal attempts that found nothing or lost the race, all workers.
    public var failedSteals: Int { workers.reduce(0) { $0 + $1.failedSteals } }
    /// Items taken from injection queues, all workers.
    public var injectedItems: Int { workers.reduce(0) { $0 + $1.injectedItems } }
    /// Items taken from the `.globalQueue` queue, all workers.
    public var globalQueueItems: Int { workers.reduce(0) { $0 + $1.globalQueueItems } }
    /// Times a worker went to sleep, all workers.
    public var parks: Int { workers.reduce(0) { $0 + $1.parks } }
    /// Times a worker was woken, all workers.
    public var wakes: Int { workers.reduce(0) { $0 + $1.wakes } }

    public var description: String {
        "ops \(opsRun) (items \(itemsRun), inline \(inlineContinuations)), steals local \(localSteals) "
            + "remote \(remoteSteals) failed \(failedSteals), injected \(injectedItems), "
            + "global \(globalQueueItems), parks \(parks), wakes \(wakes)"
    }

    /// `self` minus an earlier snapshot of the same pool.
    func subtracting(_ baseline: ExecutorCounters) -> ExecutorCounters {
        guard baseline.workers.count == workers.count else { return self }
        var result = self
        for i in workers.indices {
            let b = baseline.workers[i]
            result.workers[i].itemsRun -= b.itemsRun
            result.workers[i].inlineContinuations -= b.inlineContinuations
            result.workers[i].localSteals -= b.localSteals
            result.workers[i].remoteSteals -= b.remoteSteals
            result.workers[i].failedSteals -= b.failedSteals
            result.workers[i].injectedItems -= b.injectedItems
            result.workers[i].globalQueueItems -= b.globalQueueItems
            result.workers[i].parks -= b.parks
            result.workers[i].wakes -= b.wakes
        }
        return result
    }
}

/// A worker's live counters. Only the worker's own thread writes them (a relaxed load and store, no
/// read-modify-write); any thread may read a snapshot.
final class WorkerCounters: Sendable {
    let itemsRun = Atomic<Int>(0)
    let inlineContinuations = Atomic<Int>(0)
    let localSteals = Atomic<Int>(0)
    let remoteSteals = Atomic<Int>(0)
    let failedSteals = Atomic<Int>(0)
    let injectedItems = Atomic<Int>(0)
    let globalQueueItems = Atomic<Int>(0)
    let parks = Atomic<Int>(0)
    let wakes = Atomic<Int>(0)

    /// Adds to a counter. Owner thread only.
    @inline(__always)
    static func add(_ amount: Int, to counter: borrowing Atomic<Int>) {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    func snapshot(index: Int, numaNode: Int, cpu: Int?) -> ExecutorCounters.Worker {
        var worker = ExecutorCounters.Worker(index: index, numaNode: numaNode, cpu: cpu)
        worker.itemsRun = itemsRun.load(ordering: .relaxed)
        worker.inlineContinuations = inlineContinuations.load(ordering: .relaxed)
        worker.localSteals = localSteals.load(ordering: .relaxed)
        worker.remoteSteals = remoteSteals.load(ordering: .relaxed)
        worker.failedSteals = failedSteals.load(ordering: .relaxed)
        worker.injectedItems = injectedItems.load(ordering: .relaxed)
        worker.globalQueueItems = globalQueueItems.load(ordering: .relaxed)
        worker.parks = parks.load(ordering: .relaxed)
        worker.wakes = wakes.load(ordering: .relaxed)
        return worker
    }
}
