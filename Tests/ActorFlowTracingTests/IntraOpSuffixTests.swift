import ActorFlowCore
import ActorFlowProto
import Foundation
import Testing

@testable import ActorFlowTracing

/// The `[intra-op …]` label suffix: written by the step-statistics builder, read back by the Chrome exporter.
@Suite("Intra-op label suffix")
struct IntraOpSuffixTests {
    static let op = StepStatsPlan.Op(
        Graph().addOperation(type: "CustomOp", name: "y", outputs: [], kernel: Kernel { (_: borrowing KernelContext) in [] }))

    static func record(loops: Int, _ chunks: [(Int32, Int)]) -> NodeExecRecord {
        var r = NodeExecRecord()
        r.didRun = true
        r.intraOpLoops = loops
        r.intraOpChunks = chunks.map { WorkerChunks(worker: $0.0, chunks: $0.1) }
        return r
    }

    @Test("the builder appends loops, chunks and chunks per worker, off-pool last, after any suspension")
    func builderLabel() {
        let builder = StepStatsBuilder(includeAllocationRecords: false)
        var r = Self.record(loops: 2, [(0, 7), (1, 5)])
        #expect(builder.nodeStats(Self.op, r).timelineLabel == "y = CustomOp() [intra-op 2 loops, 12 chunks: w0 7, w1 5]")
        r = Self.record(loops: 1, [(1, 1), (WorkerChunks.offPool, 2)])
        r.suspensions = 1
        r.suspendedNanos = 20_113_000
        #expect(
            builder.nodeStats(Self.op, r).timelineLabel
                == "y = CustomOp() [suspended 20113us, 1 wait] [intra-op 1 loop, 3 chunks: w1 1, off-pool 2]")
        #expect(builder.nodeStats(Self.op, Self.record(loops: 0, [])).timelineLabel == "y = CustomOp()")
    }

    @Test("a suffix parses back to what was written; labels without one, or with a malformed one, give nil")
    func roundTrip() {
        for suffix in [
            IntraOpSuffix(loops: 2, chunks: [WorkerChunks(worker: 0, chunks: 7), WorkerChunks(worker: 1, chunks: 5)]),
            IntraOpSuffix(loops: 1, chunks: [WorkerChunks(worker: 12, chunks: 1), WorkerChunks(worker: -1, chunks: 1)]),
        ] {
            #expect(IntraOpSuffix(in: "[cpu 1.0MB 1.0MB] y = MatMul(a, b)" + suffix.text) == suffix)
            #expect(IntraOpSuffix(in: "y = F() [suspended 5us, 2 waits]" + suffix.text) == suffix)
        }
        for label in [
            "y = MatMul(a, b)", "y = F() [suspended 5us, 2 waits]", "y = F() [intra-op 2 loops]",
            "y = F() [intra-op x loops, 3 chunks: w0 3]", "y = F() [intra-op 1 loop, 3 chunks: q0 3]",
            "y = F() [intra-op 1 loop, 3 chunks: w0 3] trailing",
        ] {
            #expect(IntraOpSuffix(in: label) == nil, "\(label)")
        }
    }

    @Test("the Chrome export reads the suffix into an intra_op argument and leaves the op type alone")
    func chromeArgument() throws {
        let label = "[cpu 1.0MB 1.0MB] y = MatMul(a, b) [intra-op 2 loops, 12 chunks: w0 7, w1 3, off-pool 2]"
        var stats = Tensorflow_StepStats()
        stats.devStats = [Tensorflow_DeviceStepStats()]
        stats.devStats[0].device = StepStatsBuilder.cpuDevice
        stats.devStats[0].nodeStats = [
            StepStatsSamples.node("y", label: label, thread: 7, scheduled: 0, allStart: 0, opStart: 1, opEnd: 9, allEnd: 10),
            StepStatsSamples.node("z", label: "z = Neg(y)", thread: 7, scheduled: 10, allStart: 11, opStart: 12, opEnd: 13, allEnd: 14),
        ]
        let ops = try StepStatsSamples.events(ChromeTraceExporter().json(for: stats)).phase("X")
        #expect(ops.count == 2)
        #expect(ops[0].args["op"] as? String == "MatMul")
        #expect(ops[0].args["inputs"] as? [String] == ["a", "b"])
        let intraOp = try #require(ops[0].args["intra_op"] as? [String: Any])
        #expect(intraOp.integer("loops") == 2)
        #expect(intraOp.integer("chunks") == 12)
        #expect(intraOp["workers"] as? [String: Int] == ["w0": 7, "w1": 3, "off-pool": 2])
        #expect(ops[1].args["intra_op"] == nil)
    }
}
