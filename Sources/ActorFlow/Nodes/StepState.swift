@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing

/// The reusable part of a step: one node actor per plan node, the value slots, the pending counts and (once a
/// step was traced) the trace records. Pooled per plan
/// (``PreparedPlan``), so a run allocates no node objects; a ``StepRun`` borrows one for its duration.
final class StepState: Sendable {
    let plan: ExecutionPlan
    let nodes: NodeActors
    let slots: UnsafeValueSlots
    /// Node `n`'s unresolved inputs, at index `n`.
    let pending: PendingCounts
    /// Node `n`'s custom-op input array, at index `n` (see ``InputArrays``).
    let inputArrays: InputArrays
    /// Node `n`'s trace record of the current traced step, at index `n`: made by the first traced step (a record
    /// is about 200 bytes per node, which an untraced session never needs), then reused.
    private let tracedRecords = Locked<NodeRecords?>(nil)
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
        self.inputArrays = InputArrays(count: plan.nodes.count)
    }

    /// The trace records for a step that is `traced`; an untraced step gets an empty buffer, which it never
    /// writes (every record write is under `if let tracing`).
    func records(traced: Bool) -> NodeRecords {
        guard traced else { return Self.untraced }
        return tracedRecords.withLock { records in
            if let records { return records }
            let made = NodeRecords(count: plan.nodes.count)
            records = made
            return made
        }
    }

    private static let untraced = NodeRecords(count: 0)
}
