import ActorFlow
import ArgumentParser

extension ActorFlowCommand.Trace {
    /// `actorflow trace to-chrome RUN_METADATA.pb OUT.json`: a Chrome/Perfetto timeline of a RunMetadata, in Swift.
    struct ToChrome: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "to-chrome",
            abstract: "Write a Chrome/Perfetto timeline (JSON) of a RunMetadata file.",
            discussion: """
                One track per thread that ran ops, one slice per op, arrows for data passed between threads. Open \
                the result in https://ui.perfetto.dev or chrome://tracing.
                """)

        @Argument(help: "A serialized RunMetadata (from `actorflow run … --run-metadata FILE`).")
        var runMetadata: String

        @Argument(help: "The JSON file to write.")
        var output: String

        @Flag(help: "Add a memory counter track per allocator.")
        var showMemory = false

        @Flag(help: "Leave out the dataflow arrows between threads.")
        var noDataflow = false

        func validate() throws {
            _ = try OutputFile(output, option: "OUT.json")
        }

        func run() throws {
            let file = try OutputFile(output, option: "OUT.json")
            let metadata = try TraceMetadataFile.read(runMetadata)
            let exporter = ChromeTraceExporter(showDataflow: !noDataflow, showMemory: showMemory)
            try file.write(exporter.json(for: metadata))
            let records = metadata.stepStats.devStats.reduce(0) { $0 + $1.nodeStats.count }
            print("wrote \(output): \(records) op slices on \(metadata.stepStats.devStats.count) device(s)")
        }
    }

    /// `actorflow trace summary RUN_METADATA.pb`: the top ops of a RunMetadata by time.
    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the top ops of a RunMetadata file by time.")

        @Argument(help: "A serialized RunMetadata (from `actorflow run … --run-metadata FILE`).")
        var runMetadata: String

        @Option(help: "How many ops to list.")
        var top: Int = 20

        @Option(help: "Rank by the kernel's time (op) or the whole firing's (all).")
        var by: String = "op"

        func validate() throws {
            guard top >= 1 else { throw CommandLineError("--top must be at least 1, got \(top)") }
            _ = try ranking()
        }

        func run() throws {
            let metadata = try TraceMetadataFile.read(runMetadata)
            var accumulator = StepStatsAccumulator(keepingNodeStats: false)
            accumulator.add(metadata)
            print(accumulator.summaryTable(top: top, by: try ranking()), terminator: "")
        }

        private func ranking() throws(CommandLineError) -> OpSummary.Ranking {
            switch by {
            case "op": return .opTime
            case "all": return .allTime
            default: throw CommandLineError("unknown ranking '\(by)'; valid: op, all")
            }
        }
    }
}
