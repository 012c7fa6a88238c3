import ActorFlowTestSupport
import ActorFlowProto
import Foundation
import SwiftProtobuf
import Testing

/// Records one step of a real ActorFlow graph (the probe's `run-graph`: a two-layer perceptron run by a `Session` at
/// `.softwareTrace` on the default pool) with a private lttng-sessiond, reads it back with babeltrace2, and checks it
/// against the graph and against the same step's RunMetadata: every op with its name and type, op_start before op_end,
/// consumers after their producers, allocations of the right size each freed once (the fetched value's after the
/// step, when the probe drops it), sane workers, and the two clocks agreeing.
@Suite("a real graph's step through a real lttng session", .serialized)
struct RealGraphRoundTripTests {
    @Test("every op of a real step comes back from babeltrace2 in dataflow order and agrees with its RunMetadata")
    func realGraphRoundTrip() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }
        let metadataFile = recording.scratch.appendingPathComponent("run_metadata.pb")

        let result = try recording.record([tools.probe, "run-graph", "--wait", "60", "--run-metadata", metadataFile.path])
        try #require(result.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(result.transcript)")
        let probe = try RealGraphProbeOutput(parsing: result.stdout)
        #expect(probe.ops == RealGraphExpectation.ops.count, "the probe's graph is the one expected here")

        let printed = try Subprocess.run(tools.babeltrace2, ["--clock-cycles", recording.traceDirectory.path])
        try #require(printed.status == 0, "\(printed.transcript)")
        let events = try BabeltraceText.parse(printed.stdout)
        for event in events { #expect(event.vpid == probe.pid, "\(event) vpid") }
        let step = RecordedGraphStep(events)

        try checkStep(step)
        try checkOps(step, probe: probe)
        try checkFrees(step, probe: probe)
        let metadata = try Tensorflow_RunMetadata(serializedBytes: Data(contentsOf: metadataFile))
        try checkAgainstMetadata(metadata, step: step, probe: probe)
    }

    @Test("an untraced step emits every op's events when an lttng session enables them; its RunMetadata stays empty")
    func untracedStepUnderLTTng() throws {
        let tools = try TracingTools.locate()
        let recording = try PrivateRecording(tools: tools)
        defer { recording.removeScratch() }
        let metadataFile = recording.scratch.appendingPathComponent("run_metadata.pb")

        let result = try recording.record([
            tools.probe, "run-graph", "--wait", "60", "--trace", "none", "--run-metadata", metadataFile.path,
        ])
        try #require(result.status == 0, "recording with \(recording.isolation.rawValue) failed:\n\(result.transcript)")
        let probe = try RealGraphProbeOutput(parsing: result.stdout)

        let printed = try Subprocess.run(tools.babeltrace2, ["--clock-cycles", recording.traceDirectory.path])
        try #require(printed.status == 0, "\(printed.transcript)")
        let step = RecordedGraphStep(try BabeltraceText.parse(printed.stdout))
        try checkStep(step)
        try checkOps(step, probe: probe)
        try checkFrees(step, probe: probe)
        let metadata = try Tensorflow_RunMetadata(serializedBytes: Data(contentsOf: metadataFile))
        #expect(!metadata.hasStepStats, "RunOptions.traceLevel still decides what goes into RunMetadata")
    }

    /// One step_begin/step_end pair, for the whole graph, around every op event.
    private func checkStep(_ step: RecordedGraphStep) throws {
        try #require(step.begins.count == 1 && step.ends.count == 1, "begins \(step.begins), ends \(step.ends)")
        let begin = step.begins[0], end = step.ends[0]
        let stepID = try #require(begin.fields["step_id"])
        #expect(end.fields["step_id"] == stepID)
        #expect(end.fields["status"] == "ok")
        #expect(begin.integer("node_count") == RealGraphExpectation.ops.count)
        for op in step.ops.values {
            for event in op.starts + op.ends + op.scheduled + op.allocations {
                #expect(event.fields["step_id"] == stepID, "\(event)")
                #expect(begin.cycles <= event.cycles && event.cycles <= end.cycles, "\(event) is inside the step")
            }
        }
    }

    /// Every op once, with its name and type, in dataflow order, with its allocation, on a sane worker.
    private func checkOps(_ step: RecordedGraphStep, probe: RealGraphProbeOutput) throws {
        #expect(step.ops.count == RealGraphExpectation.ops.count, "one op_id per op: \(step.ops.keys.sorted())")
        for op in step.ops.values {
            #expect(op.starts.count == 1 && op.ends.count == 1, "op \(op.id) \(op.name ?? "?") starts and ends once")
        }
        let byName = step.opsByName
        try #require(Set(byName.keys) == RealGraphExpectation.names, "op names: \(byName.keys.sorted())")
        let caller = try #require(step.begins.first?.vtid)

        var workerThreads: [Int: Set<Int>] = [:]
        for expected in RealGraphExpectation.ops {
            let op = try #require(byName[expected.name])
            let start = try #require(op.start), end = try #require(op.end)
            #expect(start.fields["op_type"] == expected.type, "\(start)")
            #expect(end.fields["op_name"] == expected.name, "\(end)")
            #expect(start.cycles <= end.cycles, "\(expected.name): op_start before op_end")
            #expect(start.vtid == end.vtid && start.vtid != nil, "\(expected.name) starts and ends on one thread")

            // Consumers start after each producer ended; a consumer is scheduled once, between the two.
            for input in expected.inputs {
                let producerEnd = try #require(byName[input]?.end)
                #expect(producerEnd.cycles <= start.cycles, "\(expected.name) starts after its producer \(input) ended")
                if let scheduled = op.scheduled.first {
                    #expect(producerEnd.cycles <= scheduled.cycles, "\(expected.name) scheduled after \(input) ended")
                }
            }
            #expect(op.scheduled.count == (expected.inputs.isEmpty ? 0 : 1), "\(expected.name): \(op.scheduled)")
            if let scheduled = op.scheduled.first { #expect(scheduled.cycles <= start.cycles) }

            // The output's bytes, in the alloc event and in op_end (constants allocate nothing in the step).
            #expect(op.allocations.compactMap { $0.integer("bytes") } == expected.allocatedBytes, "\(expected.name)")
            #expect(end.integer("output_bytes") == expected.allocatedBytes.reduce(0, +), "\(end)")
            for allocation in op.allocations {
                #expect(start.cycles <= allocation.cycles && allocation.cycles <= end.cycles, "\(allocation) in the kernel")
            }

            // Pool workers, on the machine's NUMA nodes, never the thread that called run().
            let worker = try #require(start.integer("worker")), numa = try #require(start.integer("numa_node"))
            #expect((0..<probe.workers).contains(worker), "\(start): worker of \(probe.workers)")
            #expect((0..<probe.numaNodes).contains(numa), "\(start): NUMA node of \(probe.numaNodes)")
            #expect(end.integer("worker") == worker && end.integer("numa_node") == numa, "\(end)")
            for allocation in op.allocations { #expect(allocation.integer("numa_node") == numa, "\(allocation)") }
            #expect(start.vtid != caller, "\(expected.name) ran on a pool worker, not on the caller's thread")
            if let tid = start.vtid { workerThreads[worker, default: []].insert(tid) }
        }
        for (worker, threads) in workerThreads { #expect(threads.count == 1, "worker \(worker) is one thread: \(threads)") }
        let ids = step.ops.values.flatMap(\.allocations).compactMap { $0.integer("allocation_id") }
        #expect(Set(ids).count == ids.count, "allocation ids are unique: \(ids)")
    }

    /// Every allocation freed exactly once with its bytes: the intermediate values inside the step, once their
    /// consumers ran; the fetched value after `step_end`, when the probe dropped it.
    private func checkFrees(_ step: RecordedGraphStep, probe: RealGraphProbeOutput) throws {
        let allocations = step.ops.values.flatMap(\.allocations)
        var freesByID: [Int: [RecordedEvent]] = [:]
        for free in step.frees { freesByID[free.integer("allocation_id") ?? -1, default: []].append(free) }
        #expect(step.frees.count == allocations.count, "one free per allocation: \(step.frees)")
        let end = try #require(step.ends.first)
        for allocation in allocations {
            let id = try #require(allocation.integer("allocation_id"))
            let frees = freesByID[id] ?? []
            try #require(frees.count == 1, "allocation \(id) freed once: \(frees)")
            #expect(frees[0].integer("bytes") == allocation.integer("bytes"), "\(frees[0])")
            #expect(allocation.cycles <= frees[0].cycles, "allocation \(id) is freed after it is made")
            if id == probe.fetchedAllocationID {
                #expect(end.cycles <= frees[0].cycles, "the fetched value outlives the step")
            } else {
                #expect(frees[0].cycles <= end.cycles, "allocation \(id) is consumed inside the step")
            }
        }
        let fetched = step.opsByName["probabilities"]?.allocations.compactMap { $0.integer("allocation_id") }
        #expect(fetched == [probe.fetchedAllocationID], "the fetched value's buffer is the last op's allocation")
    }

    /// The same step seen through RunMetadata: the same ops, threads and sizes, and times that interleave with the
    /// LTTng timestamps once the fixed epoch offset is taken off.
    private func checkAgainstMetadata(
        _ metadata: Tensorflow_RunMetadata, step: RecordedGraphStep, probe: RealGraphProbeOutput
    ) throws {
        try #require(metadata.stepStats.devStats.count == 1)
        let device = metadata.stepStats.devStats[0]
        let nodes = Dictionary(device.nodeStats.map { ($0.nodeName, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(device.nodeStats.count == RealGraphExpectation.ops.count)
        try #require(Set(nodes.keys) == RealGraphExpectation.names, "RunMetadata names: \(nodes.keys.sorted())")
        let byName = step.opsByName

        func monotonic(_ epochNanos: Int64) -> Int64 { epochNanos - probe.epochOffsetNanos }
        for expected in RealGraphExpectation.ops {
            let node = try #require(nodes[expected.name])
            let op = try #require(byName[expected.name])
            let start = try #require(op.start), end = try #require(op.end)
            #expect(node.timelineLabel == "\(expected.name) = \(expected.type)(\(expected.inputs.joined(separator: ", ")))")
            let outputBytes = node.output.map(\.tensorDescription.allocationDescription.requestedBytes)
            #expect(outputBytes == [Int64(expected.outputBytes)], "\(expected.name)")

            // The same thread, named after the worker the events report.
            #expect(Int(node.threadID) == start.vtid, "\(expected.name): thread_id vs vtid")
            let name = "af-w\(start.fields["worker"] ?? "?")-n\(start.fields["numa_node"] ?? "?")"
            #expect(device.threadNames[node.threadID] == name, "\(expected.name): \(device.threadNames)")

            // all_start ≤ op_start event ≤ kernel start ≤ kernel end ≤ op_end event ≤ all_end, on one clock.
            let allStart = monotonic(node.allStartNanos)
            let instants: [(String, Int64)] = [
                ("all_start", allStart),
                ("op_start event", Int64(start.cycles)),
                ("op_start_rel", allStart + node.opStartRelNanos),
                ("op_end_rel", allStart + node.opEndRelNanos),
                ("op_end event", Int64(end.cycles)),
                ("all_end_rel", allStart + node.allEndRelNanos),
            ]
            for (earlier, later) in zip(instants, instants.dropFirst()) {
                #expect(earlier.1 <= later.1, "\(expected.name): \(earlier.0) \(earlier.1) ≤ \(later.0) \(later.1)")
            }
            // …and in dataflow order: a producer's firing ends before its consumer's begins.
            for input in expected.inputs {
                let producer = try #require(nodes[input])
                #expect(
                    producer.allStartNanos + producer.allEndRelNanos <= node.allStartNanos,
                    "RunMetadata: \(input) ends before \(expected.name) starts")
            }
        }
    }
}
