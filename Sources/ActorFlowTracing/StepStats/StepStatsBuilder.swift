import ActorFlowCore
import ActorFlowProto

/// Builds TensorFlow's `StepStats` from the records of one step.
///
/// Field semantics follow TensorFlow's executor (see `Tracing/README.md`, "RunMetadata fields"):
/// `all_start_micros` is absolute (Unix epoch), the `*_rel_*` fields are relative to it, micros are
/// nanos / 1000, `scheduled_*` is when the node became ready, `thread_id` is the real kernel thread id
/// and `thread_names` names it. All nodes go to one device, `/job:localhost/replica:0/task:0/device:CPU:0`,
/// in completion order, as TensorFlow's collector does. Memory comes from each record's
/// ``NodeExecRecord/allocations`` scope: what the kernel allocated (temporaries included), with the allocation
/// records — allocations, and the frees that happened before `build` was called — at `.fullTrace`.
public struct StepStatsBuilder: Sendable {
    /// TensorFlow's name for the host CPU device.
    public static let cpuDevice = "/job:localhost/replica:0/task:0/device:CPU:0"

    /// Whether to include allocation records (`.fullTrace`).
    public var includeAllocationRecords: Bool
    /// The allocator name reported for op outputs and memory: as is on a machine of one NUMA node, with
    /// `_numa<N>` appended (`cpu_numa1`) for node N on a machine of several.
    public var allocatorName: String
    /// How many NUMA nodes the process's topology has.
    public var numaNodeCount: Int

    public init(includeAllocationRecords: Bool, allocatorName: String = "cpu", numaNodeCount: Int = 1) {
        self.includeAllocationRecords = includeAllocationRecords
        self.allocatorName = allocatorName
        self.numaNodeCount = numaNodeCount
    }

    /// The name of the allocator of NUMA node `node`: ``allocatorName`` on a one-node machine, else
    /// `"<allocatorName>_numa<node>"`.
    public func allocatorName(forNode node: Int) -> String {
        numaNodeCount > 1 ? "\(allocatorName)_numa\(node)" : allocatorName
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
        let memory = memory(op, r)
        if let memory {
            s.memory = memory.memory
            s.memoryStats = memory.stats
        }
        s.timelineLabel = label(op, r, memory: memory)
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
        let opAllocator = allocatorName(forNode: Int(r.numaNode))
        return r.outputs.enumerated().map { slot, out in
            var description = Tensorflow_TensorDescription()
            description.dtype = Tensorflow_DataType(out.dtype)
            var shape = Tensorflow_TensorShapeProto()
            shape.dim = out.dimensions.map { d in
                var dim = Tensorflow_TensorShapeProto.Dim()
                dim.size = Int64(d)
                return dim
            }
            description.shape = shape
            var allocation = Tensorflow_AllocationDescription()
            allocation.requestedBytes = Int64(out.bytes)
            allocation.allocatedBytes = Int64(out.bytes)
            allocation.allocatorName = out.numaNode >= 0 ? allocatorName(forNode: Int(out.numaNode)) : opAllocator
            allocation.allocationID = out.allocationID
            allocation.hasSingleReference_p = out.hasSingleReference
            description.allocationDescription = allocation
            var output = Tensorflow_NodeOutput()
            output.slot = Int32(slot)
            output.tensorDescription = description
            return output
        }
    }

    /// An op's `memory` and `memory_stats`, and what its label's memory prefix reports.
    struct Memory {
        var memory: [Tensorflow_AllocatorMemoryUsed]
        var stats: Tensorflow_MemoryStats
        var key: MemoryKey
    }

    /// Everything `memory`, `memory_stats` and the label prefix are made of, apart from allocation records:
    /// when a firing's key equals the previous firing's (and no records are kept), the previous messages hold.
    struct MemoryKey: Equatable {
        var allocator: String
        var totalBytes: Int64
        var peakBytes: Int64
        var liveBytes: Int64
        var bytesInUse: Int64
        var temporaryBytes: Int64
        var persistentBytes: Int64
    }

