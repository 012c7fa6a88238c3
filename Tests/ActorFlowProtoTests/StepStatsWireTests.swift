import ActorFlow
import ActorFlowProto
import SwiftProtobuf
import Testing

/// Golden bytes for the StepStats family, worked out by hand from TensorFlow's field numbers
/// (step_stats.proto, tensor_description.proto, tensor_shape.proto) and checked with `protoc --decode_raw`.
@Suite struct StepStatsWireTests {
    @Test func nodeExecStats() throws {
        var node = NodeExecStats()
        node.nodeName = "MatMul"
        node.allStartMicros = 1_000_000
        node.threadID = 7
        node.allStartNanos = 1_000_000_123
        let expected =
            bytes("0A 06") + ascii("MatMul")  // 1: node_name
            + bytes("10 C0 84 3D")  // 2: all_start_micros = 1_000_000
            + bytes("50 07")  // 10: thread_id
            + bytes("68 FB 94 EB DC 03")  // 13: all_start_nanos = 1_000_000_123
        #expect(try node.serializedBytes() == expected)
        #expect(try NodeExecStats(serializedBytes: expected) == node)
    }

    @Test func nodeExecStatsRelativeTimesAndLabel() throws {
        var node = NodeExecStats()
        node.opStartRelMicros = 1
        node.opEndRelMicros = 2
        node.allEndRelMicros = 3
        node.timelineLabel = "y = MatMul(x, w)"
        node.scheduledMicros = 4
        node.opStartRelNanos = 5
        node.opEndRelNanos = 6
        node.allEndRelNanos = 7
        node.scheduledNanos = 8
        let expected =
            bytes("18 01 20 02 28 03")  // 3, 4, 5: op_start_rel, op_end_rel, all_end_rel micros
            + bytes("42 10") + ascii("y = MatMul(x, w)")  // 8: timeline_label
            + bytes("48 04")  // 9: scheduled_micros
            + bytes("70 05 78 06")  // 14, 15: op_start_rel_nanos, op_end_rel_nanos
            + bytes("80 01 07 88 01 08")  // 16, 17: two-byte tags (field << 3 >= 128)
        #expect(try node.serializedBytes() == expected)
    }

    @Test func deviceStepStatsWithThreadName() throws {
        var node = NodeExecStats()
        node.nodeName = "a"
        var device = DeviceStepStats()
        device.device = "/device:CPU:0"
        device.nodeStats = [node]
        device.threadNames = [3: "af-w3-n1"]
        let expected =
            bytes("0A 0D") + ascii("/device:CPU:0")  // 1: device
            + bytes("12 03 0A 01") + ascii("a")  // 2: node_stats { node_name: "a" }
            + bytes("1A 0C 08 03 12 08") + ascii("af-w3-n1")  // 3: map entry { key: 3, value: "af-w3-n1" }
        #expect(try device.serializedBytes() == expected)
        #expect(try DeviceStepStats(serializedBytes: expected) == device)
    }

    @Test func stepStatsInRunMetadata() throws {
        var device = DeviceStepStats()
        device.device = "d"
        var md = RunMetadata()
        md.stepStats.devStats = [device]
        // RunMetadata 1: step_stats { 1: dev_stats { 1: device "d" } }
        #expect(try md.serializedBytes() == bytes("0A 05 0A 03 0A 01") + ascii("d"))
        #expect(md.hasStepStats)
        #expect(!RunMetadata().hasStepStats)
    }

    @Test func nodeOutputWithTensorDescription() throws {
        var output = NodeOutput()
        output.slot = 1
        output.tensorDescription = TensorDescription(NDArray([1, 2] as [Float]))
        let shape = bytes("12 04 12 02 08 02")  // 2: shape { 2: dim { 1: size 2 } }
        let allocation = bytes("08 08 10 08 1A 03") + ascii("cpu")  // requested, allocated = 8; allocator "cpu"
        let description = bytes("08 01") + shape + bytes("22 09") + allocation  // 1: DT_FLOAT, 4: allocation
        let expected = bytes("08 01 1A 13") + description  // 1: slot, 3: tensor_description (2 unused)
        #expect(description.count == 0x13)
        #expect(try output.serializedBytes() == expected)
    }

    @Test func memoryFields() throws {
        var record = AllocationRecord()
        record.allocMicros = 10
        record.allocBytes = -4
        var used = AllocatorMemoryUsed()
        used.allocatorName = "cpu"
        used.totalBytes = 4
        used.peakBytes = 4
        used.liveBytes = 0
        used.allocationRecords = [record]
        used.allocatorBytesInUse = 64
        let recordBytes = bytes("08 0A 10 FC FF FF FF FF FF FF FF FF 01")  // -4 as a 10-byte varint
        let expected =
            bytes("0A 03") + ascii("cpu") + bytes("10 04 18 04")  // 1, 2, 3 (4: live_bytes 0 is omitted)
            + bytes("28 40")  // 5: allocator_bytes_in_use
            + bytes("32 0D") + recordBytes  // 6: allocation_records
        #expect(try used.serializedBytes() == expected)

        var stats = MemoryStats()
        stats.tempMemorySize = 1
        stats.persistentMemorySize = 2
        stats.persistentTensorAllocIds = [3, 4]
        // 1, 3, then 5 packed: 2A 02 03 04
        #expect(try stats.serializedBytes() == bytes("08 01 18 02 2A 02 03 04"))
    }
}
