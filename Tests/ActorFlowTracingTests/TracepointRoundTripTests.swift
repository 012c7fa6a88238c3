import ActorFlowTestSupport
import ActorFlowTracing
import Foundation
import Testing

/// Records the probe's scripted diamond step with a real, private lttng-sessiond (through Tracing/scripts/record.sh)
/// and reads it back with babeltrace2: names, every field, contexts, per-thread order and the cross-thread
/// happens-before edges the step engine guarantees.
@Suite("actorflow tracepoints through a real lttng session", .serialized)
struct TracepointRoundTripTests {
    @Test("every event of a scripted step comes back from babeltrace2 with its fields, thread and order")
    func scriptedStepRoundTrip() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }

        let result = try recording.record([tools.probe, "emit-step", "--wait", "60"])
        try #require(result.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(result.transcript)")
        #expect(result.stdout.hasSuffix(recording.traceDirectory.path + "\n"), "record.sh ends with the trace directory")
        let threads = try ProbeThreads(parsing: result.stdout)

        let printed = try Subprocess.run(tools.babeltrace2, ["--clock-cycles", recording.traceDirectory.path])
        try #require(printed.status == 0, "\(printed.transcript)")
        let events = try BabeltraceText.parse(printed.stdout)

        // Every event, exactly once per emission, from the probe's process.
        #expect(events.count == ScriptedStepExpectation.count, "\(events)")
        #expect(Set(events.map(\.name)) == Set(Tracepoints.Event.allCases.map(\.lttngName)))
        for event in events {
            #expect(event.vpid == threads.pid, "\(event) vpid")
            // The kernel keeps 15 characters of a thread's name.
            #expect(event.context["procname"] == "ActorFlowTracin", "\(event) procname")
        }

        // Each thread's events in its program order, with every field.
        func lane(_ tid: Int) -> [String] { events.filter { $0.vtid == tid }.map(\.description) }
        #expect(lane(threads.main) == ScriptedStepExpectation.mainThread)
        #expect(lane(threads.worker0) == ScriptedStepExpectation.worker0)
        #expect(lane(threads.worker1) == ScriptedStepExpectation.worker1)
        #expect(Set([threads.main, threads.worker0, threads.worker1]).count == 3)

        // babeltrace2 merges the per-CPU streams in timestamp order…
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.cycles <= $1.cycles })
        // …and the timestamps respect what the semaphores ordered across threads.
        func time(_ name: String, op: String? = nil) throws -> UInt64 {
            let match = events.first { $0.name == "actorflow:" + name && (op == nil || $0.fields["op_name"] == op) }
            return try #require(match, "no \(name) \(op ?? "")").cycles
        }
        #expect(events.first?.name == "actorflow:cluster_step")
        #expect(events.last?.name == "actorflow:step_end")
        for op in ["a", "b", "c", "d"] {
            #expect(try time("op_start", op: op) <= time("op_end", op: op), "op \(op) ends after it starts")
        }
        #expect(try time("op_end", op: "a") <= time("op_start", op: "b"), "b consumes a")
        #expect(try time("op_end", op: "a") <= time("worker_wake"), "worker 1 wakes for a's consumers")
        #expect(try time("worker_wake") <= time("steal"))
        #expect(try time("steal") <= time("op_start", op: "c"), "c runs on the worker that stole it")
        #expect(try time("op_end", op: "b") <= time("op_start", op: "d"), "d consumes b")
        #expect(try time("op_end", op: "c") <= time("op_start", op: "d"), "d consumes c")
    }

    @Test("record.sh --perf adds perf counters only where they work, so the events are recorded either way")
    func perfContextsNeverSilenceTheTrace() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }

        let result = try recording.record([tools.probe, "emit-step", "--wait", "60"], options: ["--perf"])
        try #require(result.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(result.transcript)")
        let added = result.stderr.contains("recording perf:thread:cycles and perf:thread:instructions")
        let refused = result.stderr.contains("perf_event_open(PERF_COUNT_HW_CPU_CYCLES) fails here")
        #expect(added != refused, "record.sh says whether it added the counters:\n\(result.stderr)")

        let printed = try Subprocess.run(tools.babeltrace2, ["--clock-cycles", recording.traceDirectory.path])
        try #require(printed.status == 0, "\(printed.transcript)")
        let events = try BabeltraceText.parse(printed.stdout)
        #expect(events.count == ScriptedStepExpectation.count)
        for event in events {
            #expect((event.context["perf_thread_cycles"] != nil) == added, "\(event.context)")
        }
    }

    @Test("record.sh passes the command's exit status through and still stops its session daemon")
    func recordPassesExitStatusThrough() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }

        let result = try recording.record(["/bin/sh", "-c", "exit 3"])
        // 98 would mean a daemon outlived record.sh (see PrivateRecording).
        #expect(result.status == 3, "\(result.transcript)")
        #expect(result.stderr.contains("command exited with status 3"), "\(result.transcript)")
    }

    @Test("with no session daemon the probe's tracepoints stay disabled and it runs normally")
    func noDaemonMeansNoEvents() throws {
        let tools = try TracingTools.locate()
        let isolation = try PrivateRecording(tools: tools)
        defer { isolation.removeScratch() }

        let status = try isolation.runWithoutDaemon([tools.probe, "status"])
        #expect(status.status == 0, "\(status.transcript)")
        #expect(status.stdout == "registered=true enabled=none\n", "\(status.transcript)")

        let emit = try isolation.runWithoutDaemon([tools.probe, "emit-step", "--wait", "1"])
        #expect(emit.status == 3, "\(emit.transcript)")
        #expect(emit.stderr.contains("no session enabled every actorflow event"), "\(emit.transcript)")
    }
}