    /// The key of a firing's memory, or `nil` for ops that record none (`NoOp`, as in TensorFlow).
    func memoryKey(_ op: StepStatsPlan.Op, _ r: NodeExecRecord) -> MemoryKey? {
        guard op.recordsMemory else { return nil }
        var allocated: Int64 = 0
        var outputBytes: Int64 = 0
        for out in r.outputs {
            outputBytes += Int64(out.bytes)
            if out.allocated { allocated += Int64(out.bytes) }
        }
        var key = MemoryKey(
            allocator: allocatorName(forNode: Int(r.numaNode)), totalBytes: allocated, peakBytes: allocated,
            liveBytes: allocated, bytesInUse: 0, temporaryBytes: 0,
            persistentBytes: op.isPersistent ? outputBytes : 0)
        if let summary = r.allocationSummary {
            // What the op's allocation scope saw (every NDArray buffer the kernel made), with the frees that
            // happened by now.
            key.totalBytes = Int64(summary.totalBytes)
            key.peakBytes = Int64(summary.peakBytes)
            key.liveBytes = Int64(summary.liveBytes)
            key.bytesInUse = Int64(summary.bytesInUse)
            key.temporaryBytes = Int64(summary.temporaryBytes)
        }
        return key
    }

    /// The memory an op's firing used, or `nil` for ops that record none.
    func memory(_ op: StepStatsPlan.Op, _ r: NodeExecRecord) -> Memory? {
        guard let key = memoryKey(op, r) else { return nil }
        var memory = Tensorflow_AllocatorMemoryUsed()
        memory.allocatorName = key.allocator
        memory.totalBytes = key.totalBytes
        memory.peakBytes = key.peakBytes
        memory.liveBytes = key.liveBytes
        memory.allocatorBytesInUse = key.bytesInUse
        if includeAllocationRecords {
            if r.allocationSummary != nil {
                memory.allocationRecords = r.allocationEvents.map { event in
                    var record = Tensorflow_AllocationRecord()
                    record.allocMicros = TraceClock.epochNanos(event.nanos) / 1000
                    record.allocBytes = Int64(event.bytes)
                    return record
                }
            } else {
                memory.allocationRecords = r.outputs.filter(\.allocated).map { out in
                    var record = Tensorflow_AllocationRecord()
                    record.allocMicros = TraceClock.epochNanos(r.opEndNanos) / 1000
                    record.allocBytes = Int64(out.bytes)
                    return record
                }
            }
        }
        var stats = Tensorflow_MemoryStats()
        stats.tempMemorySize = key.temporaryBytes
        stats.persistentMemorySize = key.persistentBytes
        return Memory(memory: [memory], stats: stats, key: key)
    }

    /// `timeline_label`: the memory prefix, then `"name = Op(inputs)"`, then, for an async kernel that
    /// suspended, how long and how often: `" [suspended 20113us, 1 wait]"`, and for a kernel that split loops,
    /// its chunks per worker: `" [intra-op 2 loops, 12 chunks: w0 7, w1 5]"` (``IntraOpSuffix``). TensorFlow's
    /// `NodeExecStats` has no field for either; its timeline reads the label up to the closing parenthesis, so the
    /// suffixes do not disturb it.
    func label(_ op: StepStatsPlan.Op, _ r: NodeExecRecord, memory: Memory?) -> String {
        let prefix = memory.map {
            Self.memoryPrefix(allocator: $0.key.allocator, total: $0.key.totalBytes, peak: $0.key.peakBytes)
        } ?? ""
        var label = prefix.isEmpty ? op.timelineLabel : prefix + op.timelineLabel
        if r.suspensions > 0 { label += Self.suspensionSuffix(r) }
        if let intraOp = IntraOpSuffix(r) { label += intraOp.text }
        return label
    }

    /// Whether a record's label ends with a suffix that may differ from firing to firing (a suspension, chunks).
    static func hasVaryingSuffix(_ r: NodeExecRecord) -> Bool { r.suspensions > 0 || r.intraOpLoops > 0 }

    /// The label suffix of an async kernel that suspended.
    static func suspensionSuffix(_ r: NodeExecRecord) -> String {
        " [suspended \(r.suspendedNanos / 1000)us, \(r.suspensions) wait\(r.suspensions == 1 ? "" : "s")]"
    }

    /// TensorFlow's label prefix for nodes that allocated at least 0.1 MiB: `"[cpu 0.4MB 0.2MB] "` (total and
    /// peak bytes).
    static func memoryPrefix(allocator: String, total: Int64, peak: Int64) -> String {
        func mib(_ bytes: Int64) -> String { String(Double((Double(bytes) / 1_048_576 * 10).rounded()) / 10) }
        guard Double(total) / 1_048_576 >= 0.1 else { return "" }
        return "[\(allocator) \(mib(total))MB \(mib(peak))MB] "
    }
}
