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
        var s = Tensorflow_NodeExecStats()
        s.nodeName = op.name
        let start = TraceClock.epochNanos(r.allStartNanos)
        let startMicros = start / 1000
        s.allStartNanos = start
        s.allStartMicros = startMicros
        s.scheduledNanos = TraceClock.epochNanos(r.scheduledNanos)
        s.scheduledMicros = s.scheduledNanos / 1000
        func rel(_ t: UInt64) -> (micros: Int64, nanos: Int64) {
            let n = TraceClock.epochNanos(t)
            return (n / 1000 - startMicros, n - start)
        }
        (s.opStartRelMicros, s.opStartRelNanos) = rel(r.opStartNanos)
        (s.opEndRelMicros, s.opEndRelNanos) = rel(r.opEndNanos)
        (s.allEndRelMicros, s.allEndRelNanos) = rel(r.allEndNanos)
        s.threadID = r.threadID

        var allocated: Int64 = 0
        var allocations: [Tensorflow_AllocationRecord] = []
        for (slot, out) in r.outputs.enumerated() {
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
            allocation.allocatorName = allocatorName
            allocation.allocationID = out.allocationID
            allocation.hasSingleReference_p = out.allocated
            description.allocationDescription = allocation
            var output = Tensorflow_NodeOutput()
            output.slot = Int32(slot)
            output.tensorDescription = description
            s.output.append(output)
            if out.allocated {
                allocated += Int64(out.bytes)
                var record = Tensorflow_AllocationRecord()
                record.allocMicros = TraceClock.epochNanos(r.opEndNanos) / 1000
                record.allocBytes = Int64(out.bytes)
                allocations.append(record)
            }
        }
        // TensorFlow records no memory for NoOps.
        if op.type != "NoOp" {
            var memory = Tensorflow_AllocatorMemoryUsed()
            memory.allocatorName = allocatorName
            memory.totalBytes = allocated
            memory.peakBytes = allocated
            memory.liveBytes = allocated
            if includeAllocationRecords { memory.allocationRecords = allocations }
            s.memory = [memory]
            var memoryStats = Tensorflow_MemoryStats()
            memoryStats.tempMemorySize = 0
            memoryStats.persistentMemorySize = op.isStateful && op.type.hasPrefix("Variable") ? allocated : 0
            s.memoryStats = memoryStats
        }
        s.timelineLabel = Self.memoryPrefix(allocator: allocatorName, bytes: allocated) + op.timelineLabel
        return s
    }

    /// TensorFlow's label prefix for nodes that allocated at least 0.1 MiB: `"[cpu 0.4MB 0.4MB] "`.
    static func memoryPrefix(allocator: String, bytes: Int64) -> String {
        let mib = Double(bytes) / 1_048_576
        guard mib >= 0.1 else { return "" }
        let text = String(Double((mib * 10).rounded()) / 10)
        return "[\(allocator) \(text)MB \(text)MB] "
    }
}
