import ActorFlow
import ActorFlowTestSupport
import Testing

/// RunMetadata filled by traced runs: TensorFlow's field semantics, for every policy.
@Suite("Traced runs fill RunMetadata")
struct TracedRunTests {
    /// `z = (x · w) + b` with x fed: four ops run (w, b, MatMul, Add).
    static func model() -> (Graph, x: Tensor, z: Tensor) {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let w = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]], name: "w")
        let b = g.constant([1, 1, 1] as [Float], name: "b")
        let y = g.matMul(x, w, name: "y")
        let z = g.add(y, b, name: "z")
        return (g, x, z)
    }

    @Test(".noTrace leaves step stats and the cost graph empty")
    func noTrace() throws {
        let (g, x, z) = Self.model()
        var md = RunMetadata()
        _ = try Session(graph: g).run(z, feeds: [x: [[1, 2]] as [[Float]]], metadata: &md)
        #expect(!md.hasStepStats)
        #expect(!md.hasCostGraph)
    }

    @Test(".softwareTrace records every op with TensorFlow's field semantics", arguments: allPolicies)
    func softwareTrace(policy: SchedulingPolicy) async throws {
        let (g, x, z) = Self.model()
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        let md = try await onPlainThread { () -> RunMetadata in
            var md = RunMetadata()
            _ = try session.run(
                z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]], options: RunOptions(traceLevel: .softwareTrace),
                metadata: &md)
            return md
        }
        #expect(md.stepStats.devStats.count == 1)
        let device = md.stepStats.devStats[0]
        #expect(device.device == "/job:localhost/replica:0/task:0/device:CPU:0")
        let stats = Dictionary(uniqueKeysWithValues: device.nodeStats.map { ($0.nodeName, $0) })
        #expect(Set(stats.keys) == ["w", "b", "y", "z"])
        for s in device.nodeStats {
            #expect(s.scheduledMicros <= s.allStartMicros, "\(s.nodeName)")
            #expect(s.scheduledNanos <= s.allStartNanos, "\(s.nodeName)")
            #expect(0 <= s.opStartRelMicros && s.opStartRelMicros <= s.opEndRelMicros, "\(s.nodeName)")
            #expect(s.opEndRelMicros <= s.allEndRelMicros, "\(s.nodeName)")
            #expect(0 <= s.opStartRelNanos && s.opStartRelNanos <= s.opEndRelNanos, "\(s.nodeName)")
            #expect(s.opEndRelNanos <= s.allEndRelNanos, "\(s.nodeName)")
            #expect(s.allStartMicros == s.allStartNanos / 1000)
            #expect(s.threadID != 0)
            #expect(device.threadNames[s.threadID] != nil, "thread \(s.threadID) has no name")
        }
        if policy == .default || policy == .globalQueue {
            #expect(device.threadNames.values.allSatisfy { $0.hasPrefix("af-w") })
        }
        // Consumers start after their producers end.
        let y = try #require(stats["y"]), zs = try #require(stats["z"]), b = try #require(stats["b"])
        #expect(zs.allStartNanos >= y.allStartNanos + y.allEndRelNanos)
        #expect(zs.allStartNanos >= b.allStartNanos + b.allEndRelNanos)
        // Outputs: dtype, shape and bytes = dtype size × elements.
        let out = try #require(y.output.first?.tensorDescription)
        #expect(out.dtype == .dtFloat)
        #expect(out.shape.dim.map(\.size) == [2, 3])
        #expect(out.allocationDescription.requestedBytes == 4 * 6)
        #expect(y.memory.first?.totalBytes == 24)
        #expect(y.timelineLabel == "y = MatMul(x, w)")
        #expect(zs.timelineLabel == "z = Add(y, b)")
        // The bytes are TensorFlow's wire format and round-trip.
        let decoded = try RunMetadata(serializedBytes: try md.serializedData())
        #expect(decoded == md)
    }

    @Test(".fullTrace adds allocation records; .hardwareTrace fills the cost graph or says why not")
    func fullAndHardware() throws {
        let (g, x, z) = Self.model()
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        var md = RunMetadata()
        _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]], options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        let y = try #require(md.stepStats.devStats[0].nodeStats.first { $0.nodeName == "y" })
        #expect(y.memory.first?.allocationRecords.first?.allocBytes == 12)
        #expect(md.costGraph.node.count == 4)
        let costY = try #require(md.costGraph.node.first { $0.name == "y" })
        #expect(costY.outputInfo.first?.size == 12)
        #expect(costY.inputInfo.count == 1)  // x is fed, so only w is a node of the step
        if HardwareCounters.availability.isAvailable {
            #expect(md.costGraph.cost.map(\.dimension) == ["cycles", "instructions", "cache_misses"])
        } else {
            #expect(md.costGraph.cost.first?.dimension.hasPrefix("hardware_counters_unavailable: ") == true)
        }
        var sw = RunMetadata()
        _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]], options: RunOptions(traceLevel: .softwareTrace), metadata: &sw)
        #expect(sw.stepStats.devStats[0].nodeStats.allSatisfy { $0.memory.allSatisfy(\.allocationRecords.isEmpty) })
        #expect(!sw.hasCostGraph)
    }

    @Test("forwarded outputs are not counted as allocations; NoOps record no memory")
    func forwardedOutputs() throws {
        let g = Graph()
        let a = g.constant([1, 2] as [Float], name: "a")
        let i = g.identity(a, name: "i")
        let done = g.group([i.op], name: "done")
        var md = RunMetadata()
        _ = try Session(graph: g).run(done, options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
        let stats = Dictionary(uniqueKeysWithValues: md.stepStats.devStats[0].nodeStats.map { ($0.nodeName, $0) })
        #expect(stats["i"]?.memory.first?.totalBytes == 0)
        #expect(stats["i"]?.output.first?.tensorDescription.allocationDescription.requestedBytes == 8)
        #expect(stats["done"]?.memory.isEmpty == true)
        #expect(stats["done"]?.timelineLabel == "done = NoOp(^i)")
    }

    @Test("outputPartitionGraphs describes the pruned step with _Arg and _Retval nodes")
    func partitionGraphs() throws {
        let (g, x, z) = Self.model()
        var md = RunMetadata()
        _ = try Session(graph: g).run(
            z, feeds: [x: [[1, 2]] as [[Float]]], options: RunOptions(outputPartitionGraphs: true), metadata: &md)
        let nodes = try #require(md.partitionGraphs.first).node
        #expect(nodes.map(\.op).filter { $0 == "_Arg" }.count == 1)
        #expect(nodes.first { $0.op == "_Retval" }?.input == ["z"])
        #expect(nodes.first { $0.name == "y" }?.input == ["_arg_x_0_0", "w"])
        #expect(!nodes.contains { $0.name == "x" })
    }

    @Test("metadata of successive runs is overwritten, and accumulates on request")
    func accumulation() throws {
        let (g, x, z) = Self.model()
        let session = Session(graph: g)
        var accumulator = StepStatsAccumulator()
        for _ in 0..<3 {
            var md = RunMetadata()
            _ = try session.run(
                z, feeds: [x: [[1, 2]] as [[Float]]], options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
            #expect(md.stepStats.devStats[0].nodeStats.count == 4)
            accumulator.add(md)
        }
        #expect(accumulator.runCount == 3)
        #expect(accumulator.opSummaries.first { $0.nodeName == "y" }?.count == 3)
    }
}
