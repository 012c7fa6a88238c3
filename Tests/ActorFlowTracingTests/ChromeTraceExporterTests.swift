import ActorFlowCore
import ActorFlowProto
import ActorFlowTracing
import Foundation
import Testing

@Suite("ChromeTraceExporter")
struct ChromeTraceExporterTests {
    typealias Samples = StepStatsSamples

    @Test("one process per device, one named track per real thread")
    func processesAndTracks() throws {
        let events = try Samples.events(ChromeTraceExporter().json(for: Samples.diamond()))
        let metadata = events.phase("M")
        let processes = metadata.filter { $0["name"] as? String == "process_name" }
        #expect(processes.count == 1)
        #expect(processes.first?.integer("pid") == 1)
        #expect(processes.first?.args["name"] as? String == Samples.cpu)
        let threads = metadata.filter { $0["name"] as? String == "thread_name" }
        let names = Dictionary(uniqueKeysWithValues: threads.map { ($0.integer("tid") ?? -1, $0.args["name"] as? String) })
        #expect(names == [101: "af-w0-n0", 202: "af-w1-n0"])
        let order = metadata.filter { $0["name"] as? String == "thread_sort_index" }
            .sorted { ($0.integer("tid") ?? 0) < ($1.integer("tid") ?? 0) }.map { $0.args.integer("sort_index") }
        #expect(order == [0, 1])
    }

    @Test("each op is a complete event named after its type, on its thread, with its times and outputs")
    func opEvents() throws {
        let events = try Samples.events(ChromeTraceExporter().json(for: Samples.diamond())).phase("X")
        #expect(events.map { $0["name"] as? String } == ["Const", "Square", "Neg", "Add"])
        #expect(events.map { $0.integer("tid") } == [101, 101, 202, 101])
        #expect(events.allSatisfy { $0.integer("pid") == 1 && $0["cat"] as? String == "op" })
        // Microseconds from the earliest instant (a's scheduling), exact to the nanosecond.
        #expect(events.map { $0.number("ts") } == [1, 4.1, 5, 8.5])
        #expect(events.map { $0.number("dur") } == [3, 2.4, 3, 1.5])

        let b = events[2].args
        #expect(b["node"] as? String == "b")
        #expect(b["op"] as? String == "Neg")
        #expect(b["inputs"] as? [String] == ["a"])
        #expect(b["control_inputs"] == nil)
        #expect(b.number("queue_delay_us") == 1)
        #expect(b.number("op_us") == 2)
        #expect(b["output_shapes"] as? [String] == ["float (2, 2)"])
        #expect(b.integer("output_bytes") == 16)

        let d = events[3].args
        #expect(d["inputs"] as? [String] == ["b", "c:0"])
        #expect(d["control_inputs"] as? [String] == ["a"])
        #expect(d.number("queue_delay_us") == 0.5)
    }

    @Test("dataflow arrows join producer and consumer only across threads, inside both events")
    func flows() throws {
        let events = try Samples.events(ChromeTraceExporter().json(for: Samples.diamond()))
        let starts = events.phase("s"), ends = events.phase("f")
        #expect(starts.map { $0["name"] as? String } == ["a", "b"])
        #expect(ends.map { $0["name"] as? String } == ["a", "b"])
        #expect(starts.map { $0.integer("tid") } == [101, 202])
        #expect(ends.map { $0.integer("tid") } == [202, 101])
        #expect(starts.map { $0.number("ts") } == [3.5, 7.25])   // producers' kernel ends
        #expect(ends.map { $0.number("ts") } == [5.25, 8.6])     // consumers' kernel starts
        #expect(ends.allSatisfy { $0["bp"] as? String == "e" && $0["cat"] as? String == "dataflow" })
        #expect(starts.map { $0.integer("id") } == ends.map { $0.integer("id") })
        #expect(Set(starts.compactMap { $0.integer("id") }).count == 2)
        let ops = events.phase("X")
        for flow in starts + ends {
            let enclosing = ops.filter { op in
                op.integer("tid") == flow.integer("tid") && op.integer("pid") == flow.integer("pid")
                    && op.number("ts")! < flow.number("ts")! && flow.number("ts")! < op.number("ts")! + op.number("dur")!
            }
            #expect(enclosing.count == 1, "flow \(flow) is not inside exactly one op")
        }
    }

