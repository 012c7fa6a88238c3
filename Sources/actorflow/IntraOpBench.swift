import ActorFlow
import ArgumentParser
import Foundation

extension ActorFlowCommand {
    /// `actorflow intraop`: one big op per step, timed on pools of each worker count (intra-op parallelism).
    struct IntraOp: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "intraop",
            abstract: "Time one large op per step on pools of 1, 2, … workers (intra-op parallelism).",
            discussion: """
                Each op is a one-op graph over constant inputs: matmul (N×N float32 product, 2·N³ flops), add \
                (two tensors of S float32), sum (reduceSum of S float32 to a scalar). For every worker count a \
                session with a pool of its own runs warm-up steps, then timed steps; the table gives the median \
                step time, the rate, and the speedup over the first worker count. Progress goes to standard error.
                """)

        @Option(help: "Comma-separated ops: matmul, add, sum (default: all).")
        var ops: String = "matmul,add,sum"

        @Option(help: "Comma-separated worker counts (default: 1 and every CPU).")
        var workers: String?

        @Option(name: .customLong("matmul-size"), help: "N of the N×N matMul (default 1024).")
        var matMulSize: Int = 1024

        @Option(name: .customLong("elements"), help: "Elements of add and sum (default 16777216 = 16M).")
        var elements: Int = 1 << 24

        @Option(help: "Timed steps per configuration (default 20).")
        var repetitions: Int = 20

        @Option(name: .customLong("intra-op"), help: "SessionOptions.intraOpParallelism (default 0: every worker).")
        var intraOp: Int = 0

        func validate() throws {
            for op in opList where !["matmul", "add", "sum"].contains(op) {
                throw ValidationError("unknown op '\(op)'; valid ops: matmul, add, sum")
            }
            guard matMulSize > 0, elements > 0, repetitions > 0 else {
                throw ValidationError("--matmul-size, --elements and --repetitions must be positive")
            }
            _ = try workerCounts()
        }

        private var opList: [String] { ops.split(separator: ",").map(String.init) }

        private func workerCounts() throws -> [Int] {
            guard let workers else {
                let cpus = Topology.current().cpus.count
                return cpus > 1 ? [1, cpus] : [1]
            }
            return try workers.split(separator: ",").map { text in
                guard let n = Int(text), n > 0 else { throw ValidationError("bad worker count '\(text)'") }
                return n
            }
        }

        func run() throws {
            let counts = try workerCounts()
            print("op       size         workers  median ms      rate          speedup")
            for op in opList {
                let (graph, fetch, work, unit) = build(op)
                var base: Double?
                for workers in counts {
                    let pool = WorkStealingExecutor(workers: workers)
                    defer { pool.shutdown() }
                    let session = Session(
                        graph: graph, options: SessionOptions(executor: pool, intraOpParallelism: intraOp))
                    for _ in 0..<3 { _ = try session.run(fetch) }
                    var times: [Double] = []
                    for _ in 0..<repetitions {
                        let start = DispatchTime.now().uptimeNanoseconds
                        _ = try session.run(fetch)
                        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    }
                    times.sort()
                    let median = times[times.count / 2]
                    base = base ?? median
                    let rate = work / (median / 1e3) / 1e9
                    let size = op == "matmul" ? "\(matMulSize)x\(matMulSize)" : "\(elements)"
                    print(
                        op.padding(toLength: 9, withPad: " ", startingAt: 0)
                            + size.padding(toLength: 13, withPad: " ", startingAt: 0)
                            + "\(workers)".padding(toLength: 9, withPad: " ", startingAt: 0)
                            + String(format: "%-15.3f%-8.2f ", median, rate)
                            + unit.padding(toLength: 8, withPad: " ", startingAt: 0)
                            + String(format: "%.2fx", base! / median))
                    FileHandle.standardError.write(Data("intraop: \(op) workers \(workers) done\n".utf8))
                }
            }
        }

        /// The one-op graph for `op`, its fetch, the work one step does and the rate's unit.
        private func build(_ op: String) -> (Graph, Tensor, Double, String) {
            let g = Graph()
            func values(_ count: Int, seed: Int) -> NDArray {
                NDArray((0..<count).map { Float((($0 &* 2_654_435_761 &+ seed) >> 7) % 2001) / 1000 - 1 })
            }
            switch op {
            case "matmul":
                let n = matMulSize
                let a = g.reshape(g.constant(values(n * n, seed: 1)), [n, n])
                let b = g.reshape(g.constant(values(n * n, seed: 2)), [n, n])
                return (g, g.matMul(a, b), 2 * Double(n) * Double(n) * Double(n), "GFLOP/s")
            case "add":
                let s = elements
                let sum = g.add(g.constant(values(s, seed: 3)), g.constant(values(s, seed: 4)))
                return (g, sum, Double(12 * s), "GB/s")
            default:
                let s = elements
                return (g, g.reduceSum(g.constant(values(s, seed: 5))), Double(4 * s), "GB/s")
            }
        }
    }
}
