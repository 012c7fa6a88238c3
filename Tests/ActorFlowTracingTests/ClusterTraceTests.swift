import ActorFlowTestSupport
import Foundation
import Testing

/// Records an `mpirun -np 2 actorflow-mpi clustertest` launch (a cluster session over two ranks, untraced and
/// traced steps) with a private lttng-sessiond and reads it back with babeltrace2: every rank's
/// `actorflow:cluster_step` events name its task, so each process of the launch (its `vpid`) maps to one rank and
/// its op events to that rank's part of a cluster step.
@Suite("cluster steps through a real lttng session", .serialized, .timeLimit(.minutes(5)))
struct ClusterTraceTests {
    @Test("every rank emits cluster_step naming its task; each process is one task; steps count up alike")
    func clusterStepEvents() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }
        let program = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("actorflow-mpi").path
        let root = getuid() == 0 ? ["--allow-run-as-root"] : []
        let result = try recording.record(["/usr/bin/mpirun"] + root + ["--oversubscribe", "-np", "2", program, "clustertest"])
        try #require(result.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(result.transcript)")

        let printed = try Subprocess.run(tools.babeltrace2, ["--clock-cycles", recording.traceDirectory.path])
        try #require(printed.status == 0, "\(printed.transcript)")
        let events = try BabeltraceText.parse(printed.stdout)
        let clusterSteps = events.filter { $0.name == "actorflow:cluster_step" }
        var taskOfProcess: [Int: Int] = [:]
        var stepsOfTask: [Int: [Int]] = [:]
        for event in clusterSteps {
            let task = try #require(event.fields["task"].flatMap { Int($0) }, "\(event)")
            let step = try #require(event.fields["cluster_step"].flatMap { Int($0) }, "\(event)")
            let process = try #require(event.vpid, "\(event)")
            #expect(event.fields["tasks"] == "2", "\(event)")
            #expect(taskOfProcess[process, default: task] == task, "process \(process) named two tasks: \(event)")
            taskOfProcess[process] = task
            stepsOfTask[task, default: []].append(step)
        }
        // Both ranks registered with the session daemon and recorded their parts (one process each).
        #expect(Set(taskOfProcess.values) == [0, 1], "cluster_step events: \(clusterSteps)")
        #expect(taskOfProcess.count == 2)
        // Each task's parts come in cluster-step order, and the steps task 1 served are steps task 0 ran.
        for (task, steps) in stepsOfTask { #expect(steps == steps.sorted() && Set(steps).count == steps.count, "task \(task): \(steps)") }
        #expect(Set(stepsOfTask[1] ?? []).isSubset(of: Set(stepsOfTask[0] ?? [])))
        // The op events of both processes are in the same trace, so each op ran on a known task.
        let opProcesses = Set(events.filter { $0.name == "actorflow:op_start" }.compactMap(\.vpid))
        #expect(opProcesses.isSubset(of: Set(taskOfProcess.keys)) && opProcesses.count == 2, "op_start from \(opProcesses)")

        // The Chrome timeline of the trace names each process after its task.
        let chrome = try Subprocess.run(
            tools.python3, [tools.scripts.appendingPathComponent("ctf_to_chrome.py").path, recording.traceDirectory.path])
        try #require(chrome.status == 0, "\(chrome.transcript)")
        let document = try JSONSerialization.jsonObject(with: Data(chrome.stdout.utf8)) as? [String: Any]
        let names = (document?["traceEvents"] as? [[String: Any]] ?? []).compactMap { event -> String? in
            guard event["name"] as? String == "process_name" else { return nil }
            return (event["args"] as? [String: Any])?["name"] as? String
        }
        for (process, task) in taskOfProcess {
            #expect(names.contains("task \(task): actorflow-mpi (\(process))"), "process names: \(names)")
        }
    }
}
