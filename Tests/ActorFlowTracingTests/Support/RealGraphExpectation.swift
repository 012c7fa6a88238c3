/// The graph the probe's `run-graph` runs (Tests/ActorFlowTracingProbe/RealGraphStep.swift), written out by hand rather
/// than shared with the probe, so that the test checks what the step engine really did: every op with its type, its
/// data inputs (producers) and the bytes of its one output (float32 elements × 4).
enum RealGraphExpectation {
    struct Op: Sendable {
        var name: String
        var type: String
        var inputs: [String]
        var outputBytes: Int

        /// Whether the op allocates its output: constants output a value made when the graph was built, and
        /// every other op of this graph makes exactly one new buffer, its output.
        var allocates: Bool { type != "Const" }
        /// The bytes of its `alloc` events and `op_end.output_bytes`.
        var allocatedBytes: [Int] { allocates ? [outputBytes] : [] }
    }

    static let ops: [Op] = [
        Op(name: "x", type: "Const", inputs: [], outputBytes: 4 * 3 * 4),
        Op(name: "layer1/w", type: "Const", inputs: [], outputBytes: 3 * 8 * 4),
        Op(name: "layer1/b", type: "Const", inputs: [], outputBytes: 8 * 4),
        Op(name: "layer1/matmul", type: "MatMul", inputs: ["x", "layer1/w"], outputBytes: 4 * 8 * 4),
        Op(name: "layer1/add", type: "Add", inputs: ["layer1/matmul", "layer1/b"], outputBytes: 4 * 8 * 4),
        Op(name: "layer1/relu", type: "Relu", inputs: ["layer1/add"], outputBytes: 4 * 8 * 4),
        Op(name: "layer2/w", type: "Const", inputs: [], outputBytes: 8 * 2 * 4),
        Op(name: "layer2/b", type: "Const", inputs: [], outputBytes: 2 * 4),
        Op(name: "layer2/matmul", type: "MatMul", inputs: ["layer1/relu", "layer2/w"], outputBytes: 4 * 2 * 4),
        Op(name: "layer2/add", type: "Add", inputs: ["layer2/matmul", "layer2/b"], outputBytes: 4 * 2 * 4),
        Op(name: "probabilities", type: "Softmax", inputs: ["layer2/add"], outputBytes: 4 * 2 * 4),
    ]

    static var names: Set<String> { Set(ops.map(\.name)) }
}

/// The line the probe prints after `run-graph`:
/// "pid=PID epoch_offset_ns=N workers=N numa_nodes=N ops=N fetched_allocation_id=N".
struct RealGraphProbeOutput: Equatable {
    var pid: Int
    /// `TraceClock.epochOffsetNanos` in the probe: RunMetadata's Unix-epoch times minus this are CLOCK_MONOTONIC.
    var epochOffsetNanos: Int64
    /// The shared pool's worker count and the NUMA nodes it spans.
    var workers: Int
    var numaNodes: Int
    /// The operations in the graph.
    var ops: Int
    /// The allocation id of the fetched value's buffer, which the probe dropped after the step.
    var fetchedAllocationID: Int

    struct Missing: Error, CustomStringConvertible {
        var output: String
        var description: String {
            "the probe printed no 'pid=… epoch_offset_ns=… workers=… numa_nodes=… ops=… fetched_allocation_id=…' "
                + "line:\n\(output)"
        }
    }

    init(parsing output: String) throws {
        for line in output.split(separator: "\n") where line.hasPrefix("pid=") {
            var values: [String: Int64] = [:]
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: "=")
                if parts.count == 2, let value = Int64(parts[1]) { values[String(parts[0])] = value }
            }
            if let pid = values["pid"], let offset = values["epoch_offset_ns"], let workers = values["workers"],
                let numaNodes = values["numa_nodes"], let ops = values["ops"],
                let fetched = values["fetched_allocation_id"]
            {
                self.pid = Int(pid)
                epochOffsetNanos = offset
                self.workers = Int(workers)
                self.numaNodes = Int(numaNodes)
                self.ops = Int(ops)
                fetchedAllocationID = Int(fetched)
                return
            }
        }
        throw Missing(output: output)
    }
}
