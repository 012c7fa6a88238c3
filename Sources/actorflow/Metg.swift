import ActorFlow
import ActorFlowWorkloads
import ArgumentParser
import Foundation

extension ActorFlowCommand {
    /// `actorflow metg`: Task Bench's METG (minimum effective task granularity) for ActorFlow and its C++ peers.
    struct Metg: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure METG: the smallest task granularity that still reaches 50% efficiency (Task Bench).",
            discussion: """
                For each pattern the Task Bench graph (width × steps tasks, each a customOp fed its dependencies' \
                outputs and validating them) is built once. For each policy and worker count the kernel's iterations \
                are swept from the largest down by halves; each point repeats the graph until a sample lasts 30 ms, \
                takes the fastest of 3 samples, and computes the task granularity (elapsed × workers / tasks) and \
                the efficiency (rate / the sweep's peak rate). METG(x) interpolates where efficiency crosses x, on a \
                log scale of granularity. --compare builds the C++ peers of Benchmarks/peers (oneTBB flow_graph, \
                OpenMP tasks) and sweeps them the same way. The table goes to standard output, progress to \
                standard error.
                """)

        @Option(help: "Comma-separated patterns: \(TaskBenchPattern.allCases.map(\.rawValue).joined(separator: ", ")).")
        var pattern: String

        @Option(help: "Columns of the task graph (default: the CPU count).")
        var width: String?

        @Option(help: "Rows of the task graph (default: 1000, 50 with --quick).")
        var steps: String?

        @Option(help: "The kernel: \(TaskBenchKernel.Kind.allCases.map(\.rawValue).joined(separator: ", ")) (default: compute_bound).")
        var kernel: String?

        @Option(help: "Comma-separated ActorFlow policies (default: ws-numa,ws).")
        var policies: String?

        @Option(help: "Comma-separated worker counts (default: 1 and every CPU).")
        var workers: String?

        @Option(help: "Comma-separated C++ peers to measure in the same run: tbb, openmp.")
        var compare: String?

        @Option(help: "Radix of nearest, spread and random_nearest (default: 3).")
        var radix: String?

        @Option(name: .customLong("output-bytes"), help: "Bytes of each task's output buffer, a multiple of 16 (default: 16).")
        var outputBytes: String?

        @Option(help: "Comma-separated efficiency thresholds in percent besides 50 (e.g. 25,75).")
        var thresholds: String?

        @Option(name: .customLong("max-iterations"), help: "The sweep's largest kernel iteration count (default: the kernel's).")
        var maxIterations: String?

        @Flag(help: "A short graph and a coarse, short sweep, for smoke runs.")
        var quick = false

        @Option(help: "Write the results as JSON to this file.")
        var json: String?

        @Option(help: "Write the results as CSV to this file.")
        var csv: String?

        @Option(help: "Write efficiency vs granularity curves as SVG to this file.")
        var plot: String?

        func validate() throws {
            _ = try makePlan()
            for (flag, path) in [("--json", json), ("--csv", csv), ("--plot", plot)] {
                if let path { _ = try OutputFile(path, option: flag) }
            }
        }

        func run() throws {
            let plan = try makePlan()
            let topology = Topology.current()
            let started = Date()
            let clock = ContinuousClock()
            let start = clock.now
            let log = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            let peers = plan.peers.isEmpty ? nil : try PeerPrograms.build(log: log)
            var results: [MetgResult] = []
            for pattern in plan.patterns {
                let patternStart = clock.now
                let graph = TaskBenchGraph(
                    shape: plan.shape(pattern), kernel: TaskBenchKernel(kind: plan.kernel), outputBytes: plan.outputBytes)
                log("metg: \(pattern), width \(plan.width), \(plan.steps) steps: \(graph.taskCount) tasks, \(plan.kernel)")
                for policy in plan.policies {
                    for workers in plan.workerCounts {
                        let system = ActorFlowMetgSystem(graph: graph, policy: policy, workers: workers)
                        defer { system.close() }
                        results.append(
                            try sweep(plan, pattern, system, "actorflow", policy.name, workers, log))
                    }
                }
                for peer in plan.peers {
                    for workers in plan.workerCounts {
                        let system = PeerSystem(program: peers!.path(of: peer), peer: peer) { iterations in
                            plan.peerArguments(pattern, iterations: iterations, workers: workers)
                        }
                        let policy = peer == .tbb ? "flow_graph" : "tasks"
                        results.append(try sweep(plan, pattern, system, peer.rawValue, policy, workers, log))
                    }
                }
                log("metg: \(pattern) took \(seconds(clock.now - patternStart)) s")
            }
            let machine = BenchmarkReport.Machine(cpus: topology.cpus.count, numaNodes: topology.nodes.count)
            let report = MetgReport(machine: machine, date: started, results: results)
            print(report.table())
            log("metg: \(seconds(clock.now - start)) s in all")
            if let json { try OutputFile(json, option: "--json").write(report.jsonData()) }
            if let csv { try OutputFile(csv, option: "--csv").write(Data(report.csv().utf8)) }
            if let plot {
                let title = "ActorFlow METG: \(machine.cpus) CPUs, Swift \(machine.swift)"
                try OutputFile(plot, option: "--plot").write(Data(MetgPlot.svg(report.results, title: title).utf8))
            }
        }

        /// One curve, with a progress line per point.
        private func sweep(
            _ plan: MetgPlan, _ pattern: TaskBenchPattern, _ system: any MetgSystem, _ name: String, _ policy: String,
            _ workers: Int, _ log: (String) -> Void
        ) throws -> MetgResult {
            var best = 0.0
            let measurements: [MetgMeasurement]
            do {
                measurements = try MetgSweep.run(plan.sweep, on: system, workers: workers) { m in
                    best = max(best, m.rate)
                    let micros = MetgReport.micros(m.taskMicros(workers: workers))
                    let efficiency = best > 0 ? String(format: "%.0f%%", m.rate / best * 100) : "–"
                    log("  \(pattern) \(name) \(policy) ×\(workers): \(m.iterations) iterations, \(micros) µs/task, \(efficiency) of the best so far")
                }
            } catch let error as CommandLineError {
                throw error
            } catch {
                throw CommandLineError("\(pattern) \(name) \(policy) ×\(workers): \(error)")
            }
            let result = MetgResult(
                pattern: pattern.rawValue, width: plan.width, steps: plan.steps, kernel: plan.kernel.rawValue,
                system: name, policy: policy, workers: workers, measurements: measurements,
                thresholds: plan.thresholds)
            let metg = result.metg50Micros.map { MetgReport.micros($0) + " µs" } ?? "–"
            log("  \(pattern) \(name) \(policy) ×\(workers): METG(50%) \(metg)")
            return result
        }

        private func makePlan() throws(BenchmarkArgumentError) -> MetgPlan {
            try MetgPlan(
                patterns: pattern, width: width, steps: steps, kernel: kernel, policies: policies, workers: workers,
                compare: compare, radix: radix, outputBytes: outputBytes, thresholds: thresholds,
                maxIterations: maxIterations, quick: quick, cpuCount: Topology.current().cpus.count)
        }

        private func seconds(_ d: Duration) -> String {
            String(format: "%.1f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
    }
}
