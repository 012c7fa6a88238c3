import ActorFlow
import ActorFlowTestSupport
import Testing

/// Step statistics are rewritten in place when the caller passes the same `RunMetadata` back; results must be
/// those of a fresh build, and metadata the caller kept must never change.
@Suite("Recycled step statistics")
struct RecycledStatsTests {
    /// The instants of a node, as Unix-epoch nanoseconds.
    static func end(_ s: NodeExecStats) -> Int64 { s.allStartNanos + s.allEndRelNanos }

    @Test("reusing one RunMetadata gives each run's own times; metadata kept from earlier runs is unchanged")
    func reuseKeepsEarlierCopies() throws {
        let (g, x, z) = TracedRunTests.model()
        let session = Session(graph: g)
        let options = RunOptions(traceLevel: .fullTrace)
        var md = RunMetadata()
        var kept: [RunMetadata] = []
        var snapshots: [[Int64]] = []
        for run in 0..<4 {
            let value = try session.run(
                z, feeds: [x: [[Float(run), 1]] as [[Float]]], options: options, metadata: &md)
            #expect(try value.scalars(as: Float.self) == [Float(run) + 5, Float(2 * run) + 6, Float(3 * run) + 7])
            let nodes = md.stepStats.devStats[0].nodeStats
            #expect(Set(nodes.map(\.nodeName)) == ["w", "b", "y", "z"])
            #expect(md.costGraph.node.map(\.name).sorted() == ["b", "w", "y", "z"])
            if let previous = snapshots.last {
                // Every run is measured anew: no node keeps the previous run's start.
                #expect(zip(nodes.map(\.allStartNanos), previous).allSatisfy { $0 > $1 })
            }
            kept.append(md)
            snapshots.append(nodes.map(\.allStartNanos))
        }
        for (metadata, starts) in zip(kept, snapshots) {
            #expect(metadata.stepStats.devStats[0].nodeStats.map(\.allStartNanos) == starts)
        }
        let ids = kept.map { $0.stepStats.devStats[0].nodeStats.first { $0.nodeName == "y" }!.output[0] }
            .map(\.tensorDescription.allocationDescription.allocationID)
        #expect(Set(ids).count == ids.count, "each run's output has its own allocation id")
    }

    @Test("a recycled message equals a freshly built one")
    func recycledEqualsFresh() throws {
        let (g, x, z) = TracedRunTests.model()
        let session = Session(graph: g)
        let options = RunOptions(traceLevel: .softwareTrace)
        var reused = RunMetadata()
        for _ in 0..<3 {
            _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]], options: options, metadata: &reused)
        }
        // A batch of another size changes the output shapes, which the recycled messages must follow.
        _ = try session.run(z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]], options: options, metadata: &reused)
        let y = try #require(reused.stepStats.devStats[0].nodeStats.first { $0.nodeName == "y" })
        let shape = y.output[0].tensorDescription.shape.dim.map(\.size)
        #expect(shape == [2, 3])
        #expect(y.output[0].tensorDescription.allocationDescription.requestedBytes == 24)
        #expect(y.memory[0].totalBytes == 24)

        var fresh = RunMetadata()
        _ = try Session(graph: g).run(z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]], options: options, metadata: &fresh)
        let freshY = try #require(fresh.stepStats.devStats[0].nodeStats.first { $0.nodeName == "y" })
        // Everything but times, thread, allocation ids and the process-wide bytes in use is the same.
        func normalized(_ s: NodeExecStats) -> NodeExecStats {
            var s = s
            (s.allStartMicros, s.allStartNanos, s.scheduledMicros, s.scheduledNanos) = (0, 0, 0, 0)
            (s.opStartRelMicros, s.opStartRelNanos, s.opEndRelMicros, s.opEndRelNanos) = (0, 0, 0, 0)
            (s.allEndRelMicros, s.allEndRelNanos, s.threadID) = (0, 0, 0)
            for i in s.output.indices { s.output[i].tensorDescription.allocationDescription.allocationID = 0 }
            // A snapshot of the whole process's tracked bytes, which concurrent tests change.
            for i in s.memory.indices { s.memory[i].allocatorBytesInUse = 0 }
            return s
        }
        #expect(normalized(y) == normalized(freshY))
    }

    @Test("an untraced run after a traced one leaves the reused metadata empty")
    func untracedClears() throws {
        let (g, x, z) = TracedRunTests.model()
        let session = Session(graph: g)
        var md = RunMetadata()
        _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]], options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        #expect(md.hasStepStats && md.hasCostGraph)
        _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]], metadata: &md)
        #expect(!md.hasStepStats && !md.hasCostGraph)
    }

    @Test("node stats are in completion order on every policy", arguments: allPolicies)
    func completionOrder(policy: SchedulingPolicy) async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [64], name: "x")
        let branches = (0..<16).map { g.square(g.add(x, g.constant(Float($0))), name: "sq\($0)") }
        let total = branches.dropFirst().reduce(branches[0]) { g.add($0, $1) }
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        let orders = try await onPlainThread { () -> [[Int64]] in
            var md = RunMetadata()
            var orders: [[Int64]] = []
            for _ in 0..<3 {
                _ = try session.run(
                    total, feeds: [x: NDArray(shape: [64], scalars: [Float](repeating: 1, count: 64))],
                    options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
                let nodes = md.stepStats.devStats[0].nodeStats
                #expect(nodes.count == 3 * 16 + 15)
                orders.append(nodes.map(Self.end))
            }
            return orders
        }
        for ends in orders { #expect(ends == ends.sorted()) }
    }
}
