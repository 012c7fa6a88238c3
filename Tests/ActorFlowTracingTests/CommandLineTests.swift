import ActorFlowTestSupport
import ActorFlowProto
import Foundation
import SwiftProtobuf
import Testing

/// The `actorflow run` and `actorflow trace` commands, run as the user would: files written and read back, one-line
/// errors with a non-zero status, and the LTTng subcommands finding Tracing/scripts from the built executable.
@Suite("actorflow run and actorflow trace", .serialized)
struct CommandLineTests {
    let actorflow: String

    init() throws {
        actorflow = try TracingTools.builtExecutable("actorflow")
    }

    /// A fresh directory for one test's files; the test removes it.
    private func makeScratch() throws -> URL {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("af-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        return scratch
    }

    private func actorflow(_ arguments: String...) throws -> ProcessResult {
        try Subprocess.run(actorflow, arguments)
    }

    @Test("run --trace full writes the last step's RunMetadata and a timeline of every step")
    func runWritesMetadataAndTimeline() throws {
        let scratch = try makeScratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }
        let result = try actorflow(
            "run", "mlp", "--size", "4", "--steps", "2", "--trace", "full",
            "--run-metadata", file("md.pb"), "--timeline", file("timeline.json"))
        try #require(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.contains("workload   mlp, size 4: 15 nodes"), "\(result.stdout)")
        #expect(result.stdout.contains("Softmax:0  float [4, 10]  sum "), "a digest of the fetched value")
        #expect(result.stdout.contains("top ops by time, over 2 steps:\n2 runs, 30 op executions; top 10 of 15 ops"))

        let metadata = try Tensorflow_RunMetadata(serializedBytes: Data(contentsOf: URL(fileURLWithPath: file("md.pb"))))
        let nodes = metadata.stepStats.devStats.flatMap(\.nodeStats)
        #expect(nodes.count == 15, "only the last step's records")
        // --trace full records allocations: none for the constants (made when the graph was built), the output's
        // allocation and free for the ops whose outputs the step consumed, the allocation only for the fetched one.
        for node in nodes {
            let records = node.memory.first?.allocationRecords.map(\.allocBytes) ?? []
            if node.timelineLabel.contains(" = Const(") {
                #expect(records.isEmpty, "\(node.nodeName): \(records)")
            } else if node.timelineLabel.contains(" = Softmax(") {
                #expect(records.count == 1 && records[0] > 0, "\(node.nodeName): \(records)")
            } else {
                #expect(records.count == 2 && records[0] > 0 && records[1] == -records[0], "\(node.nodeName): \(records)")
            }
        }

        let timeline = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("timeline.json"))))
        let events = try #require((timeline as? [String: Any])?["traceEvents"] as? [[String: Any]])
        #expect(events.filter { $0["ph"] as? String == "X" }.count == 30, "both steps' ops")
    }

    @Test(
        "bad arguments fail with one line naming the culprit",
        arguments: [
            (["run", "chian"],
             "Error: unknown workload 'chian'; valid workloads: chain, fanout, wavefront, tree, random, tiled-matmul, "
                + "mlp, map-reduce, add-chain, io-mix"),
            (["run", "tree", "--size", "40"], "Error: --size 40 is out of range for tree (the tree's depth): use 1 to 23"),
            (["run", "chain", "--policy", "fifo"],
             "Error: unknown policy 'fifo'; valid policies: ws-numa, ws, global, swift, caller"),
            (["run", "chain", "--trace", "all"],
             "Error: unknown trace level 'all'; valid levels: none, software, hardware, full"),
            (["run", "chain", "--steps", "0"], "Error: --steps must be at least 1, got 0"),
            (["run", "chain", "--trace", "none", "--timeline", "/tmp/t.json"],
             "Error: --timeline needs step statistics, which --trace none does not record; use --trace software"),
            (["run", "chain", "--run-metadata", "/nonexistent-af/md.pb"],
             "Error: --run-metadata /nonexistent-af/md.pb: directory /nonexistent-af does not exist"),
            (["trace", "summary", "/nonexistent-af/md.pb"], "Error: no such file: /nonexistent-af/md.pb"),
            (["trace", "ctf-summary", "/nonexistent-af"], "Error: no such trace directory: /nonexistent-af"),
            (["trace", "record"], "Error: no command to record: actorflow trace record [-o DIR] -- COMMAND [ARG…]"),
        ])
    func badArguments(arguments: [String], error: String) throws {
        let result = try Subprocess.run(actorflow, arguments)
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.stderr == error + "\n", "\(result.transcript)")
        #expect(result.stdout.isEmpty)
    }

    @Test("trace summary and trace to-chrome read a RunMetadata file; a file that is not one is rejected")
    func traceReadsRunMetadata() throws {
        let scratch = try makeScratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }
        let run = try actorflow("run", "chain", "--size", "50", "--run-metadata", file("chain.pb"))
        try #require(run.status == 0, "\(run.transcript)")
        #expect(run.stdout.contains("trace      software: step statistics"), "--run-metadata implies --trace software")

        let summary = try actorflow("trace", "summary", file("chain.pb"), "--top", "3")
        try #require(summary.status == 0, "\(summary.transcript)")
        let lines = summary.stdout.split(separator: "\n")
        #expect(lines.first == "1 run, 50 op executions; top 3 of 50 ops by op time")
        #expect(lines.count == 5, "the heading, the column names and three ops:\n\(summary.stdout)")

        let chrome = try actorflow("trace", "to-chrome", file("chain.pb"), file("chain.json"), "--no-dataflow")
        try #require(chrome.status == 0, "\(chrome.transcript)")
        let timeline = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("chain.json"))))
        let events = try #require((timeline as? [String: Any])?["traceEvents"] as? [[String: Any]])
        #expect(events.filter { $0["ph"] as? String == "X" }.count == 50)
        #expect(!events.contains { $0["cat"] as? String == "dataflow" })

        let notMetadata = try actorflow("trace", "summary", file("chain.json"))
        #expect(notMetadata.status == 1)
        #expect(notMetadata.stderr.hasPrefix("Error: \(file("chain.json")) is not a serialized RunMetadata"))
    }

    @Test("trace record records a run's events, which ctf-summary and ctf-to-chrome read through Tracing/scripts")
    func traceRecordAndCTFCommands() throws {
        let scratch = try makeScratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }
        let trace = recording.traceDirectory.path

        // `actorflow run` does not wait for a session to enable its events, so let lttng-ust wait for registration.
        let recorded = try recording.runRecorder(
            [actorflow, "trace", "record", "-o", trace, "--"]
                + [actorflow, "run", "chain", "--size", "100", "--trace", "software"],
            environment: ["LTTNG_UST_REGISTER_TIMEOUT": "10000"])
        try #require(recorded.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(recorded.transcript)")
        #expect(recorded.stdout.contains("an LTTng session recorded them"), "\(recorded.stdout)")
        #expect(recorded.stdout.hasSuffix(trace + "\n"), "record.sh's last line is the trace directory")

        let summarized = try actorflow("trace", "ctf-summary", trace, "--json")
        try #require(summarized.status == 0, "\(summarized.transcript)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summarized.stdout.utf8)) as? [String: Any])
        let steps = try #require(summary["steps"] as? [[String: Any]])
        #expect(steps.count == 1)
        #expect(steps.first?["node_count"] as? Int == 100)
        #expect(steps.first?["status"] as? String == "ok")
        #expect((summary["ops"] as? [String: Any])?.count == 100)

        let converted = try actorflow("trace", "ctf-to-chrome", trace, file("ctf.json"))
        try #require(converted.status == 0, "\(converted.transcript)")
        let timeline = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("ctf.json"))))
        let events = try #require((timeline as? [String: Any])?["traceEvents"] as? [[String: Any]])
        #expect(events.filter { $0["ph"] as? String == "X" && $0["cat"] as? String == "op" }.count == 100)
    }
}