    @Test("options turn dataflow and memory off and on")
    func options() throws {
        let bare = try Samples.events(ChromeTraceExporter(showDataflow: false, showMemory: false).json(for: Samples.diamond()))
        #expect(bare.phase("s").isEmpty && bare.phase("f").isEmpty && bare.phase("C").isEmpty)
        #expect(bare.phase("X").count == 4)
        let defaults = try Samples.events(ChromeTraceExporter().json(for: Samples.diamond()))
        #expect(defaults.phase("s").count == 2 && defaults.phase("C").isEmpty)
    }

    @Test("the memory counter is the running sum of the allocation records")
    func memoryFromRecords() throws {
        let events = try Samples.events(ChromeTraceExporter(showMemory: true).json(for: Samples.diamond()))
        let counters = events.phase("C")
        #expect(counters.allSatisfy { $0["name"] as? String == "memory (cpu)" && $0.integer("pid") == 1 })
        // Records carry whole microseconds: 3.5 µs is recorded as 3 µs, and so on.
        #expect(counters.map { $0.number("ts") } == [0, 3, 6, 7, 9, 10])
        #expect(counters.map { $0.args.integer("bytes") } == [0, 16, 32, 48, 64, 48])
    }

    @Test("without allocation records the counter adds the bytes each node left alive at its kernel end")
    func memoryFromTotals() throws {
        var stats = Samples.diamond()
        for i in stats.devStats[0].nodeStats.indices { stats.devStats[0].nodeStats[i].memory[0].allocationRecords = [] }
        let counters = try Samples.events(ChromeTraceExporter(showMemory: true).json(for: stats)).phase("C")
        #expect(counters.map { $0.number("ts") } == [0, 3.5, 6.2, 7.25, 9.6])
        #expect(counters.map { $0.args.integer("bytes") } == [0, 16, 32, 48, 64])
    }

    @Test("records without a thread id (TensorFlow's executor) are packed into lanes")
    func lanesWithoutThreadIDs() throws {
        func micros(_ name: String, _ label: String, start: Int64, end: Int64) -> Tensorflow_NodeExecStats {
            var s = Tensorflow_NodeExecStats()
            s.nodeName = name
            s.timelineLabel = label
            s.allStartMicros = 1_700_000_000_000_000 + start
            s.opStartRelMicros = 1
            s.opEndRelMicros = end - start - 1
            s.allEndRelMicros = end - start
            return s
        }
        var device = Tensorflow_DeviceStepStats()
        device.device = "/job:localhost/replica:0/task:0/device:CPU:0"
        device.nodeStats = [micros("x", "x = Const()", start: 0, end: 10), micros("y", "y = Const()", start: 2, end: 5),
                            micros("z", "z = Add(x, y)", start: 12, end: 15)]
        var stats = Tensorflow_StepStats()
        stats.devStats = [device]
        let events = try Samples.events(ChromeTraceExporter().json(for: stats))
        let lane0: Int64 = 1 << 32
        #expect(events.phase("X").map { $0.integer("tid") } == [lane0, lane0 + 1, lane0])
        #expect(events.phase("X").map { $0.number("ts") } == [0, 2, 12])
        let names = events.phase("M").filter { $0["name"] as? String == "thread_name" }.map { $0.args["name"] as? String }
        #expect(names == ["lane 0 (no thread id)", "lane 1 (no thread id)"])
        #expect(events.phase("s").map { $0["name"] as? String } == ["y"])   // x → z share lane 0
    }

