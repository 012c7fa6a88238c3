import ActorFlowCore
import ActorFlowProto

/// Builds TensorFlow's `StepStats` from the records of one step.
///
/// Field semantics follow TensorFlow's executor (see `Tracing/README.md`, "RunMetadata fields"):
/// `all_start_micros` is absolute (Unix epoch), the `*_rel_*` fields are relative to it, micros are
/// nanos / 1000, `scheduled_*` is when the node became ready, `thread_id` is the real kernel thread id
/// and `thread_names` names it. All nodes go to one device, `/job:localhost/replica:0/task:0/device:CPU:0`,
/// in completion order, as TensorFlow's collector does.
public struct StepStatsBuilder: Sendable {
    /// TensorFlow's name for the host CPU device.
    public static let cpuDevice = "/job:localhost/replica:0/task:0/device:CPU:0"

    /// Whether to include allocation records (`.fullTrace`).
    public var includeAllocationRecords: Bool
    /// The allocator name reported for op outputs.
    public var allocatorName: String

    public init(includeAllocationRecords: Bool, allocatorName: String = "cpu") {
        self.includeAllocationRecords = includeAllocationRecords
        self.allocatorName = allocatorName
    }

    /// The step statistics of the nodes that ran, in completion order.
    ///
    /// - Parameters:
    ///   - records: Each op of the step with its record; records whose kernel did not run are skipped.
    ///   - threadNames: A name for each thread id that appears (`af-w0-n0`, …).
    public func build(_ records: [(op: Operation, record: NodeExecRecord)], threadNames: [UInt32: String])
        -> Tensorflow_StepStats
    {
        var device = Tensorflow_DeviceStepStats()
        device.device = Self.cpuDevice
        let ran = records.filter(\.record.didRun).sorted { $0.record.allEndNanos < $1.record.allEndNanos }
        device.nodeStats = ran.map { nodeStats($0.op, $0.record) }
        for (tid, name) in threadNames where ran.contains(where: { $0.record.threadID == tid }) {
            device.threadNames[tid] = name
        }
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        return stats
    }

    /// One node's `NodeExecStats`.
    public func nodeStats(_ op: Operation, _ r: NodeExecRecord) -> Tensorflow_NodeExecStats {
        nodeStats(StepStatsPlan.Op(op), r)
    }

    /// One node's `NodeExecStats`, from the op's per-plan description.
    func nodeStats(_ op: StepStatsPlan.Op, _ r: NodeExecRecord) -> Tensorflow_NodeExecStats {
        var s = Tensorflow_NodeExecStats()
        s.nodeName = op.name
        setTimes(&s, r)
        s.output = outputs(r)
        var allocated: Int64 = 0
        if let memory = memory(op, r) {
            s.memory = memory.memory
            s.memoryStats = memory.stats
            allocated = memory.allocatedBytes
        }
        s.timelineLabel = label(op, allocated: allocated)
        return s
    }

    /// Sets the times and the thread of `s` from `r`; the only fields that change on every run.
    @inline(__always)
    func setTimes(_ s: inout Tensorflow_NodeExecStats, _ r: NodeExecRecord) {
        let start = TraceClock.epochNanos(r.allStartNanos)
        let startMicros = start / 1000
        s.allStartNanos = start
        s.allStartMicros = startMicros
        let scheduled = TraceClock.epochNanos(r.scheduledNanos)
        s.scheduledNanos = scheduled
        s.scheduledMicros = scheduled / 1000
        let opStart = TraceClock.epochNanos(r.opStartNanos)
        s.opStartRelMicros = opStart / 1000 - startMicros
        s.opStartRelNanos = opStart - start
        let opEnd = TraceClock.epochNanos(r.opEndNanos)
        s.opEndRelMicros = opEnd / 1000 - startMicros
        s.opEndRelNanos = opEnd - start
        let allEnd = TraceClock.epochNanos(r.allEndNanos)
        s.allEndRelMicros = allEnd / 1000 - startMicros
        s.allEndRelNanos = allEnd - start
        s.threadID = r.threadID
    }

