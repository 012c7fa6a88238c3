@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing

/// The reusable part of a step: one node actor per plan node, the value slots, the pending counts and the trace
/// records. Pooled per plan
/// (``PreparedPlan``), so a run allocates no node objects; a ``StepRun`` borrows one for its duration.
final class StepState: Sendable {
    let plan: ExecutionPlan
    let nodes: NodeActors
    let slots: UnsafeValueSlots
    /// Node `n`'s unresolved inputs, at index `n`.
    let pending: PendingCounts
    /// Node `n`'s trace record of the current traced step, at index `n`.
    let records: NodeRecords
    /// The step statistics messages of this step's last traced run, rewritten in place by the next one.
    let statsRecycler = Locked<StepStatsRecycler?>(nil)
    /// The pool the node actors' executors drain on.
    let pool: WorkStealingExecutor

    init(plan: ExecutionPlan, pool: WorkStealingExecutor) {
        self.plan = plan
        self.pool = pool
        self.nodes = NodeActors(count: plan.nodes.count, pool: pool)
        self.slots = UnsafeValueSlots(count: plan.slotCount)
        self.pending = PendingCounts(count: plan.nodes.count)
        self.records = NodeRecords(count: plan.nodes.count)
    }
}
