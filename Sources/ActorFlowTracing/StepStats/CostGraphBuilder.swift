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
        var index: [Operation: Int32] = [:]
        for (i, entry) in records.enumerated() { index[entry.op] = Int32(i) }
        var graph = Tensorflow_CostGraphDef()
        var totals = (cycles: UInt64(0), instructions: UInt64(0), cacheMisses: UInt64(0))
        for (i, (op, record)) in records.enumerated() where record.didRun {
            var node = Tensorflow_CostGraphDef.Node()
            node.name = op.name
            node.device = StepStatsBuilder.cpuDevice
            node.id = Int32(i)
            node.computeTime = Int64((record.opEndNanos &- record.opStartNanos) / 1000)
            node.inputInfo = op.inputs.compactMap { input in
                guard let producer = index[input.op] else { return nil }
                var info = Tensorflow_CostGraphDef.Node.InputInfo()
                info.precedingNode = producer
                info.precedingPort = Int32(input.index)
                return info
            }
            node.controlInput = op.controlInputs.compactMap { index[$0] }
            node.outputInfo = record.outputs.map { out in
                var info = Tensorflow_CostGraphDef.Node.OutputInfo()
                info.size = Int64(out.bytes)
                info.aliasInputPort = Int64(out.aliasedInput)
                info.shape = Tensorflow_TensorShapeProto(TensorShape(out.dimensions))
                info.dtype = Tensorflow_DataType(out.dtype)
                return info
            }
            node.temporaryMemorySize = Int64(record.allocations?.summary?.temporaryBytes ?? 0)
            if op.isStateful && op.type.hasPrefix("Variable") {
                node.persistentMemorySize = Int64(record.outputs.reduce(0) { $0 + $1.bytes })
            }
            if let counters = record.counters {
                node.computeCost = Int64(clamping: counters.cycles)
                totals.cycles &+= counters.cycles
                totals.instructions &+= counters.instructions
                totals.cacheMisses &+= counters.cacheMisses
            }
            graph.node.append(node)
        }
        switch availability {
        case .available:
            graph.cost = [
                aggregated(Float(totals.cycles), "cycles"), aggregated(Float(totals.instructions), "instructions"),
                aggregated(Float(totals.cacheMisses), "cache_misses"),
            ]
        case .unavailable(let reason):
            graph.cost = [aggregated(0, "hardware_counters_unavailable: \(reason)")]
        }
        return graph
    }

    private static func aggregated(_ cost: Float, _ dimension: String) -> Tensorflow_CostGraphDef.AggregatedCost {
        var c = Tensorflow_CostGraphDef.AggregatedCost()
        c.cost = cost
        c.dimension = dimension
        return c
    }
}
