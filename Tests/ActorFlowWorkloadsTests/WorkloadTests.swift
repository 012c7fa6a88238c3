import ActorFlow
import ActorFlowTestSupport
import ActorFlowWorkloads
import Testing

/// Every workload builds the shape it promises and computes the same thing under every policy.
@Suite("Workloads")
struct WorkloadTests {
    /// A small size per workload and the node count it must give, worked out by hand from the shape.
    static let smallCases: [(Workload, size: Int, nodes: Int)] = [
        (.chain, 50, 50),
        (.fanout, 50, 52),  // source + 50 + sink
        (.wavefront, 7, 49),  // 7 × 7 grid
        (.tree, 6, 63),  // 2^6 − 1
        (.random, 200, 200),
        (.tiledMatMul, 128, 20),  // 2×2 tiles: 8 constant tiles, 8 tile products, 4 sums
        (.mlp, 4, 15),  // 3 layers × (weights, bias, matMul, add, activation); the placeholder is fed
        (.mapReduce, 5, 24),  // 5 × (constant, tanh, square, reduceSum) + 4 adds
        (.addChain, 30, 30),  // 30 adds; the placeholder is fed
        (.ioMix, 4, 16),  // weights + 4 × (readFile, matMul, reduceSum) + 3 adds
    ]

    @Test("the small cases cover every workload")
    func coverage() {
        #expect(Set(Self.smallCases.map(\.0)) == Set(Workload.allCases))
    }

    @Test("each workload builds the expected number of nodes", arguments: smallCases)
    func nodeCounts(_ workload: Workload, size: Int, nodes: Int) throws {
        let built = workload.build(size: size)
        #expect(built.nodeCount == nodes)
        // Every op of the graph runs, except the fed placeholders.
        #expect(built.graph.operations.count == nodes + built.feedValues.count)
        #expect(try SequentialProgram(built).nodeCount == nodes)
    }

    @Test("the scheduling shapes at their default sizes match the executor issue")
    func defaultSizes() {
        #expect(Workload.chain.defaultSize == 100_000)
        #expect(Workload.fanout.defaultSize == 100_000)
        #expect(Workload.wavefront.defaultSize == 256)
        #expect(Workload.tree.defaultSize == 17)
        #expect(Workload.random.defaultSize == 100_000)
        for workload in Workload.allCases {
            #expect(workload.sizeLimit.contains(workload.defaultSize), "\(workload)")
            #expect(workload.sizeLimit.contains(workload.quickSize), "\(workload)")
        }
    }

    @Test("sizes outside the limit are clamped, not trapped on")
    func clamping() {
        #expect(Workload.chain.build(size: 0).nodeCount == 1)
        #expect(Workload.tree.build(size: -3).nodeCount == 1)
        #expect(Workload.wavefront.build(size: 1).nodeCount == 1)
    }

    @Test("the random DAG is reproducible from its seed and differs across seeds")
    func randomSeeds() {
        func edges(_ built: BuiltWorkload) -> [[Int]] {
            built.graph.operations.map { $0.controlInputs.map(\.id) }
        }
        let a = Workload.random.build(size: 300, seed: 7)
        let b = Workload.random.build(size: 300, seed: 7)
        let c = Workload.random.build(size: 300, seed: 8)
        #expect(edges(a) == edges(b))
        #expect(edges(a) != edges(c))
        #expect(edges(a).contains { $0.count > 1 }, "some node joins several predecessors")
    }