    @Test("a consumer on another device gets an arrow even from the same thread number")
    func crossDevice() throws {
        var stats = Samples.diamond()
        var other = Tensorflow_DeviceStepStats()
        other.device = "/job:localhost/replica:0/task:0/device:CPU:1"
        other.nodeStats = [Samples.node("e", label: "e = Neg(d)", thread: 101, scheduled: 10_000, allStart: 10_100,
                                        opStart: 10_200, opEnd: 10_300, allEnd: 10_400)]
        stats.devStats.append(other)
        let events = try Samples.events(ChromeTraceExporter().json(for: stats))
        #expect(events.phase("M").filter { $0["name"] as? String == "process_name" }.map { $0.integer("pid") } == [1, 2])
        let flow = try #require(events.phase("f").last)
        #expect(flow["name"] as? String == "d" && flow.integer("pid") == 2 && flow.integer("tid") == 101)
    }

    @Test("a cluster step's _Recv on another task gets a transfer arrow from the producer of the same name")
    func crossTaskTransfer() throws {
        var stats = Samples.diamond()
        stats.devStats[0].device = "/job:worker/replica:0/task:0/device:CPU:0"
        var worker = Tensorflow_DeviceStepStats()
        worker.device = "/job:worker/replica:0/task:1/device:CPU:0"
        worker.nodeStats = [
            Samples.node("d", label: "d = _Recv()", thread: 7, scheduled: 0, allStart: 100, opStart: 200,
                         opEnd: 30_000, allEnd: 30_100),
            Samples.node("e", label: "e = Neg(d)", thread: 7, scheduled: 30_100, allStart: 30_200, opStart: 30_300,
                         opEnd: 30_400, allEnd: 30_500),
        ]
        stats.devStats.append(worker)
        let events = try Samples.events(ChromeTraceExporter().json(for: stats))
        let starts = events.phase("s").filter { $0["cat"] as? String == "transfer" }
        let ends = events.phase("f").filter { $0["cat"] as? String == "transfer" }
        try #require(starts.count == 1 && ends.count == 1)
        #expect(starts[0]["name"] as? String == "d" && starts[0].integer("pid") == 1)
        #expect(ends[0].integer("pid") == 2 && ends[0].integer("tid") == 7)
        #expect(ends[0].number("ts")! > starts[0].number("ts")!)
    }

    @Test("repeated firings pair each consumer with the latest earlier firing of its producer")
    func mergedRunsPairUp() throws {
        var later = Samples.diamond()
        for i in later.devStats[0].nodeStats.indices {
            later.devStats[0].nodeStats[i].allStartNanos += 1_000_000
            later.devStats[0].nodeStats[i].scheduledNanos += 1_000_000
        }
        var accumulator = StepStatsAccumulator()
        accumulator.add(Samples.diamond())
        accumulator.add(later)
        let events = try Samples.events(ChromeTraceExporter().json(for: accumulator.merged))
        let starts = events.phase("s"), ends = events.phase("f")
        #expect(starts.count == 4)
        for (start, end) in zip(starts, ends) {
            let gap = end.number("ts")! - start.number("ts")!
            #expect(gap > 0 && gap < 10, "an arrow crosses runs: \(start) → \(end)")
        }
    }

    @Test("quotes, backslashes and control characters in names survive as JSON")
    func escaping() throws {
        let name = "we\"ird\\node\n\t\u{01}/ünï🙂"
        let type = "Quote\"Back\\slash"
        var stats = Samples.diamond()
        stats.devStats[0].device = "dev \"0\" \\ x"
        stats.devStats[0].threadNames[101] = "tab\there \"w0\""
        stats.devStats[0].nodeStats[0].nodeName = name
        stats.devStats[0].nodeStats[0].timelineLabel = "\(name) = \(type)()"
        stats.devStats[0].nodeStats[2].timelineLabel = "b = Neg(\(name):0)"
        let json = ChromeTraceExporter(showMemory: true).json(for: stats)
        let events = try Samples.events(json)
        let first = try #require(events.phase("X").first)
        #expect(first["name"] as? String == type)
        #expect(first.args["node"] as? String == name)
        #expect(events.phase("X")[2].args["inputs"] as? [String] == ["\(name):0"])
        #expect(events.phase("s").first?["name"] as? String == "\(name):0")
        let metadata = events.phase("M")
        #expect(metadata.contains { $0.args["name"] as? String == "dev \"0\" \\ x" })
        #expect(metadata.contains { $0.args["name"] as? String == "tab\there \"w0\"" })
    }

