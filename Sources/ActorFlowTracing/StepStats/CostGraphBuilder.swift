import ActorFlowCore
import ActorFlowProto

/// Builds `RunMetadata.cost_graph` for `.hardwareTrace` and `.fullTrace` runs: per-op measured costs,
/// including hardware counters when the kernel lets us read them.
///
/// TensorFlow's `NodeExecStats` has no field for hardware counters, so they go where TensorFlow keeps
/// per-node costs, `CostGraphDef`:
/// - `Node.compute_time`: the kernel's time in µs (`op_end − op_start`);
/// - `Node.compute_cost`: the kernel's CPU cycles (0 when counters are unavailable);
/// - `Node.input_info`, `control_input`, `output_info` (bytes, shape, dtype, and `alias_input_port`: the input
///   whose buffer the output forwards, or -1): the dataflow of the step;
/// - `Node.temporary_memory_size`: bytes of `NDArray` buffers the kernel allocated that are not among its
///   outputs (from the op's ``AllocationScope``); `persistent_memory_size`: a `Variable*` op's value bytes;
/// - `cost` (aggregated): `cycles`, `instructions`, `cache_misses` summed over the step — or, when the
///   counters could not be read, one entry whose `dimension` is
///   `"hardware_counters_unavailable: <reason>"` with cost 0, so a profile says why it has no counters.
///
///     let graph = CostGraphBuilder.build(records, availability: HardwareCounters.availability)
public enum CostGraphBuilder {
    /// The cost graph of a step; `records` are in plan order (a node's `id` is its index there).
    public static func build(
        _ records: [(op: Operation, record: NodeExecRecord)], availability: HardwareCounters.Availability
    ) -> Tensorflow_CostGraphDef {
        let plan = StepStatsPlan(records.map(\.op))
        var graph = Tensorflow_CostGraphDef()
        var totals = (cycles: UInt64(0), instructions: UInt64(0), cacheMisses: UInt64(0))
        for (i, (_, record)) in records.enumerated() where record.didRun {
            var node = plan.costNodes[i]
            node.computeTime = Int64((record.opEndNanos &- record.opStartNanos) / 1000)
            node.outputInfo = record.outputs.map(outputInfo)
            setMemory(&node, record, isPersistent: plan.ops[i].isPersistent)
            if let counters = record.counters {
                node.computeCost = Int64(clamping: counters.cycles)
                totals.cycles &+= counters.cycles
                totals.instructions &+= counters.instructions
                totals.cacheMisses &+= counters.cacheMisses
            }
            graph.node.append(node)
        }
        graph.cost = aggregatedCosts(totals, availability: availability)
        return graph
    }

    /// A cost-graph output for one output of a firing.
    static func outputInfo(_ out: OutputRecord) -> Tensorflow_CostGraphDef.Node.OutputInfo {
        var info = Tensorflow_CostGraphDef.Node.OutputInfo()
        info.size = Int64(out.bytes)
        info.aliasInputPort = Int64(out.aliasedInput)
        info.shape = Tensorflow_TensorShapeProto(TensorShape(out.dimensions))
        info.dtype = Tensorflow_DataType(out.dtype)
        return info
    }

    /// A firing's temporary memory, and its outputs' bytes as persistent memory for variables; written only
    /// when they changed, so a recycled node that already holds them is not touched.
    static func setMemory(_ node: inout Tensorflow_CostGraphDef.Node, _ record: NodeExecRecord, isPersistent: Bool) {
        let temporary = Int64(record.allocationSummary?.temporaryBytes ?? 0)
        if node.temporaryMemorySize != temporary { node.temporaryMemorySize = temporary }
        if isPersistent {
            let persistent = Int64(record.outputs.reduce(0) { $0 + $1.bytes })
            if node.persistentMemorySize != persistent { node.persistentMemorySize = persistent }
        }
    }

    /// The step's totals, or why hardware counters are missing.
    static func aggregatedCosts(
        _ totals: (cycles: UInt64, instructions: UInt64, cacheMisses: UInt64),
        availability: HardwareCounters.Availability
    ) -> [Tensorflow_CostGraphDef.AggregatedCost] {
        switch availability {
        case .available:
            [
                aggregated(Float(totals.cycles), "cycles"), aggregated(Float(totals.instructions), "instructions"),
                aggregated(Float(totals.cacheMisses), "cache_misses"),
            ]
        case .unavailable(let reason):
            [aggregated(0, "hardware_counters_unavailable: \(reason)")]
        }
    }

    private static func aggregated(_ cost: Float, _ dimension: String) -> Tensorflow_CostGraphDef.AggregatedCost {
        var c = Tensorflow_CostGraphDef.AggregatedCost()
        c.cost = cost
        c.dimension = dimension
        return c
    }
}
