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

        let opAllocator = allocatorName(forNode: Int(r.numaNode))
        var allocated: Int64 = 0
        var outputBytes: Int64 = 0
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
            allocation.allocatorName = out.numaNode >= 0 ? allocatorName(forNode: Int(out.numaNode)) : opAllocator
            allocation.allocationID = out.allocationID
            allocation.hasSingleReference_p = out.hasSingleReference
            description.allocationDescription = allocation
            var output = Tensorflow_NodeOutput()
            output.slot = Int32(slot)
            output.tensorDescription = description
            s.output.append(output)
            outputBytes += Int64(out.bytes)
            if out.allocated {
                allocated += Int64(out.bytes)
                var record = Tensorflow_AllocationRecord()
                record.allocMicros = TraceClock.epochNanos(r.opEndNanos) / 1000
                record.allocBytes = Int64(out.bytes)
                allocations.append(record)
            }
        }
        var peak = allocated
        // TensorFlow records no memory for NoOps.
        if op.type != "NoOp" {
            var memory = Tensorflow_AllocatorMemoryUsed()
            memory.allocatorName = opAllocator
            var memoryStats = Tensorflow_MemoryStats()
            if let scope = r.allocations, let summary = scope.summary {
                // What the op's allocation scope saw (every NDArray buffer the kernel made), with the frees
                // that happened by now.
                allocated = Int64(summary.totalBytes)
                peak = Int64(summary.peakBytes)
                memory.liveBytes = Int64(summary.liveBytes)
                memory.allocatorBytesInUse = Int64(summary.bytesInUse)
                memoryStats.tempMemorySize = Int64(summary.temporaryBytes)
                if includeAllocationRecords {
                    allocations = scope.records.map { event in
                        var record = Tensorflow_AllocationRecord()
                        record.allocMicros = TraceClock.epochNanos(event.nanos) / 1000
                        record.allocBytes = Int64(event.bytes)
                        return record
                    }
                }
            } else {
                memory.liveBytes = allocated
            }
            memory.totalBytes = allocated
            memory.peakBytes = peak
            if includeAllocationRecords { memory.allocationRecords = allocations }
            s.memory = [memory]
            memoryStats.persistentMemorySize = op.isStateful && op.type.hasPrefix("Variable") ? outputBytes : 0
            s.memoryStats = memoryStats
        }
        s.timelineLabel = Self.memoryPrefix(allocator: opAllocator, total: allocated, peak: peak) + op.timelineLabel
        return s
    }

    /// TensorFlow's label prefix for nodes that allocated at least 0.1 MiB: `"[cpu 0.4MB 0.2MB] "` (total and
    /// peak bytes).
    static func memoryPrefix(allocator: String, total: Int64, peak: Int64) -> String {
        func mib(_ bytes: Int64) -> String { String(Double((Double(bytes) / 1_048_576 * 10).rounded()) / 10) }
        guard Double(total) / 1_048_576 >= 0.1 else { return "" }
        return "[\(allocator) \(mib(total))MB \(mib(peak))MB] "
    }
}
