import ActorFlowCore
import ActorFlowProto
import ActorFlowTracing
import Testing

@Suite("StepStatsAccumulator")
struct StepStatsAccumulatorTests {
    typealias Samples = StepStatsSamples

    /// Run `r` of a chain `x → mm → relu`: `x`'s kernel is short but its firing long, `mm`'s kernel grows by
    /// 1 µs per run, `relu` is steady. By kernel time the order is mm, relu, x; by whole time x, mm, relu.
    static func run(_ r: Int64, threadNames: [UInt32: String] = [101: "af-w0-n0", 202: "af-w1-n0"])
        -> Tensorflow_StepStats
    {
        let t = r * 1_000_000
        let mmOp = 4_000 + 1_000 * r
        var device = Tensorflow_DeviceStepStats()
        device.device = Samples.cpu
        device.threadNames = threadNames
        device.nodeStats = [
            Samples.node("x", label: "x = Const()", thread: 101, scheduled: t, allStart: t, opStart: t + 100,
                         opEnd: t + 1_100, allEnd: t + 10_000, outputs: [(.float32, [2, 2], 16)]),
            Samples.node("mm", label: "mm = MatMul(x, x)", thread: 202, scheduled: t + 10_000, allStart: t + 10_000,
                         opStart: t + 10_500, opEnd: t + 10_500 + mmOp, allEnd: t + 11_000 + mmOp,
                         outputs: [(.float32, [4, 4], 64)]),
            Samples.node("relu", label: "[cpu 0.1MB 0.1MB] relu = Relu(mm)", thread: 101, scheduled: t + 20_000,
                         allStart: t + 20_000, opStart: t + 20_200, opEnd: t + 22_200, allEnd: t + 22_500,
                         outputs: [(.float32, [4, 4], 64)]),
        ]
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        return stats
    }

    static func threeRuns(keepingNodeStats: Bool = true) -> StepStatsAccumulator {
        var accumulator = StepStatsAccumulator(keepingNodeStats: keepingNodeStats)
        accumulator.add(run(0))
        var metadata = Tensorflow_RunMetadata()
        metadata.stepStats = run(1)
        accumulator.add(metadata)
        accumulator.add(run(2, threadNames: [202: "af-w1-n1", 303: "af-w2-n0"]))
        return accumulator
    }

    @Test("merges every record of every run per device and unions the thread names")
    func merged() {
        let accumulator = Self.threeRuns()
        #expect(accumulator.runCount == 3)
        #expect(accumulator.merged.devStats.count == 1)
        let device = accumulator.merged.devStats[0]
        #expect(device.device == Samples.cpu)
        #expect(device.nodeStats.map(\.nodeName) == ["x", "mm", "relu", "x", "mm", "relu", "x", "mm", "relu"])
        #expect(device.threadNames == [101: "af-w0-n0", 202: "af-w1-n1", 303: "af-w2-n0"])
    }

    @Test("summarizes each op over the runs")
    func summaries() throws {
        let summaries = Self.threeRuns().opSummaries
        #expect(summaries.map(\.nodeName) == ["mm", "relu", "x"])
        let mm = summaries[0]
        #expect(mm.opType == "MatMul")
        #expect(mm.count == 3)
        #expect((mm.totalOpNanos, mm.minOpNanos, mm.maxOpNanos) == (15_000, 4_000, 6_000))
        #expect(mm.meanOpNanos == 5_000)
        #expect((mm.totalAllNanos, mm.minAllNanos, mm.maxAllNanos) == (18_000, 5_000, 7_000))
        #expect(mm.meanAllNanos == 6_000)
        #expect(mm.totalOutputBytes == 192)
        #expect(summaries[1].opType == "Relu")   // the memory prefix is not part of the type
        #expect((summaries[2].totalOpNanos, summaries[2].totalAllNanos, summaries[2].totalOutputBytes) == (3_000, 30_000, 48))
    }

