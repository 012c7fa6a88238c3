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

                --compare openmp also times Benchmarks/peers/openmp_intraop (built on first use with g++ -fopenmp): \
                the same add and sum as an OpenMP parallel for on as many threads, in the same run, in rows marked \
                "add omp" and "sum omp" (matmul has no OpenMP peer; scripts/bench-numpy-matmul.py times OpenBLAS).
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

        @Option(help: "A C++ peer to time on the same add and sum: openmp.")
        var compare: String?

        @Flag(
            name: .customLong("show-split"),
            help: "After timing, run one traced step and print how the op's loops split over the workers.")
        var showSplit = false

        func validate() throws {
            if let compare, compare != "openmp" {
                throw ValidationError("unknown peer '\(compare)'; valid peers: openmp")
            }
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
            let log = { (line: String) in FileHandle.standardError.write(Data("intraop: \(line)\n".utf8)) }
            let peers = compare == nil ? nil : try PeerPrograms.build(log: log)
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
                    if showSplit { print("  split: " + (try split(of: fetch, in: session))) }
                    log("\(op) workers \(workers) done")
                }
                if let peers, op != "matmul" {
                    try timePeer(op, counts: counts, program: peers.path(ofProgram: "openmp_intraop"), work: work, unit: unit)
                    log("\(op) openmp done")
                }
            }
        }

        /// How the op of a one-op step split its loops, from a traced step's label (its `[intra-op …]` suffix; a
        /// traced step starts on the pool, so its chunks run on workers only).
        private func split(of fetch: Tensor, in session: Session) throws -> String {
            var metadata = RunMetadata()
            _ = try session.run(fetch, options: RunOptions(traceLevel: .softwareTrace), metadata: &metadata)
            let labels = metadata.stepStats.devStats.flatMap(\.nodeStats).map(\.timelineLabel)
            guard let label = labels.first(where: { $0.contains("[intra-op") }) else { return "one chunk (not split)" }
            return String(label[label.range(of: "[intra-op")!.lowerBound...])
        }

        /// Times `op` in the OpenMP peer on each thread count and prints its rows.
        private func timePeer(_ op: String, counts: [Int], program: String, work: Double, unit: String) throws {
            struct Line: Decodable { var medianMillis: Double }
            var base: Double?
            for threads in counts {
                let (status, output, errors) = PeerProcess.run(
                    program, [op, "\(elements)", "\(threads)", "\(repetitions)"])
                let text = output.split(separator: "\n").last.map(String.init) ?? ""
                guard status == 0, let line = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)) else {
                    throw CommandLineError(
                        "openmp peer failed on \(op) with \(threads) threads (exit \(status)): "
                            + (errors.isEmpty ? "no result line" : errors.trimmingCharacters(in: .whitespacesAndNewlines)))
                }
                let median = line.medianMillis
                base = base ?? median
                print(
                    "\(op) omp".padding(toLength: 9, withPad: " ", startingAt: 0)
                        + "\(elements)".padding(toLength: 13, withPad: " ", startingAt: 0)
                        + "\(threads)".padding(toLength: 9, withPad: " ", startingAt: 0)
                        + String(format: "%-15.3f%-8.2f ", median, work / (median / 1e3) / 1e9)
                        + unit.padding(toLength: 8, withPad: " ", startingAt: 0)
                        + String(format: "%.2fx", base! / median))
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
