/// A ``WorkScheduler`` with another policy on a ``WorkStealingExecutor``'s threads
/// (``WorkStealingExecutor/scheduler(for:)``).
///
/// The victim order is a property of the step's work, not of the pool: a work-stealing scheduler marks the items
/// it submits with its order (``WorkItem/withVictimOrder(random:)``), a worker searches in the order of the item
/// it ran last, and what an item pushes inherits its mark. Two sessions with different orders on one pool thus
/// no longer change each other's order (they used to, through a pool-wide flag each submit set).
final class PoolScheduler: WorkScheduler {
    let pool: WorkStealingExecutor
    let policy: SchedulingPolicy
    private let numaAware: Bool

    init(pool: WorkStealingExecutor, policy: SchedulingPolicy, numaAware: Bool) {
        self.pool = pool
        self.policy = policy
        self.numaAware = numaAware
    }

    var parallelism: Int { pool.parallelism }

    func submit(_ items: [WorkItem]) {
        if case .globalQueue = policy {
            pool.submitToGlobalQueue(items)
            return
        }
        pool.submitToDeques(items.map { $0.withVictimOrder(random: !numaAware) })
    }

    /// Work-stealing steps start on the caller's thread (``WorkStealingExecutor/startOnCaller(_:randomVictims:)``).
    func start(_ items: [WorkItem]) {
        if case .globalQueue = policy {
            pool.submitToGlobalQueue(items)
            return
        }
        pool.startOnCaller(items.map { $0.withVictimOrder(random: !numaAware) }, randomVictims: !numaAware)
    }
}