    @Test(
        "the scheduling shapes run every node once under every policy",
        arguments: [Workload.chain, .fanout, .wavefront, .tree, .random], SchedulingPolicy.all)
    func schedulingShapes(_ workload: Workload, policy: SchedulingPolicy) async throws {
        let size = Self.smallCases.first { $0.0 == workload }!.size
        let built = workload.build(size: size)
        let session = Session(graph: built.graph, options: SessionOptions(policy: policy))
        defer { session.close() }
        let executed = try await onPlainThread {
            var metadata = RunMetadata()
            for _ in 0..<2 {  // the second step reuses the cached plan
                try built.run(in: session, options: RunOptions(traceLevel: .softwareTrace), metadata: &metadata)
            }
            return metadata.stepStats.devStats.flatMap { $0.nodeStats.map(\.nodeName) }
        }
        #expect(executed.count == built.nodeCount)
        #expect(Set(executed).count == built.nodeCount, "no node ran twice")
    }

    @Test(
        "the compute shapes fetch the same values under every policy as on the caller's thread",
        arguments: [Workload.tiledMatMul, .mlp, .mapReduce, .addChain, .ioMix])
    func computeShapes(_ workload: Workload) async throws {
        let size = Self.smallCases.first { $0.0 == workload }!.size
        let built = workload.build(size: size)
        let reference = try built.run(in: Session(graph: built.graph, options: SessionOptions(policy: .callerThread)))
        #expect(reference.count == built.fetches.count)
        #expect(reference.allSatisfy { $0.elementCount > 0 })
        for policy in SchedulingPolicy.all where policy != .callerThread {
            let session = Session(graph: built.graph, options: SessionOptions(policy: policy))
            let values = try await onPlainThread { try built.run(in: session) }
            session.close()
            #expect(values == reference, "\(policy)")
        }
    }

    @Test("the sequential program computes what a session computes", arguments: [Workload.tiledMatMul, .mlp, .mapReduce, .addChain, .ioMix])
    func sequentialMatchesSession(_ workload: Workload) throws {
        let size = Self.smallCases.first { $0.0 == workload }!.size
        let built = workload.build(size: size)
        let reference = try built.run(in: Session(graph: built.graph, options: SessionOptions(policy: .callerThread)))
        let program = try SequentialProgram(built)
        #expect(try program.run() == reference)
        #expect(try program.run() == reference, "a program runs again from scratch")
    }

    @Test("the add chain computes x + n·x")
    func addChainValue() throws {
        let built = Workload.addChain.build(size: 30)
        let values = try built.run(in: Session(graph: built.graph, options: SessionOptions(policy: .callerThread)))
        #expect(values == [NDArray(Float(31))])
    }

    @Test("the tiled product equals the untiled one")
    func tiledProduct() throws {
        let built = Workload.tiledMatMul.build(size: 128)
        let tiles = try SequentialProgram(built).run()
        // Reassemble A and B from the constant tiles (created row by row: A's four, then B's four).
        let constants = built.graph.operations.filter { $0.type == "Const" }
        #expect(constants.count == 8)
        let g = Graph()
        func assemble(_ ops: ArraySlice<Operation>) -> Tensor {
            let parts = ops.map { op -> Tensor in
                guard case .tensor(let value)? = op.attributes["value"] else {
                    Issue.record("\(op.name) has no constant value")
                    return g.constant(Float(0))
                }
                return g.constant(value)
            }
            return g.concat([g.concat([parts[0], parts[1]], axis: 1), g.concat([parts[2], parts[3]], axis: 1)], axis: 0)
        }
        let product = g.matMul(assemble(constants[0..<4]), assemble(constants[4..<8]))
        let whole = try Session(graph: g, options: SessionOptions(policy: .callerThread)).run(product)
        let expected = try whole.scalars(as: Float.self)
        // C's tile (i, j) is rows 64i..<64i+64, columns 64j..<64j+64 of the whole product.
        for (t, tile) in tiles.enumerated() {
            let (i, j) = (t / 2, t % 2)
            let values = try tile.scalars(as: Float.self)
            for r in 0..<64 {
                for c in 0..<64 {
                    let e = expected[(64 * i + r) * 128 + 64 * j + c]
                    #expect(abs(values[r * 64 + c] - e) <= 1e-3 * max(1, abs(e)))
                }
            }
        }
    }
}