    @Test("ranks ops by kernel time or by whole time")
    func ranking() {
        let accumulator = Self.threeRuns()
        #expect(accumulator.topOps(2, by: .opTime).map(\.nodeName) == ["mm", "relu"])
        #expect(accumulator.topOps(10, by: .allTime).map(\.nodeName) == ["x", "mm", "relu"])
        #expect(accumulator.topOps(0).isEmpty && accumulator.topOps(-1).isEmpty)
    }

    @Test("ties rank by node name")
    func ties() {
        var accumulator = StepStatsAccumulator()
        var device = Tensorflow_DeviceStepStats()
        device.nodeStats = ["b", "c", "a"].map { name in
            Samples.node(name, label: "\(name) = NoOp()", thread: 1, scheduled: 0, allStart: 0, opStart: 0, opEnd: 100,
                         allEnd: 100)
        }
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        accumulator.add(stats)
        #expect(accumulator.topOps(3).map(\.nodeName) == ["a", "b", "c"])
    }

    @Test("the summary table lists the top ops in rank order with aligned columns")
    func table() {
        let table = Self.threeRuns().summaryTable(top: 2)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "3 runs, 9 op executions; top 2 of 3 ops by op time")
        #expect(lines[1].hasPrefix("#  node  op    "))
        #expect(lines[1].hasSuffix("mean all µs  output bytes"))
        let mm = lines[2].split(separator: " ").map(String.init)
        #expect(mm == ["1", "mm", "MatMul", "3", "0.015", "5.0", "4.0", "6.0", "6.0", "192"])
        #expect(lines[3].split(separator: " ").prefix(3) == ["2", "relu", "Relu"])
        #expect(Set(lines.dropFirst().map(\.count)).count == 1, "rows are not aligned:\n\(table)")
        #expect(StepStatsAccumulator().summaryTable() == "0 runs, 0 op executions\n")
    }

    @Test("keeps only summaries when asked to")
    func summariesOnly() {
        let accumulator = Self.threeRuns(keepingNodeStats: false)
        #expect(accumulator.merged.devStats.isEmpty)
        #expect(accumulator.opSummaries == Self.threeRuns().opSummaries)
        #expect(accumulator.runCount == 3)
    }

    @Test("keeps devices in order of first appearance")
    func devices() {
        func stats(_ devices: [String]) -> Tensorflow_StepStats {
            var stats = Tensorflow_StepStats()
            stats.devStats = devices.map { name in
                var d = Tensorflow_DeviceStepStats()
                d.device = name
                d.nodeStats = [Samples.node("n" + name, label: "", thread: 1, scheduled: 0, allStart: 0, opStart: 0,
                                            opEnd: 1, allEnd: 1)]
                return d
            }
            return stats
        }
        var accumulator = StepStatsAccumulator()
        accumulator.add(stats(["cpu0", "cpu1"]))
        accumulator.add(stats(["cpu1", "cpu2", "cpu0"]))
        #expect(accumulator.merged.devStats.map(\.device) == ["cpu0", "cpu1", "cpu2"])
        #expect(accumulator.merged.devStats.map(\.nodeStats.count) == [2, 2, 1])
        #expect(accumulator.opSummaries.first { $0.nodeName == "ncpu0" }?.opType == "")
    }

    @Test("reads microsecond fields when nanoseconds are absent")
    func microsOnly() {
        var node = Tensorflow_NodeExecStats()
        node.nodeName = "old"
        node.timelineLabel = "old = Sum(a, b)"
        node.allStartMicros = 1_500_000_000_000_000
        node.opStartRelMicros = 2
        node.opEndRelMicros = 9
        node.allEndRelMicros = 11
        var device = Tensorflow_DeviceStepStats()
        device.nodeStats = [node]
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        var accumulator = StepStatsAccumulator()
        accumulator.add(stats)
        let summary = accumulator.opSummaries[0]
        #expect((summary.opType, summary.totalOpNanos, summary.totalAllNanos) == ("Sum", 7_000, 11_000))
    }
}
