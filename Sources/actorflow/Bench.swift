import ActorFlow
import ActorFlowWorkloads
import ArgumentParser
import Foundation

extension ActorFlowCommand {
    /// `actorflow bench`: nanoseconds per node for the workloads under every scheduling policy.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the per-node cost of the workloads under each scheduling policy.",
            discussion: """
                For each workload the graph is built once; a 'sequential' row calls its kernels in a plain \
                loop, skipping NoOps as the engine does (the floor). Then every (trace level, policy, worker count) runs on a session with a \
                pool of its own: warm-up steps, then timed steps; ns/node is step time divided by the \
                node count. 'caller' and 'swift' do not use the pool, so their rows at different worker \
                counts measure the same schedule. The table goes to standard output, progress to standard \
                error.
                """)

        @Option(help: "Comma-separated workloads (default: all): \(Workload.allCases.map(\.rawValue).joined(separator: ", ")).")
        var workloads: String?

        @Option(help: "One size for every chosen workload (default: each workload's own).")
        var size: String?

        @Option(help: "Comma-separated policies (default: all): \(SchedulingPolicy.all.map(\.name).joined(separator: ", ")).")
        var policies: String?

        @Option(help: "Comma-separated worker counts (default: 1 and every CPU).")
        var workers: String?

        @Option(help: "Comma-separated trace levels: none, software, hardware, full (default: none).")
        var trace: String?

        @Option(help: "Timed steps per configuration (default: \(BenchmarkPlan.defaultRepetitions), \(BenchmarkPlan.quickRepetitions) with --quick).")
        var repetitions: String?

        @Option(help: "Comma-separated kernels the scheduling shapes' nodes run: empty (default: an op that enters its actor and runs a kernel doing nothing), noop (the NoOp fast path), busy:<ns>, compute:<n> (n multiply-adds).")
        var kernel: String?

        @Flag(help: "Small sizes and fewer repetitions, for smoke runs.")
        var quick = false

        @Flag(help: "Traced steps read their metadata inside the timed step: every NodeExecStats is touched (its step statistics are built).")
        var readMetadata = false

        @Option(help: "Sessions keep the last N steps' records (SessionOptions(flightRecorderSteps:); default 0, off).")
        var flightRecorder: Int = 0

        @Option(
            name: .customLong("intra-op"),
            help: "SessionOptions.intraOpParallelism (default 0: every worker; 1: big ops never split).")
        var intraOp: Int = 0

        @Option(help: "Write the results as JSON to this file.")
        var json: String?

        @Option(help: "Write the results as CSV to this file.")
        var csv: String?

        @Option(help: "Write a bar chart of ns/node as SVG to this file.")
        var plot: String?

        func validate() throws {
            _ = try makePlan()
            guard flightRecorder >= 0 else {
                throw ValidationError("--flight-recorder needs a number of steps, 0 or more, got \(flightRecorder)")
            }
            guard intraOp >= 0 else {
                throw ValidationError("--intra-op needs 0 (every worker), 1 (off) or a chunk limit, got \(intraOp)")
            }
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
            let results = try BenchRunner(
                plan: plan, readsMetadata: readMetadata, flightRecorderSteps: flightRecorder, intraOpParallelism: intraOp
            ) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }.run()
            let machine = BenchmarkReport.Machine(cpus: topology.cpus.count, numaNodes: topology.nodes.count)
            let report = BenchmarkReport(
                machine: machine, date: started, results: BenchmarkReport.withSpeedups(results))
            print(BenchmarkTable.render(report.results))
            let elapsed = clock.now - start
            FileHandle.standardError.write(Data("bench: \(elapsed.components.seconds) s in all\n".utf8))
            if let json { try OutputFile(json, option: "--json").write(report.jsonData()) }
            if let csv { try OutputFile(csv, option: "--csv").write(Data(report.csv().utf8)) }
            if let plot {
                let title = "ActorFlow bench: \(machine.cpus) CPUs, \(machine.numaNodes) NUMA node(s), Swift \(machine.swift)"
                try OutputFile(plot, option: "--plot").write(Data(BenchmarkPlot.svg(report.results, title: title).utf8))
            }
        }

        private func makePlan() throws(BenchmarkArgumentError) -> BenchmarkPlan {
            try BenchmarkPlan(
                workloads: workloads, size: size, policies: policies, workers: workers, trace: trace,
                repetitions: repetitions, kernels: kernel, quick: quick, cpuCount: Topology.current().cpus.count)
        }
    }
}
