import ArgumentParser

/// The `actorflow` command line: a demo, single workload runs, benchmarks and trace conversion.
@main
struct ActorFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actorflow",
        abstract: "A TensorFlow-1-style dataflow scheduler: demo, run, bench, metg and trace.",
        subcommands: [Demo.self, Run.self, Bench.self, IntraOp.self, AsyncBench.self, Metg.self, Trace.self]
    )
}