    /// The `output` entries of a record.
    func outputs(_ r: NodeExecRecord) -> [Tensorflow_NodeOutput] {
        r.outputs.enumerated().map { slot, out in
            var description = Tensorflow_TensorDescription()
            description.dtype = Tensorflow_DataType(out.dtype)
            var shape = Tensorflow_TensorShapeProto()
            shape.dim = out.dimensions.map { d in
                var dim = Tensorflow_TensorShapeProto.Dim()
                dim.size = Int64(d)
                return dim
            }
            description.shape = shape
            description.allocationDescription = allocationDescription(out)
            var output = Tensorflow_NodeOutput()
            output.slot = Int32(slot)
            output.tensorDescription = description
            return output
        }
    }

    /// The allocation an output was given.
    func allocationDescription(_ out: OutputRecord) -> Tensorflow_AllocationDescription {
        var allocation = Tensorflow_AllocationDescription()
        allocation.requestedBytes = Int64(out.bytes)
        allocation.allocatedBytes = Int64(out.bytes)
        allocation.allocatorName = allocatorName
        allocation.allocationID = out.allocationID
        allocation.hasSingleReference_p = out.allocated
        return allocation
    }

    /// An op's `memory` and `memory_stats`, or `nil` for ops that record none (`NoOp`).
    struct Memory {
        var memory: [Tensorflow_AllocatorMemoryUsed]
        var stats: Tensorflow_MemoryStats
        /// The bytes the label's memory prefix reports.
        var allocatedBytes: Int64
    }

    /// What `memory` and the label prefix depend on, apart from times: when it is unchanged from a previous
    /// firing of the op (and no allocation records are kept), the previous messages still hold.
    struct MemoryKey: Equatable {
        var allocatedBytes: Int64
    }

    /// The key of a firing's memory, or `nil` for ops that record none.
    func memoryKey(_ op: StepStatsPlan.Op, _ r: NodeExecRecord) -> MemoryKey? {
        guard op.recordsMemory else { return nil }
        var allocated: Int64 = 0
        for out in r.outputs where out.allocated { allocated += Int64(out.bytes) }
        return MemoryKey(allocatedBytes: allocated)
    }

    /// The memory an op's firing used.
    func memory(_ op: StepStatsPlan.Op, _ r: NodeExecRecord) -> Memory? {
        guard op.recordsMemory else { return nil }
        var allocated: Int64 = 0
        var allocations: [Tensorflow_AllocationRecord] = []
        for out in r.outputs where out.allocated {
            allocated += Int64(out.bytes)
            if includeAllocationRecords {
                var record = Tensorflow_AllocationRecord()
                record.allocMicros = TraceClock.epochNanos(r.opEndNanos) / 1000
                record.allocBytes = Int64(out.bytes)
                allocations.append(record)
            }
        }
        var memory = Tensorflow_AllocatorMemoryUsed()
        memory.allocatorName = allocatorName
        memory.totalBytes = allocated
        memory.peakBytes = allocated
        memory.liveBytes = allocated
        memory.allocationRecords = allocations
        var stats = Tensorflow_MemoryStats()
        stats.tempMemorySize = 0
        stats.persistentMemorySize = op.isPersistent ? allocated : 0
        return Memory(memory: [memory], stats: stats, allocatedBytes: allocated)
    }

    /// `timeline_label`: the memory prefix, then `"name = Op(inputs)"`.
    func label(_ op: StepStatsPlan.Op, allocated: Int64) -> String {
        let prefix = Self.memoryPrefix(allocator: allocatorName, bytes: allocated)
        return prefix.isEmpty ? op.timelineLabel : prefix + op.timelineLabel
    }

    /// TensorFlow's label prefix for nodes that allocated at least 0.1 MiB: `"[cpu 0.4MB 0.4MB] "`.
    static func memoryPrefix(allocator: String, bytes: Int64) -> String {
        let mib = Double(bytes) / 1_048_576
        guard mib >= 0.1 else { return "" }
        let text = String(Double((mib * 10).rounded()) / 10)
        return "[\(allocator) \(text)MB \(text)MB] "
    }
}
