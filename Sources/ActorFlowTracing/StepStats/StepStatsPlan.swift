import ActorFlowCore
import ActorFlowProto

/// What step statistics need to know about each op of a plan, gathered once per plan: names, timeline labels,
/// which ops record memory, and the parts of each cost-graph node that do not change between runs.
///
/// ```swift
/// let plan = StepStatsPlan([x, y])                   // the plan's operations, in plan order
/// var recycler = StepStatsRecycler(plan: plan)
/// recycler.fill(&metadata, records: records, threadNames: names, builder: StepStatsBuilder(includeAllocationRecords: false))
/// ```
public final class StepStatsPlan: Sendable {
    /// One op of the plan.
    public struct Op: Sendable {
        /// `NodeExecStats.node_name`.
        public let name: String
        /// The label without a memory prefix: `"y = MatMul(x, w)"`.
        public let timelineLabel: String
        /// TensorFlow records no memory for `NoOp`s.
        public let recordsMemory: Bool
        /// Whether the op's outputs are persistent memory (variables).
        public let isPersistent: Bool

        public init(_ op: Operation) {
            name = op.name
            timelineLabel = op.timelineLabel
            recordsMemory = op.type != "NoOp"
            isPersistent = op.isStateful && op.type.hasPrefix("Variable")
        }
    }

    /// The ops, in plan order.
    public let ops: [Op]
    /// Each op's cost-graph node with its name, device, id and input edges set (edges from ops outside the
    /// plan — fed tensors' producers — are left out).
    let costNodes: [Tensorflow_CostGraphDef.Node]

    /// Gathers what step statistics need from `operations`, the ops of a plan in plan order.
    public init(_ operations: [Operation]) {
        ops = operations.map(Op.init)
        var index: [Operation: Int32] = [:]
        index.reserveCapacity(operations.count)
        for (i, op) in operations.enumerated() { index[op] = Int32(i) }
        costNodes = operations.enumerated().map { i, op in
            var node = Tensorflow_CostGraphDef.Node()
            node.name = op.name
            node.device = StepStatsBuilder.cpuDevice
            node.id = Int32(i)
            node.inputInfo = op.inputs.compactMap { input in
                guard let producer = index[input.op] else { return nil }
                var info = Tensorflow_CostGraphDef.Node.InputInfo()
                info.precedingNode = producer
                info.precedingPort = Int32(input.index)
                return info
            }
            node.controlInput = op.controlInputs.compactMap { index[$0] }
            return node
        }
    }
}
