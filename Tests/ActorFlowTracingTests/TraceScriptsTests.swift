import ActorFlowTestSupport
import Foundation
import Testing

/// Tracing/scripts on a real recording of the probe's scripted step: summarize.py's numbers, ctf_to_chrome.py's
/// timeline, and record.sh's argument checks.
@Suite("trace scripts", .serialized)
struct TraceScriptsTests {
    @Test("summarize.py and ctf_to_chrome.py describe the scripted step")
    func summaryAndTimeline() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }
        let result = try recording.record([tools.probe, "emit-step", "--wait", "60"])
        try #require(result.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(result.transcript)")
        let threads = try ProbeThreads(parsing: result.stdout)
        let trace = recording.traceDirectory.path

        let summarized = try Subprocess.run(
            tools.python3,
            [tools.scripts.appendingPathComponent("summarize.py").path, trace, "--json"]
        )
        try #require(summarized.status == 0, "\(summarized.transcript)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summarized.stdout.utf8)) as? [String: Any])
        try checkSummary(summary)

        let timelineURL = recording.scratch.appendingPathComponent("timeline.json")
        let converted = try Subprocess.run(
            tools.python3,
            [tools.scripts.appendingPathComponent("ctf_to_chrome.py").path, trace, "-o", timelineURL.path]
        )
        try #require(converted.status == 0, "\(converted.transcript)")
        let timeline = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: timelineURL)) as? [String: Any]
        )
        let traceEvents = try #require(timeline["traceEvents"] as? [[String: Any]])
        try checkTimeline(traceEvents, threads: threads)
    }

    private func checkSummary(_ summary: [String: Any]) throws {
        #expect(summary["events"] as? Int == ScriptedStepExpectation.count)
        #expect(summary["discarded_events"] as? Int == 0)
        let steps = try #require(summary["steps"] as? [[String: Any]])
        #expect(steps.count == 1)
        #expect(steps.first?["step_id"] as? Int == 42)
        #expect(steps.first?["status"] as? String == "ok")
        #expect(steps.first?["node_count"] as? Int == 4)
        #expect((steps.first?["duration_ns"] as? Int ?? -1) >= 0)

        let ops = try #require(summary["ops"] as? [String: [String: Any]])
        let types = ops.mapValues { $0["type"] as? String ?? "?" }
        #expect(types == ["a": "Const", "b": "MatMul", "c": "Relu", "d": "Add"])
        #expect(ops.values.allSatisfy { $0["count"] as? Int == 1 })
        #expect(ops.mapValues { $0["output_bytes"] as? Int ?? -1 } == ["a": 64, "b": 128, "c": 32, "d": 128])

        let workers = try #require(summary["workers"] as? [String: [String: Int]])
        #expect(workers["0"]?["ops"] == 3)
        #expect(workers["0"]?["stolen_from"] == 1)
        #expect(workers["1"]?["ops"] == 1)
        #expect(workers["1"]?["local_steals"] == 1)
        #expect(workers["1"]?["remote_steals"] == 0)
        #expect(workers["1"]?["parks"] == 1)
        #expect(summary["steals"] as? [String: Int] == ["local": 1, "remote": 0])
        #expect(
            summary["memory"] as? [String: Int]
                == ["allocations": 4, "allocated_bytes": 352, "freed_bytes": 224, "peak_live_bytes": 352, "live_bytes": 128]
        )
    }

    private func checkTimeline(_ events: [[String: Any]], threads: ProbeThreads) throws {
        func phase(_ ph: String) -> [[String: Any]] { events.filter { $0["ph"] as? String == ph } }

        let ops = phase("X").filter { $0["cat"] as? String == "op" }
        // `c` suspends once: two running stretches, both on worker 1's lane.
        let lanes = Dictionary(ops.compactMap { op in
            (op["name"] as? String).map { ($0, [op["tid"] as? Int ?? -1]) }
        }, uniquingKeysWith: +)
        #expect(lanes == [
            "a": [threads.worker0], "b": [threads.worker0], "c": [threads.worker1, threads.worker1], "d": [threads.worker0],
        ])
        for op in ops {
            #expect((op["dur"] as? Double ?? -1) >= 0, "\(op)")
            #expect(op["pid"] as? Int == threads.pid)
        }
        let stretches = { (name: String) in ops.filter { $0["name"] as? String == name } }
        let start = { (name: String) in stretches(name).first?["ts"] as? Double ?? -1 }
        let end = { (name: String) in
            stretches(name).last.map { ($0["ts"] as? Double ?? -1) + ($0["dur"] as? Double ?? 0) } ?? -1
        }
        let suspension = events.filter { $0["cat"] as? String == "suspended" }
        #expect(suspension.map { $0["ph"] as? String } == ["b", "e"])
        #expect(suspension.allSatisfy { $0["name"] as? String == "c suspended" })
        if let first = stretches("c").first, let suspended = suspension.first, let resumed = suspension.last,
            let second = stretches("c").last
        {
            let firstEnd = (first["ts"] as? Double ?? -1) + (first["dur"] as? Double ?? 0)
            // Microseconds as doubles: equal up to rounding.
            #expect(abs(firstEnd - (suspended["ts"] as? Double ?? -1)) < 0.01, "the first stretch ends where the suspension begins")
            #expect(abs((second["ts"] as? Double ?? -1) - (resumed["ts"] as? Double ?? 1)) < 0.01, "the second stretch begins where it ends")
        }
        #expect(end("a") <= start("b") && end("a") <= start("c"))
        #expect(end("b") <= start("d") && end("c") <= start("d"))

        let steals = phase("i").filter { $0["cat"] as? String == "steal" }
        #expect(steals.count == 1)
        #expect(steals.first?["name"] as? String == "steal local")
        #expect(steals.first?["tid"] as? Int == threads.worker1)

        // The probe's cluster_step marks its process as task 1 of 2 and its part of cluster step 7.
        let clusterSteps = phase("i").filter { $0["cat"] as? String == "cluster" }
        #expect(clusterSteps.map { $0["name"] as? String } == ["cluster step 7"])
        let processNames = phase("M").filter { $0["name"] as? String == "process_name" }
            .compactMap { event in (event["args"] as? [String: Any])?["name"] as? String }
        #expect(processNames.count == 1 && processNames.allSatisfy { $0.hasPrefix("task 1: ") }, "\(processNames)")

        // Worker 1 parks at the end and is never woken inside the trace: its slice runs to the last event.
        let parked = phase("X").filter { $0["cat"] as? String == "idle" }
        #expect(parked.count == 1)
        #expect(parked.first?["tid"] as? Int == threads.worker1)

        let step = { (ph: String) in phase(ph).filter { $0["cat"] as? String == "step" } }
        #expect(step("b").map { $0["name"] as? String } == ["step 42"])
        #expect(step("e").map { $0["name"] as? String } == ["step 42"])
        #expect((step("e").first?["args"] as? [String: Any])?["status"] as? String == "ok")

        let liveBytes = phase("C").compactMap { ($0["args"] as? [String: Any])?["bytes"] as? Int }
        #expect(liveBytes.count == 7, "4 allocations and 3 frees")
        #expect(liveBytes.max() == 352)
        #expect(liveBytes.last == 128)

        let names = phase("M").filter { $0["name"] as? String == "thread_name" }
            .compactMap { event in (event["args"] as? [String: Any])?["name"] as? String }
        #expect(names.contains("worker 0 (\(threads.worker0))"))
        #expect(names.contains("worker 1 (\(threads.worker1))"))
    }

    @Test("record.sh rejects a missing command and a non-empty output directory before starting anything")
    func recordRejectsBadArguments() throws {
        let tools = try TracingTools.locate()
        let noCommand = try Subprocess.run(tools.recordScript, [])
        #expect(noCommand.status == 2)
        #expect(noCommand.stderr.contains("no command to record"), "\(noCommand.transcript)")

        let occupied = FileManager.default.temporaryDirectory.appendingPathComponent("af-occupied-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: occupied) }
        _ = FileManager.default.createFile(atPath: occupied.appendingPathComponent("keep").path, contents: Data())
        let nonEmpty = try Subprocess.run(tools.recordScript, ["-o", occupied.path, "--", "/bin/true"])
        #expect(nonEmpty.status == 2)
        #expect(nonEmpty.stderr.contains("'\(occupied.path)' exists and is not empty"), "\(nonEmpty.transcript)")

        let unknown = try Subprocess.run(tools.recordScript, ["--frobnicate", "/bin/true"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown option '--frobnicate'"), "\(unknown.transcript)")
    }
}
