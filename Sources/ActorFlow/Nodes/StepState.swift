import ActorFlowExecutor

/// The reusable part of a step: one node actor per plan node and the value slots. Pooled per plan
/// (``PreparedPlan``), so a run allocates no node objects; a ``StepRun`` borrows one for its duration.
final class StepState: Sendable {
    let plan: ExecutionPlan
    let nodes: [NodeActor]
    let slots: UnsafeValueSlots

    init(plan: ExecutionPlan, pool: WorkStealingExecutor) {
        self.plan = plan
        self.nodes = plan.nodes.indices.map { NodeActor(index: $0, pool: pool) }
        self.slots = UnsafeValueSlots(count: plan.slotCount)
    }
}
