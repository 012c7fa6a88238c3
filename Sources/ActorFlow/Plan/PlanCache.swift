@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import Synchronization

/// The session's cache of execution plans, keyed by the run's signature (fed tensors, computed fetches,
/// targets), like DirectSession's executor cache. Order does not matter: `run([a, b])` and `run([b, a])`
/// share a plan.
final class PlanCache: Sendable {
    struct Key: Hashable, Sendable {
        let fed: Set<Tensor>
        let fetches: Set<Tensor>
        let targets: Set<Operation>
    }

    /// The most plans kept; beyond it the least recently built plan is dropped.
    let capacity: Int
    private let plans = Locked<(byKey: [Key: PreparedPlan], order: [Key])>(([:], []))

    /// The pool whose workers run the node actors' executors.
    let pool: WorkStealingExecutor

    init(pool: WorkStealingExecutor, capacity: Int = 256) {
        self.pool = pool
        self.capacity = capacity
    }

    /// The number of cached plans.
    var count: Int { plans.withLock { $0.byKey.count } }

    /// The cached plan for the signature, built (outside the lock) on a miss.
    func plan(fed: Set<Tensor>, fetches: [Tensor], targets: [Operation]) throws(SessionError) -> PreparedPlan {
        let key = Key(fed: fed, fetches: Set(fetches), targets: Set(targets))
        if let plan = plans.withLock({ $0.byKey[key] }) { return plan }
        let plan = PreparedPlan(try ExecutionPlan(fed: fed, fetches: fetches, targets: targets), pool: pool)
        return plans.withLock { cache in
            if let existing = cache.byKey[key] { return existing }
            cache.byKey[key] = plan
            cache.order.append(key)
            if cache.order.count > capacity {
                cache.byKey[cache.order.removeFirst()] = nil
            }
            return plan
        }
    }

    func removeAll() {
        plans.withLock { $0 = ([:], []) }
    }
}
