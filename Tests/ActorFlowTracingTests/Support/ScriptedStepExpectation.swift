/// What the probe's `emit-step` (Tests/ActorFlowTracingProbe/ScriptedStep.swift) must leave in a trace, thread by
/// thread, in program order: each entry is `RecordedEvent.description` ("actorflow:NAME field=value …", fields
/// sorted by name). Written out by hand rather than shared with the probe, so that the test checks the probe.
enum ScriptedStepExpectation {
    static let mainThread = [
        "actorflow:cluster_step cluster_step=7 task=1 tasks=2",
        "actorflow:step_begin node_count=4 step_id=42",
        "actorflow:step_end status=ok step_id=42",
    ]

    static let worker0 = [
        "actorflow:op_scheduled op_id=0 step_id=42",
        "actorflow:op_start numa_node=0 op_id=0 op_name=a op_type=Const step_id=42 worker=0",
        "actorflow:alloc allocation_id=1 bytes=64 numa_node=0 op_id=0 step_id=42",
        "actorflow:op_end numa_node=0 op_id=0 op_name=a output_bytes=64 step_id=42 worker=0",
        "actorflow:op_scheduled op_id=1 step_id=42",
        "actorflow:op_scheduled op_id=2 step_id=42",
        "actorflow:op_start numa_node=0 op_id=1 op_name=b op_type=MatMul step_id=42 worker=0",
        "actorflow:alloc allocation_id=2 bytes=128 numa_node=0 op_id=1 step_id=42",
        "actorflow:op_end numa_node=0 op_id=1 op_name=b output_bytes=128 step_id=42 worker=0",
        "actorflow:op_scheduled op_id=3 step_id=42",
        "actorflow:op_start numa_node=0 op_id=3 op_name=d op_type=Add step_id=42 worker=0",
        "actorflow:alloc allocation_id=4 bytes=128 numa_node=0 op_id=3 step_id=42",
        "actorflow:op_end numa_node=0 op_id=3 op_name=d output_bytes=128 step_id=42 worker=0",
        "actorflow:free allocation_id=1 bytes=64",
        "actorflow:free allocation_id=2 bytes=128",
        "actorflow:free allocation_id=3 bytes=32",
    ]

    static let worker1 = [
        "actorflow:worker_wake worker=1",
        "actorflow:steal same_node=1 thief=1 victim=0",
        "actorflow:op_start numa_node=0 op_id=2 op_name=c op_type=Relu step_id=42 worker=1",
        "actorflow:op_suspend numa_node=0 op_id=2 op_name=c step_id=42 worker=1",
        "actorflow:op_resume numa_node=0 op_id=2 op_name=c step_id=42 worker=1",
        "actorflow:alloc allocation_id=3 bytes=32 numa_node=0 op_id=2 step_id=42",
        "actorflow:op_end numa_node=0 op_id=2 op_name=c output_bytes=32 step_id=42 worker=1",
        "actorflow:worker_park worker=1",
    ]

    static var count: Int { mainThread.count + worker0.count + worker1.count }
}

/// The thread ids the probe prints after emitting: "main=TID worker0=TID worker1=TID pid=PID".
struct ProbeThreads: Equatable {
    var main: Int
    var worker0: Int
    var worker1: Int
    var pid: Int

    struct Missing: Error, CustomStringConvertible {
        var output: String
        var description: String { "the probe printed no 'main=… worker0=… worker1=… pid=…' line:\n\(output)" }
    }

    init(parsing output: String) throws {
        for line in output.split(separator: "\n") where line.hasPrefix("main=") {
            var values: [String: Int] = [:]
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: "=")
                if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
            }
            if let main = values["main"], let worker0 = values["worker0"], let worker1 = values["worker1"],
                let pid = values["pid"]
            {
                self.init(main: main, worker0: worker0, worker1: worker1, pid: pid)
                return
            }
        }
        throw Missing(output: output)
    }

    init(main: Int, worker0: Int, worker1: Int, pid: Int) {
        self.main = main
        self.worker0 = worker0
        self.worker1 = worker1
        self.pid = pid
    }
}
