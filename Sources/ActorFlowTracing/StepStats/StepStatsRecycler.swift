import ActorFlowProto

/// Fills `RunMetadata.stepStats` and `costGraph` for the steps of one plan, reusing the protobuf messages of
/// the plan's previous traced step.
///
/// Creating a swift-protobuf message with many fields costs far more than an empty op (its storage is
/// copied from the shared default on the first write), so a traced step that built every `NodeExecStats`
/// afresh would be dominated by it. The recycler keeps one message per plan node and, on each step,
/// rewrites only what changed: the times and thread always, outputs and memory when they differ from the
/// previous firing. The metadata receives copies that share storage with the kept messages; before
/// rewriting them the recycler drops the metadata's previous stats, so when the caller passes the same
/// `RunMetadata` back (or has let the last one go) the kept messages are uniquely referenced and are
/// updated in place. When the caller still holds an earlier result, copy-on-write keeps it intact and the
/// step pays for fresh messages — results are the same either way.
///
/// ```swift
/// var recycler = StepStatsRecycler(plan: StepStatsPlan(operations))
/// var metadata = Tensorflow_RunMetadata()
/// recycler.fill(&metadata, records: records, threadNames: [tid: "af-w0-n0"],
///               builder: StepStatsBuilder(includeAllocationRecords: false))
/// ```
///
/// Not thread-safe: a session keeps one per pooled step, which only one run uses at a time.
public struct StepStatsRecycler: Sendable {
    /// The plan's ops.
    public let plan: StepStatsPlan
    /// One message per plan node, `nil` until the node first ran.
    private var nodeStats: [Tensorflow_NodeExecStats?]
    /// The outputs each kept message describes (allocation ids aside), and the NUMA node of its firing.
    private var describedOutputs: [[OutputRecord]]
    private var describedNodes: [Int32]
    /// What each kept message's memory fields were made from.
    private var memoryKeys: [StepStatsBuilder.MemoryKey?]
    /// The conventions the kept messages were made with (allocation records, allocator naming).
    private var keptConventions: (allocationRecords: Bool, allocator: String, nodes: Int)?
    /// Whether each kept message's label ends with a suffix that differs between firings: an async kernel's
    /// suspension, a split kernel's chunks per worker.
    private var labelsVary: [Bool]
    /// Whether each plan node records memory (not a `NoOp`).
    private let recordsMemory: [Bool]
    /// One cost-graph node per plan node (static parts from the plan).
    private var costNodes: [Tensorflow_CostGraphDef.Node]
    /// The outputs each kept cost node describes.
    private var costOutputs: [[OutputRecord]?]

    public init(plan: StepStatsPlan) {
        self.plan = plan
        nodeStats = Array(repeating: nil, count: plan.ops.count)
        describedOutputs = Array(repeating: [], count: plan.ops.count)
        describedNodes = Array(repeating: -1, count: plan.ops.count)
        memoryKeys = Array(repeating: nil, count: plan.ops.count)
        labelsVary = Array(repeating: false, count: plan.ops.count)
        costNodes = plan.costNodes
        recordsMemory = plan.ops.map(\.recordsMemory)
        costOutputs = Array(repeating: nil, count: plan.ops.count)
    }

    /// Replaces `metadata.stepStats` (and, with `costGraph`, `metadata.costGraph`) with those of one step.
    ///
    /// - Parameters:
    ///   - records: One record per plan node, in plan order; nodes whose kernel did not run are left out.
    ///   - threadNames: A name for each thread id among the records that ran.
    ///   - builder: The field conventions (allocator name, allocation records).
    ///   - costGraph: Also fill the cost graph, reporting hardware counters as this availability says.
    public mutating func fill(
        _ metadata: inout Tensorflow_RunMetadata, records: [NodeExecRecord], threadNames: [UInt32: String],
        builder: StepStatsBuilder, costGraph: HardwareCounters.Availability? = nil
    ) {
        fill(&metadata, from: records, threadNames: threadNames, builder: builder, costGraph: costGraph)
    }

    /// ``fill(_:records:threadNames:builder:costGraph:)`` reading a step's record table in place.
    package mutating func fill(
        _ metadata: inout Tensorflow_RunMetadata, records: NodeRecordTable, threadNames: [UInt32: String],
        builder: StepStatsBuilder, costGraph: HardwareCounters.Availability? = nil
    ) {
        fill(&metadata, from: records, threadNames: threadNames, builder: builder, costGraph: costGraph)
    }

    /// Both ``fill(_:records:threadNames:builder:costGraph:)``s, specialized for each kind of record storage.
    private mutating func fill<Records: RandomAccessCollection<NodeExecRecord>>(
        _ metadata: inout Tensorflow_RunMetadata, from records: Records, threadNames: [UInt32: String],
        builder: StepStatsBuilder, costGraph: HardwareCounters.Availability?
    ) where Records.Index == Int {
        precondition(records.count == plan.ops.count, "one record per plan node")
        // Let go of the previous step's copies first, so the kept messages become unique again.
        metadata.stepStats = Tensorflow_StepStats()
        if costGraph != nil { metadata.costGraph = Tensorflow_CostGraphDef() }
        if let kept = keptConventions,
            kept.allocationRecords != builder.includeAllocationRecords || kept.allocator != builder.allocatorName
                || kept.nodes != builder.numaNodeCount
        {
            nodeStats = Array(repeating: nil, count: plan.ops.count)
        }
        keptConventions = (builder.includeAllocationRecords, builder.allocatorName, builder.numaNodeCount)

        var completion: [(end: UInt64, index: Int)] = []
        completion.reserveCapacity(records.count)
        for i in records.indices where records[i].didRun {
            update(i, records[i], builder: builder)
            completion.append((records[i].allEndNanos, i))
        }
        // TensorFlow's collector lists nodes in completion order (ties in plan order). Plan order often is
        // completion order already (always on one thread), and checking costs less than sorting.
        let inOrder: ((end: UInt64, index: Int), (end: UInt64, index: Int)) -> Bool = {
            $0.end < $1.end || ($0.end == $1.end && $0.index < $1.index)
        }
        if zip(completion, completion.dropFirst()).contains(where: { !inOrder($0, $1) }) {
            completion.sort(by: inOrder)
        }

        var device = Tensorflow_DeviceStepStats()
        device.device = StepStatsBuilder.cpuDevice
        var ordered: [Tensorflow_NodeExecStats] = []
        ordered.reserveCapacity(completion.count)
        for entry in completion { ordered.append(nodeStats[entry.index]!) }
        device.nodeStats = ordered
        device.threadNames = threadNames
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        metadata.stepStats = stats

        if let costGraph { metadata.costGraph = fillCostGraph(records, availability: costGraph) }
    }

