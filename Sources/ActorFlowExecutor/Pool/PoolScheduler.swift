import Synchronization

/// A ``WorkScheduler`` with another policy on a ``WorkStealingExecutor``'s threads
/// (``WorkStealingExecutor/scheduler(for:)``).
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
        setVictimOrder()
        pool.submitToDeques(items)
    }

    /// Work-stealing steps start on the caller's thread (``WorkStealingExecutor/startOnCaller(_:)``).
    func start(_ items: [WorkItem]) {
        if case .globalQueue = policy {
            pool.submitToGlobalQueue(items)
            return
        }
        setVictimOrder()
        pool.startOnCaller(items)
    }

    private func setVictimOrder() {
        if pool.numaAwareStealing.load(ordering: .relaxed) != numaAware {
            pool.numaAwareStealing.store(numaAware, ordering: .relaxed)
        }
    }
}
