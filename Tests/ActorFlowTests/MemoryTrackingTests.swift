import ActorFlow
import Synchronization
import Testing

/// Per-op memory in RunMetadata from the allocation scope installed around each traced kernel: temporaries,
/// forwarding, frees, NUMA nodes, and nothing at all on untraced runs.
@Suite("Traced runs track every NDArray buffer an op makes", .serialized)
struct MemoryTrackingTests {
    /// The allocator name the shared pool's machine gives node `node`'s memory.
    static func allocator(_ node: Int) -> String {
        WorkStealingExecutor.shared.topology.nodes.count > 1 ? "cpu_numa\(node)" : "cpu"
    }

    static func stats(_ md: RunMetadata) -> [String: NodeExecStats] {
        Dictionary(uniqueKeysWithValues: md.stepStats.devStats.flatMap(\.nodeStats).map { ($0.nodeName, $0) })
    }

    @Test("a kernel's temporary counts in total, peak and temp bytes, and its free is among the records")
    func temporaries() throws {
        let g = Graph()
        let x = g.constant([1, 2, 3, 4] as [Float], name: "x")
        let doubled = g.customOp(name: "doubled", inputs: [x], outputs: [(.float32, TensorShape([4]))]) { inputs in
            let v = try inputs[0].scalars(as: Float.self)
            let scratch = NDArray([Float](repeating: 0, count: 1000))          // 4000 bytes, dropped in the kernel
            return withExtendedLifetime(scratch) { [NDArray(v.map { $0 * 2 })] }  // 16 bytes, while scratch lives
        }[0]
        var md = RunMetadata()
        let value = try Session(graph: g).run(doubled, options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        #expect(try value.scalars(as: Float.self) == [2, 4, 6, 8])

        let s = try #require(Self.stats(md)["doubled"])
        let node = try #require(value.numaNode)
        let memory = try #require(s.memory.first)
        #expect(s.memory.count == 1)
        #expect(memory.allocatorName == Self.allocator(node))
        #expect(memory.totalBytes == 4016)
        #expect(memory.peakBytes >= 4016)
        #expect(memory.liveBytes == 16)
        #expect(memory.allocatorBytesInUse >= 16)
        #expect(s.memoryStats.tempMemorySize == 4000)
        #expect(s.memoryStats.persistentMemorySize == 0)
        let records = memory.allocationRecords.map(\.allocBytes)
        #expect(records.sorted() == [-4000, 16, 4000], "\(records)")
        #expect(records.firstIndex(of: 4000)! < records.firstIndex(of: -4000)!)
        let times = memory.allocationRecords.map(\.allocMicros)
        #expect(times.allSatisfy { s.allStartMicros <= $0 && $0 <= s.allStartMicros + s.allEndRelMicros + 1 })

        let description = try #require(s.output.first?.tensorDescription.allocationDescription)
        #expect(description.allocationID == Int64(value.allocationID ?? -1) && description.allocationID > 0)
        #expect(description.allocatorName == Self.allocator(node))
        #expect(description.hasSingleReference_p)
        #expect(description.requestedBytes == 16)
        #expect(md.costGraph.node.first { $0.name == "doubled" }?.temporaryMemorySize == 4000)
        // The constant input was made when the graph was built: no op of the step allocated it.
        let constant = try #require(Self.stats(md)["x"])
        #expect(constant.memory.first?.totalBytes == 0)
        #expect(constant.output.first?.tensorDescription.allocationDescription.allocationID == 0)
    }

    @Test("Identity and Reshape forward their input's buffer: no allocation, the producer's allocation id")
    func forwarding() throws {
        let g = Graph()
        let a = g.constant([[1, 2], [3, 4]] as [[Float]], name: "a")
        let p = g.add(a, a, name: "p")
        let i = g.identity(p, name: "i")
        let r = g.reshape(i, [4], name: "r")
        var md = RunMetadata()
        let value = try Session(graph: g).run(r, options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        let stats = Self.stats(md)
        func description(_ name: String) throws -> AllocationDescription {
            try #require(stats[name]?.output.first?.tensorDescription.allocationDescription)
        }
        let produced = try description("p").allocationID
        #expect(produced > 0)
        #expect(try description("i").allocationID == produced)
        #expect(try description("r").allocationID == produced)
        #expect(value.allocationID.map(Int64.init) == produced)
        #expect(stats["p"]?.memory.first?.totalBytes == 16)
        #expect(try description("p").hasSingleReference_p)
        for name in ["i", "r"] {
            let memory = try #require(stats[name]?.memory.first)
            #expect(memory.totalBytes == 0 && memory.peakBytes == 0 && memory.liveBytes == 0, "\(name)")
            #expect(memory.allocationRecords.isEmpty, "\(name)")
            #expect(stats[name]?.memoryStats.tempMemorySize == 0)
            #expect(try !description(name).hasSingleReference_p, "\(name) shares the buffer with its input")
        }
        // The cost graph says which input each output aliases.
        let aliases = Dictionary(uniqueKeysWithValues: md.costGraph.node.map { ($0.name, $0.outputInfo.first?.aliasInputPort) })
        #expect(aliases["p"] == -1 && aliases["i"] == 0 && aliases["r"] == 0)
        #expect(md.costGraph.node.allSatisfy { $0.temporaryMemorySize == 0 })
    }

    @Test("a traced run's fetched value knows its NUMA node; an untraced run's does not")
    func numaNodeOfFetchedValues() throws {
        let g = Graph()
        let x = g.constant([1, 2] as [Float], name: "x")
        let y = g.mul(x, x, name: "y")
        let session = Session(graph: g)
        let traced = try session.run(y, options: RunOptions(traceLevel: .softwareTrace))
        let node = try #require(traced.numaNode)
        #expect(WorkStealingExecutor.shared.topology.nodes.map(\.id).contains(node))
        #expect(traced.allocationID != nil)
        let untraced = try session.run(y)
        #expect(untraced.numaNode == nil && untraced.allocationID == nil)
        #expect(untraced == traced)
    }

    @Test("frees after the step are not in its metadata, but the process's live bytes drop with the fetched value")
    func freesAfterTheStep() throws {
        let count = 1 << 20
        let g = Graph()
        let big = g.zeros(shape: [count], name: "big")
        let doubled = g.add(big, big, name: "doubled")
        var md = RunMetadata()
        var value: NDArray? = try Session(graph: g).run(
            doubled, options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        let stats = Self.stats(md)
        // `big` was consumed (and freed) inside the step; `doubled` is still held by the caller.
        #expect(stats["big"]?.memory.first?.allocationRecords.map(\.allocBytes) == [Int64(count * 4), -Int64(count * 4)])
        #expect(stats["doubled"]?.memory.first?.allocationRecords.map(\.allocBytes) == [Int64(count * 4)])
        #expect(stats["doubled"]?.memory.first?.liveBytes == Int64(count * 4))

        // Other suites may track small buffers meanwhile.
        let before = TrackedMemory.liveBytes
        #expect(before >= count * 4)
        value = nil
        let drop = before - TrackedMemory.liveBytes
        #expect(abs(drop - count * 4) < 1 << 20, "dropped \(drop) bytes")
        #expect(value == nil)
    }

    @Test("untraced runs install no scope and create no tracked buffers; traced ones do")
    func untracedRunsTrackNothing() throws {
        let seen = Seen()
        let g = Graph()
        let x = g.constant([1, 2] as [Float], name: "x")
        let made = g.customOp(name: "made", inputs: [x], outputs: [(.float32, TensorShape([2]))]) { inputs in
            let value = NDArray(try inputs[0].scalars(as: Float.self).map { $0 + 1 })
            seen.record(AllocationScope.current != nil, value.allocationID != nil)
            return [value]
        }[0]
        let session = Session(graph: g)
        let untraced = try session.run(made)
        #expect(seen.take() == [false, false])
        #expect(untraced.allocationID == nil)
        _ = try session.run(made, options: RunOptions(traceLevel: .softwareTrace))
        #expect(seen.take() == [true, true])
    }

    @Test("on a machine of two NUMA nodes each node's memory is its own allocator, cpu_numa<N>")
    func twoNodeAllocatorNames() throws {
        let topology = try Topology(nodes: [NUMANode(id: 0, cpus: [0]), NUMANode(id: 1, cpus: [1])])
        let pool = WorkStealingExecutor(topology: topology, workers: 2)
        defer { pool.shutdown() }
        let g = Graph()
        var t = g.constant([1, 2, 3] as [Float], name: "c")
        for k in 0..<8 { t = g.add(t, t, name: "add\(k)") }
        var md = RunMetadata()
        // The pool's workers, whatever ACTORFLOW_POLICY says: the test is about their nodes.
        let options = SessionOptions(policy: .workStealing(numaAware: true), executor: pool)
        let value = try Session(graph: g, options: options).run(
            t, options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
        let device = try #require(md.stepStats.devStats.first)
        for s in device.nodeStats where s.nodeName.hasPrefix("add") {
            // The worker's thread name ends in its node: af-w<i>-n<node>.
            let thread = try #require(device.threadNames[s.threadID])
            let node = try #require(thread.split(separator: "n").last.flatMap { Int($0) })
            #expect(s.memory.map(\.allocatorName) == ["cpu_numa\(node)"], "\(s.nodeName) on \(thread)")
            #expect(s.output.first?.tensorDescription.allocationDescription.allocatorName == "cpu_numa\(node)")
        }
        let node = try #require(value.numaNode)
        #expect([0, 1].contains(node))
    }

    @Test("an op that allocates on some steps only: each traced step reports its own memory, none of another's")
    func allocatingOnSomeSteps() throws {
        let g = Graph()
        let step = g.placeholder(.int32, shape: [], name: "step")
        let out = g.customOp(name: "sometimes", inputs: [step], outputs: [(.int32, TensorShape([]))]) { inputs in
            let n = try inputs[0].scalars(as: Int32.self)[0]
            if n % 3 == 0 { return [inputs[0]] }                                   // forwards: allocates nothing
            let scratch = NDArray([Int32](repeating: n, count: Int(n) * 10))       // 40·n bytes, dropped here
            return withExtendedLifetime(scratch) { [NDArray(n + 1)] }             // 4 bytes
        }[0]
        let session = Session(graph: g)
        for n in Int32(0)..<9 {
            var md = RunMetadata()
            let value = try session.run(
                out, feeds: [step: NDArray(n)], options: RunOptions(traceLevel: .fullTrace), metadata: &md)
            let s = try #require(Self.stats(md)["sometimes"])
            let memory = try #require(s.memory.first)
            if n % 3 == 0 {
                #expect(try value.scalars(as: Int32.self) == [n])
                #expect(memory.totalBytes == 0 && memory.allocationRecords.isEmpty, "step \(n)")
            } else {
                #expect(try value.scalars(as: Int32.self) == [n + 1])
                #expect(memory.totalBytes == 40 * Int64(n) + 4, "step \(n)")
                #expect(memory.allocationRecords.map(\.allocBytes).sorted() == [-40 * Int64(n), 4, 40 * Int64(n)])
                #expect(s.memoryStats.tempMemorySize == 40 * Int64(n))
            }
        }
    }
}

/// What the `made` kernel saw, per run: whether a scope was installed and whether its value was tracked.
private final class Seen: Sendable {
    private let values = Mutex<[Bool]>([])

    func record(_ installed: Bool, _ tracked: Bool) { values.withLock { $0 += [installed, tracked] } }

    func take() -> [Bool] {
        values.withLock { values in
            defer { values = [] }
            return values
        }
    }
}
