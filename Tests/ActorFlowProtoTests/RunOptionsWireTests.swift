import ActorFlow
import ActorFlowProto
import SwiftProtobuf
import Testing

/// Golden bytes for `RunOptions`, worked out by hand from TensorFlow's field numbers (config.proto:
/// trace_level = 1, timeout_in_ms = 2, inter_op_thread_pool = 3, output_partition_graphs = 5,
/// debug_options = 6, report_tensor_allocations_upon_oom = 7, experimental = 8) and checked with
/// `protoc --decode_raw`.
@Suite struct RunOptionsWireTests {
    @Test func traceLevelAndTimeout() throws {
        let options = RunOptions(traceLevel: .fullTrace, timeoutInMs: 200)
        // field 1 varint 3; field 2 varint 200 = C8 01.
        #expect(try options.serializedBytes() == bytes("08 03 10 C8 01"))
    }

    @Test func defaultOptionsAreEmpty() throws {
        #expect(try RunOptions().serializedBytes() == [UInt8]())
        #expect(RunOptions() == RunOptions(traceLevel: .noTrace, timeoutInMs: 0))
    }

    @Test func traceLevelNumbers() {
        #expect(RunOptions.TraceLevel.allCases.map(\.rawValue) == [0, 1, 2, 3])
        #expect(RunOptions.TraceLevel.allCases == [.noTrace, .softwareTrace, .hardwareTrace, .fullTrace])
    }

    @Test func callerThreadPartitionGraphsAndExperimental() throws {
        var options = RunOptions(interOpThreadPool: -1, outputPartitionGraphs: true)
        options.reportTensorAllocationsUponOom = true
        options.experimental.useRunHandlerPool = true
        options.experimental.runHandlerPoolOptions.priority = 5
        let expected = bytes(
            "18 FF FF FF FF FF FF FF FF FF 01"  // 3: int32 -1 is sign-extended to a 10-byte varint
                + "28 01"  // 5: true
                + "38 01"  // 7: true
                + "42 06  10 01  1A 02 08 05"  // 8 { 2: true, 3 { 1: 5 } }
        )
        #expect(try options.serializedBytes() == expected)
        #expect(try RunOptions(serializedBytes: expected) == options)
    }

    @Test func debugOptions() throws {
        var watch = Tensorflow_DebugTensorWatch()
        watch.nodeName = "y"
        watch.outputSlot = 0
        watch.debugOps = ["DebugIdentity"]
        var options = RunOptions()
        options.debugOptions.debugTensorWatchOpts = [watch]
        options.debugOptions.globalStep = 1
        // 6 { 4 { 1: "y", 3: "DebugIdentity" }, 10: 1 }
        let watchBytes = bytes("0A 01") + ascii("y") + bytes("1A 0D") + ascii("DebugIdentity")
        let debugBytes = bytes("22 12") + watchBytes + bytes("50 01")
        #expect(watchBytes.count == 0x12)
        #expect(try options.serializedBytes() == bytes("32 16") + debugBytes)
    }

    @Test func reservedFieldFourIsKeptAsUnknown() throws {
        // Bytes from a writer that still uses the retired field 4 must survive a parse and re-serialize.
        let wire = bytes("08 01 20 07")
        let options = try RunOptions(serializedBytes: wire)
        #expect(options.traceLevel == .softwareTrace)
        #expect(Array(options.unknownFields.data) == bytes("20 07"))
        #expect(try options.serializedBytes() == wire)
    }

    @Test func unrecognizedTraceLevelSurvives() throws {
        let options = try RunOptions(serializedBytes: bytes("08 09"))
        #expect(options.traceLevel == .UNRECOGNIZED(9))
        #expect(options.collectsStepStats)
        #expect(try options.serializedBytes() == bytes("08 09"))
    }

    @Test func collectsStepStats() {
        #expect(!RunOptions().collectsStepStats)
        #expect(RunOptions(traceLevel: .softwareTrace).collectsStepStats)
        #expect(RunOptions(traceLevel: .fullTrace).collectsStepStats)
        var oom = RunOptions()
        oom.reportTensorAllocationsUponOom = true
        #expect(oom.collectsStepStats)
    }

    @Test func callableOptions() throws {
        var callable = Tensorflow_CallableOptions()
        callable.feed = ["x:0"]
        callable.fetch = ["y:0"]
        callable.runOptions = RunOptions(traceLevel: .fullTrace)
        callable.fetchSkipSync = true
        let expected =
            bytes("0A 03") + ascii("x:0")  // 1: feed
            + bytes("12 03") + ascii("y:0")  // 2: fetch
            + bytes("22 02 08 03")  // 4: run_options { trace_level: FULL_TRACE }
            + bytes("40 01")  // 8: fetch_skip_sync
        #expect(try callable.serializedBytes() == expected)
    }
}
