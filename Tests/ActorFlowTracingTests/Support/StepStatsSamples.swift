import ActorFlowCore
import ActorFlowProto
import ActorFlowTracing
import Foundation
import Testing

/// Step statistics built by hand, field by field, the way ActorFlow's builder or TensorFlow's executor writes them.
enum StepStatsSamples {
    /// Unix-epoch nanoseconds of the samples' first instant.
    static let base: Int64 = 1_700_000_000_123_456_000
    static let cpu = "/job:localhost/replica:0/task:0/device:CPU:0"

    /// One node record with every time given in nanoseconds after ``base``.
    static func node(
        _ name: String, label: String, thread: UInt32,
        scheduled: Int64, allStart: Int64, opStart: Int64, opEnd: Int64, allEnd: Int64,
        outputs: [(DType, [Int], Int64)] = [], allocations: [(atNanos: Int64, bytes: Int64)]? = nil,
        allocator: String = "cpu"
    ) -> Tensorflow_NodeExecStats {
        var s = Tensorflow_NodeExecStats()
        s.nodeName = name
        s.timelineLabel = label
        s.threadID = thread
        let start = base + allStart
        s.allStartNanos = start
        s.allStartMicros = start / 1000
        s.scheduledNanos = base + scheduled
        s.scheduledMicros = (base + scheduled) / 1000
        s.opStartRelNanos = opStart - allStart
        s.opEndRelNanos = opEnd - allStart
        s.allEndRelNanos = allEnd - allStart
        s.opStartRelMicros = (base + opStart) / 1000 - start / 1000
        s.opEndRelMicros = (base + opEnd) / 1000 - start / 1000
        s.allEndRelMicros = (base + allEnd) / 1000 - start / 1000
        var total: Int64 = 0
        for (slot, (dtype, dimensions, bytes)) in outputs.enumerated() {
            var output = Tensorflow_NodeOutput()
            output.slot = Int32(slot)
            output.tensorDescription.dtype = Tensorflow_DataType(dtype)
            output.tensorDescription.shape = Tensorflow_TensorShapeProto(TensorShape(dimensions))
            output.tensorDescription.allocationDescription.requestedBytes = bytes
            output.tensorDescription.allocationDescription.allocatedBytes = bytes
            output.tensorDescription.allocationDescription.allocatorName = allocator
            s.output.append(output)
            total += bytes
        }
        var memory = Tensorflow_AllocatorMemoryUsed()
        memory.allocatorName = allocator
        memory.totalBytes = total
        memory.liveBytes = total
        memory.allocationRecords = (allocations ?? []).map { allocation in
            var record = Tensorflow_AllocationRecord()
            record.allocMicros = (base + allocation.atNanos) / 1000
            record.allocBytes = allocation.bytes
            return record
        }
        s.memory = [memory]
        return s
    }

    /// A diamond `a → (b, c) → d` on two threads: `a`, `c`, `d` on thread 101 (`af-w0-n0`), `b` on 202
    /// (`af-w1-n0`). `d` reads `b` and `c:0` and has a control input on `a`.
    ///
    /// Cross-thread data edges: `a → b` and `b → d`. Allocations: 16 bytes by each op at its kernel end, and `d`
    /// frees 16 bytes at its end.
    static func diamond() -> Tensorflow_StepStats {
        let f2x2: [(DType, [Int], Int64)] = [(.float32, [2, 2], 16)]
        var device = Tensorflow_DeviceStepStats()
        device.device = cpu
        device.threadNames = [101: "af-w0-n0", 202: "af-w1-n0"]
        device.nodeStats = [
            node("a", label: "a = Const()", thread: 101, scheduled: 0, allStart: 1_000, opStart: 1_500,
                 opEnd: 3_500, allEnd: 4_000, outputs: f2x2, allocations: [(3_500, 16)]),
            node("c", label: "c = Square(a)", thread: 101, scheduled: 4_000, allStart: 4_100, opStart: 4_200,
                 opEnd: 6_200, allEnd: 6_500, outputs: f2x2, allocations: [(6_200, 16)]),
            node("b", label: "b = Neg(a)", thread: 202, scheduled: 4_000, allStart: 5_000, opStart: 5_250,
                 opEnd: 7_250, allEnd: 8_000, outputs: f2x2, allocations: [(7_250, 16)]),
            node("d", label: "d = Add(b, c:0, ^a)", thread: 101, scheduled: 8_000, allStart: 8_500, opStart: 8_600,
                 opEnd: 9_600, allEnd: 10_000, outputs: f2x2, allocations: [(9_600, 16), (10_000, -16)]),
        ]
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        return stats
    }

    /// Parses a trace with Foundation and returns its events, checking the top-level object on the way.
    static func events(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let top = try #require(object as? [String: Any], sourceLocation: sourceLocation)
        #expect(top["displayTimeUnit"] as? String == "ns", sourceLocation: sourceLocation)
        return try #require(top["traceEvents"] as? [[String: Any]], sourceLocation: sourceLocation)
    }
}

extension [[String: Any]] {
    /// The events of one phase (`"X"`, `"M"`, …).
    func phase(_ ph: String) -> [[String: Any]] { filter { $0["ph"] as? String == ph } }
}

extension Dictionary where Key == String, Value == Any {
    /// A field as `Double` (JSON numbers parse as `NSNumber`, integral or not).
    func number(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    /// A field as `Int64`.
    func integer(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
    /// The `args` object.
    var args: [String: Any] { self["args"] as? [String: Any] ?? [:] }
}
