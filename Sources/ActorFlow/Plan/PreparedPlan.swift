@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing
import Synchronization

/// A cached plan with its pool of idle steps: concurrent runs of one plan each take their own step, and
/// a finished step goes back to the pool so the next run allocates no node actors.
final class PreparedPlan: Sendable {
    let plan: ExecutionPlan
    /// Idle steps; at most ``maxIdleSteps`` are kept.
    private let idle = Locked<[StepState]>([])
    private static let maxIdleSteps = 4

    /// The plan's interned op names for LTTng events, made on the first traced run.
    private let traceNames = Locked<PlanTraceNames?>(nil)

    /// What step statistics need to know about the plan's ops, made on the first run that collects them.
    private let statsPlanCache = Locked<StepStatsPlan?>(nil)

    /// The pool the node actors' serial executors run on.
    let pool: WorkStealingExecutor

    init(_ plan: ExecutionPlan, pool: WorkStealingExecutor) {
        self.plan = plan
        self.pool = pool
    }

    /// The interned names of the plan's ops.
    var names: PlanTraceNames {
        traceNames.withLock { names in
            if let names { return names }
            let made = PlanTraceNames(plan)
            names = made
            return made
        }
    }

    /// The plan's ops as step statistics describe them.
    var statsPlan: StepStatsPlan {
        statsPlanCache.withLock { cached in
            if let cached { return cached }
            let made = StepStatsPlan(plan.nodes.map(\.op))
            cached = made
            return made
        }
    }

    /// An idle step, or a new one.
    func acquireStep() -> StepState {
        idle.withLock { $0.popLast() } ?? StepState(plan: plan, pool: pool)
    }

    /// Returns a finished step to the pool.
    func releaseStep(_ step: StepState) {
        idle.withLock { steps in
            if steps.count < Self.maxIdleSteps { steps.append(step) }
        }
    }
}
