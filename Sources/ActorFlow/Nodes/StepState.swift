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
    /// Record tables for traced steps to write, given back by the step statistics that read them (see
    /// ``StepStatsSource``). The first traced step makes one (a record is about 200 bytes per node, which an
    /// untraced session never needs); at most ``keptRecordTables`` wait here.
    let spareRecords = Locked<[NodeRecordTable]>([])
    /// How many record tables a step keeps for reuse.
    static let keptRecordTables = 2
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

    /// The table a step writes its nodes' trace records into: a spare one when there is one, a new one otherwise;
    /// an empty shared table for untraced steps. A traced step hands it on at its end (``StepRun/finish()``).
    func records(traced: Bool) -> NodeRecordTable {
        guard traced else { return Self.untraced }
        return spareRecords.withLock { $0.popLast() } ?? NodeRecordTable(count: plan.nodes.count)
    }

    private static let untraced = NodeRecordTable(count: 0)
}
