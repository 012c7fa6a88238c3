import ActorFlow
import ActorFlowExecutor
import Foundation

/// One step of a real ActorFlow graph — a two-layer perceptron built through `import ActorFlow` — run by a `Session`
/// at `.softwareTrace` on the default policy (NUMA-aware work stealing on the shared pool), so the step engine, not a
/// script, fires the tracepoints.
///
/// ActorFlowTracingTests records this with a private lttng session and checks the events against the graph, which its
/// `RealGraphExpectation` writes out by hand, and against the step's RunMetadata, which this probe saves; any change
/// to the graph here must be mirrored there.
///
///     x [4,3] ─┐
///              ├─ layer1/matmul ─┐
///     layer1/w ┘                 ├─ layer1/add ── layer1/relu ─┐
///                      layer1/b ─┘                             ├─ layer2/matmul ─┐
///                                                     layer2/w ┘                 ├─ layer2/add ── probabilities
///                                                                      layer2/b ─┘
enum RealGraphStep {
    /// The graph and the tensor the step fetches.
    static func build() -> (graph: Graph, fetch: Tensor) {
        let g = Graph()
        func values(_ count: Int, _ scale: Float) -> [Float] {
            (0..<count).map { i in Float(i % 7 - 3) * scale }
        }
        // The shapes match the element counts by construction.
        func constant(_ shape: [Int], _ scale: Float, name: String) -> Tensor {
            g.constant(try! NDArray(shape: shape, scalars: values(shape.reduce(1, *), scale)), name: name)
        }
        let x = constant([4, 3], 0.5, name: "x")
        let w1 = constant([3, 8], 0.25, name: "layer1/w")
        let b1 = constant([8], 0.1, name: "layer1/b")
        let hidden = g.relu(g.add(g.matMul(x, w1, name: "layer1/matmul"), b1, name: "layer1/add"), name: "layer1/relu")
        let w2 = constant([8, 2], 0.25, name: "layer2/w")
        let b2 = constant([2], 0.1, name: "layer2/b")
        let logits = g.add(g.matMul(hidden, w2, name: "layer2/matmul"), b2, name: "layer2/add")
        return (g, g.softmax(logits, name: "probabilities"))
    }

    /// Runs one step (traced at `traceLevel`) and, when `metadataPath` is given, writes its RunMetadata there.
    ///
    /// The fetched value is dropped before this returns, so its buffer's `free` event is emitted after the step's.
    ///
    /// - Returns: The line the test parses:
    ///   `pid=… epoch_offset_ns=… workers=… numa_nodes=… ops=… fetched_allocation_id=…`.
    ///
    /// At `.noTrace` the events come only from the recording session having enabled them; the metadata then
    /// has no step statistics, which the probe checks.
    static func run(metadataPath: String?, traceLevel: RunOptions.TraceLevel = .softwareTrace) throws -> String {
        let (graph, fetch) = build()
        let session = Session(graph: graph)
        defer { session.close() }
        var metadata = RunMetadata()
        var probabilities: NDArray? = try session.run(
            fetch, options: RunOptions(traceLevel: traceLevel), metadata: &metadata)
        if traceLevel == .noTrace, metadata.hasStepStats {
            throw ProbeError("a .noTrace step filled RunMetadata.stepStats")
        }
        guard let shape = probabilities?.dimensions, shape == [4, 2], let fetchedID = probabilities?.allocationID else {
            throw ProbeError("the step fetched \(probabilities.map { "shape \($0.dimensions)" } ?? "nothing"), "
                + "expected shape [4, 2] in a tracked buffer")
        }
        probabilities = nil
        if let metadataPath {
            let bytes: [UInt8] = try metadata.serializedBytes()
            try Data(bytes).write(to: URL(fileURLWithPath: metadataPath))
        }
        let pool = WorkStealingExecutor.shared
        return "pid=\(getpid()) epoch_offset_ns=\(TraceClock.epochOffsetNanos) workers=\(pool.parallelism) "
            + "numa_nodes=\(pool.topology.nodes.count) ops=\(graph.operations.count) fetched_allocation_id=\(fetchedID)"
    }
}

/// A failure of the probe's own checks.
struct ProbeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