    /// Rewrites node `i`'s kept message for a firing.
    private mutating func update(_ i: Int, _ r: NodeExecRecord, builder: StepStatsBuilder) {
        guard nodeStats[i] != nil else {
            nodeStats[i] = builder.nodeStats(plan.ops[i], r)
            describedOutputs[i] = r.outputs
            describedNodes[i] = r.numaNode
            memoryKeys[i] = builder.memoryKey(plan.ops[i], r)
            labelsVary[i] = StepStatsBuilder.hasVaryingSuffix(r)
            return
        }
        builder.setTimes(&nodeStats[i]!, r)
        let varies = StepStatsBuilder.hasVaryingSuffix(r)
        if varies || labelsVary[i] {
            // The label carries an async kernel's suspension or a split kernel's chunks per worker, which differ
            // from firing to firing (and vanish when a firing has none).
            let label = builder.label(plan.ops[i], r, memory: builder.memory(plan.ops[i], r))
            if nodeStats[i]!.timelineLabel != label { nodeStats[i]!.timelineLabel = label }
            labelsVary[i] = varies
        }
        // The common case of an op without outputs or memory (a NoOp) ends here, touching nothing else.
        let hasOutputs = !r.outputs.isEmpty || !describedOutputs[i].isEmpty
        guard hasOutputs || recordsMemory[i] else { return }
        if !Self.sameDescriptions(describedOutputs[i], r.outputs) || describedNodes[i] != r.numaNode {
            nodeStats[i]!.output = builder.outputs(r)
            describedOutputs[i] = r.outputs
            describedNodes[i] = r.numaNode
        } else {
            for (slot, out) in r.outputs.enumerated() where out.allocationID != describedOutputs[i][slot].allocationID {
                nodeStats[i]!.output[slot].tensorDescription.allocationDescription.allocationID = out.allocationID
                describedOutputs[i][slot].allocationID = out.allocationID
            }
        }
        let key = builder.memoryKey(plan.ops[i], r)
        guard key != nil, key != memoryKeys[i] || builder.includeAllocationRecords else { return }
        if let memory = builder.memory(plan.ops[i], r) {
            nodeStats[i]!.memory = memory.memory
            nodeStats[i]!.memoryStats = memory.stats
            let label = builder.label(plan.ops[i], r, memory: memory)
            if nodeStats[i]!.timelineLabel != label { nodeStats[i]!.timelineLabel = label }
        }
        memoryKeys[i] = key
    }

    /// The cost graph of a step: the nodes that ran, in plan order.
    private mutating func fillCostGraph<Records: RandomAccessCollection<NodeExecRecord>>(
        _ records: Records, availability: HardwareCounters.Availability
    ) -> Tensorflow_CostGraphDef where Records.Index == Int {
        var graph = Tensorflow_CostGraphDef()
        var totals = (cycles: UInt64(0), instructions: UInt64(0), cacheMisses: UInt64(0))
        var nodes: [Tensorflow_CostGraphDef.Node] = []
        nodes.reserveCapacity(records.count)
        for (i, r) in records.enumerated() where r.didRun {
            costNodes[i].computeTime = Int64((r.opEndNanos &- r.opStartNanos) / 1000)
            if let counters = r.counters {
                costNodes[i].computeCost = Int64(clamping: counters.cycles)
                totals.cycles &+= counters.cycles
                totals.instructions &+= counters.instructions
                totals.cacheMisses &+= counters.cacheMisses
            } else if costNodes[i].computeCost != 0 {
                costNodes[i].computeCost = 0  // this firing's counters could not be read: no stale cycles
            }
            if costOutputs[i].map({ Self.sameDescriptions($0, r.outputs) }) != true {
                costNodes[i].outputInfo = r.outputs.map(CostGraphBuilder.outputInfo)
                costOutputs[i] = r.outputs
            }
            CostGraphBuilder.setMemory(&costNodes[i], r, isPersistent: plan.ops[i].isPersistent)
            nodes.append(costNodes[i])
        }
        graph.node = nodes
        graph.cost = CostGraphBuilder.aggregatedCosts(totals, availability: availability)
        return graph
    }

    /// Whether two firings' outputs are described alike (allocation ids aside).
    private static func sameDescriptions(_ a: [OutputRecord], _ b: [OutputRecord]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b)
        where x.dtype != y.dtype || x.bytes != y.bytes || x.allocated != y.allocated
            || x.hasSingleReference != y.hasSingleReference || x.numaNode != y.numaNode
            || x.aliasedInput != y.aliasedInput || x.dimensions != y.dimensions
        {
            return false
        }
        return true
    }
}