    @Test("the stats StepStatsBuilder makes from engine records export with their real threads")
    func fromBuilder() throws {
        let g = Graph()
        let none = Kernel { (_: borrowing KernelContext) in [] }
        let f2: [(DType, TensorShape)] = [(.float32, TensorShape([2]))]
        let a = g.addOperation(type: "Const", name: "a", outputs: f2, kernel: none)
        let b = g.addOperation(type: "Neg", name: "b", inputs: [a.output(0)], outputs: f2, kernel: none)
        let c = g.addOperation(type: "Square", name: "c", inputs: [a.output(0)], outputs: f2, kernel: none)
        let d = g.addOperation(
            type: "AddN", name: "d", inputs: [b.output(0), c.output(0)], controlInputs: [a], outputs: f2, kernel: none
        )
        let t0 = TraceClock.now()
        func record(_ thread: UInt32, _ at: UInt64, id: Int64) -> NodeExecRecord {
            var r = NodeExecRecord()
            (r.scheduledNanos, r.allStartNanos, r.opStartNanos) = (t0 + at, t0 + at + 100, t0 + at + 200)
            (r.opEndNanos, r.allEndNanos) = (t0 + at + 1_200, t0 + at + 1_300)
            r.threadID = thread
            r.worker = thread == 7001 ? 0 : 1
            r.outputs = [OutputRecord(dtype: .float32, dimensions: [2], bytes: 8, allocated: true, allocationID: id)]
            r.didRun = true
            return r
        }
        let stats = StepStatsBuilder(includeAllocationRecords: true).build(
            [(a, record(7001, 0, id: 1)), (b, record(7002, 2_000, id: 2)), (c, record(7001, 2_000, id: 3)),
             (d, record(7001, 4_000, id: 4))],
            threadNames: [7001: "af-w0-n0", 7002: "af-w1-n0", 7003: "af-w2-n0"]
        )
        let events = try Samples.events(ChromeTraceExporter(showMemory: true).json(for: stats))
        let threads = events.phase("M").filter { $0["name"] as? String == "thread_name" }
        #expect(threads.map { $0.args["name"] as? String } == ["af-w0-n0", "af-w1-n0"])
        let ops = events.phase("X")
        #expect(Set(ops.compactMap { $0["name"] as? String }) == ["Const", "Neg", "Square", "AddN"])
        let addN = try #require(ops.first { $0["name"] as? String == "AddN" })
        #expect(addN.args["inputs"] as? [String] == ["b", "c"])
        #expect(addN.args["control_inputs"] as? [String] == ["a"])
        #expect(addN.number("dur") == 1.2 && addN.args.number("op_us") == 1 && addN.args.number("queue_delay_us") == 0.1)
        #expect(events.phase("s").map { $0["name"] as? String } == ["a", "b"])
        #expect(events.phase("C").last?.args.integer("bytes") == 32)
    }

    @Test("empty stats make an empty, valid trace")
    func empty() throws {
        let json = ChromeTraceExporter(showMemory: true).json(for: Tensorflow_RunMetadata())
        #expect(try Samples.events(json).isEmpty)
    }

    @Test("the origin is recorded in otherData, in Unix nanoseconds")
    func origin() throws {
        let json = ChromeTraceExporter().json(for: Samples.diamond())
        let top = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let other = try #require(top["otherData"] as? [String: Any])
        #expect(other["time_origin_unix_nanos"] as? String == String(Samples.base))
    }
}
