import ActorFlowCore
import ActorFlowProto

/// Writes the events of a ``ChromeTraceExporter`` trace straight into its JSON text.
struct TraceEventSink {
    /// Trace time 0, Unix-epoch nanoseconds.
    let origin: Int64
    private var w: JSONWriter

    init(origin: Int64, expectedEvents: Int = 0) {
        self.origin = origin
        w = JSONWriter(reservingCapacity: expectedEvents * 300)
        w.raw("{\"traceEvents\":[")
    }

    /// One event: an object whose members `body` writes, on a line of its own.
    private mutating func event(_ body: (inout JSONWriter) -> Void) {
        w.lineBreak()
        w.object(body)
    }

    /// Closes the event array and adds `displayTimeUnit` and `otherData`.
    consuming func finish(otherData: [(String, String)]) -> String {
        w.raw("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":")
        w.object { w in for (key, value) in otherData { w.member(key, value) } }
        w.raw("}\n")
        return w.text
    }

    // MARK: Events

    /// Process and thread names and their display order.
    mutating func appendMetadata(_ step: PlacedStep) {
        for (index, device) in step.devices.enumerated() {
            let pid = index + 1
            event { w in
                w.member("ph", "M"); w.member("name", "process_name"); w.member("pid", pid)
                w.member("args") { w in w.member("name", device) }
            }
            event { w in
                w.member("ph", "M"); w.member("name", "process_sort_index"); w.member("pid", pid)
                w.member("args") { w in w.member("sort_index", pid) }
            }
            for (order, thread) in (step.threads[pid] ?? []).enumerated() {
                event { w in
                    w.member("ph", "M"); w.member("name", "thread_name"); w.member("pid", pid)
                    w.member("tid", thread.tid); w.member("args") { w in w.member("name", thread.name) }
                }
                event { w in
                    w.member("ph", "M"); w.member("name", "thread_sort_index"); w.member("pid", pid)
                    w.member("tid", thread.tid); w.member("args") { w in w.member("sort_index", order) }
                }
            }
        }
    }

    /// The complete event of one op firing.
    mutating func append(opEventFor node: PlacedNode) {
        let origin = origin
        event { w in
            w.member("ph", "X"); w.member("cat", "op"); w.member("name", node.eventName)
            w.member("pid", node.pid); w.member("tid", node.tid)
            w.member("ts", microseconds: node.timing.allStart &- origin)
            w.member("dur", microseconds: node.timing.allNanos)
            w.member("args") { w in
                w.member("node", node.stats.nodeName)
                if let type = node.label.opType { w.member("op", type) }
                w.member("inputs", strings: node.label.inputs)
                if !node.label.controlInputs.isEmpty { w.member("control_inputs", strings: node.label.controlInputs) }
                if let queued = node.timing.queuedNanos { w.member("queue_delay_us", microseconds: queued) }
                w.member("op_us", microseconds: node.timing.opNanos)
                var bytes: Int64 = 0
                w.key("output_shapes")
                w.array { w in
                    for output in node.stats.output {
                        w.string(Self.describe(output.tensorDescription))
                        bytes &+= output.tensorDescription.allocationDescription.requestedBytes
                    }
                }
                w.member("output_bytes", bytes)
                if let intraOp = node.intraOp {
                    // {"loops":2,"chunks":12,"workers":{"w0":7,"w1":5}}
                    w.member("intra_op") { w in
                        w.member("loops", intraOp.loops)
                        w.member("chunks", intraOp.totalChunks)
                        w.member("workers") { w in
                            for share in intraOp.chunks { w.member(IntraOpSuffix.name(of: share.worker), share.chunks) }
                        }
                    }
                }
            }
        }
    }

    /// A flow arrow for every data input whose producer ran on another track.
    ///
    /// An input is matched to the latest firing of its producer node (the input's name without `:N`) whose
    /// kernel ended no later than the consumer's kernel started, so repeated firings (loops, merged runs) pair up.
    mutating func appendFlows(_ step: PlacedStep) {
        var producers: [Substring: [(point: Int64, node: Int)]] = [:]
        producers.reserveCapacity(step.nodes.count)
        for index in step.nodes.indices {
            producers[step.nodes[index].stats.nodeName[...], default: []].append((step.nodes[index].flowSource, index))
        }
        for key in producers.keys where producers[key]!.count > 1 { producers[key]!.sort { $0.point < $1.point } }
        var nextID: Int64 = 1
        appendTransfers(step, producers: producers, nextID: &nextID)
        for c in step.nodes.indices {
            let target = step.nodes[c].flowTarget
            let (consumerPID, consumerTID) = (step.nodes[c].pid, step.nodes[c].tid)
            for input in step.nodes[c].label.inputs {
                guard let firings = producers[TimelineLabel.producer(of: input)] else { continue }
                // The last firing whose source point is ≤ target.
                var low = 0, high = firings.count
                while low < high {
                    let middle = (low + high) / 2
                    if firings[middle].point <= target { low = middle + 1 } else { high = middle }
                }
                guard low > 0 else { continue }
                let p = firings[low - 1].node
                let (producerPID, producerTID) = (step.nodes[p].pid, step.nodes[p].tid)
                guard producerPID != consumerPID || producerTID != consumerTID else { continue }
                let id = nextID
                nextID += 1
                let (start, end) = (firings[low - 1].point &- origin, target &- origin)
                event { w in
                    w.member("ph", "s"); w.member("cat", "dataflow"); w.member("name", input); w.member("id", id)
                    w.member("pid", producerPID); w.member("tid", producerTID); w.member("ts", microseconds: start)
                }
                event { w in
                    w.member("ph", "f"); w.member("bp", "e"); w.member("cat", "dataflow"); w.member("name", input)
                    w.member("id", id); w.member("pid", consumerPID); w.member("tid", consumerTID)
                    w.member("ts", microseconds: end)
                }
            }
        }
    }

    /// An arrow from each tensor's producer on one task to its `_Recv` on another (a cluster step's stand-in of
    /// the same name): from the producer's kernel end to the receive's, the latest producer firing on another
    /// device that ended no later than the receive did.
    private mutating func appendTransfers(
        _ step: PlacedStep, producers: [Substring: [(point: Int64, node: Int)]], nextID: inout Int64
    ) {
        let origin = self.origin
        for r in step.nodes.indices where step.nodes[r].label.opType == "_Recv" {
            let receive = step.nodes[r]
            let arrival = receive.flowSource
            guard let firings = producers[receive.stats.nodeName[...]],
                let sender = firings.last(where: { step.nodes[$0.node].pid != receive.pid && $0.point <= arrival })
            else { continue }
            let p = sender.node
            let id = nextID
            nextID += 1
            event { w in
                w.member("ph", "s"); w.member("cat", "transfer"); w.member("name", receive.stats.nodeName); w.member("id", id)
                w.member("pid", step.nodes[p].pid); w.member("tid", step.nodes[p].tid)
                w.member("ts", microseconds: sender.point &- origin)
            }
            event { w in
                w.member("ph", "f"); w.member("bp", "e"); w.member("cat", "transfer"); w.member("name", receive.stats.nodeName)
                w.member("id", id); w.member("pid", receive.pid); w.member("tid", receive.tid)
                w.member("ts", microseconds: arrival &- origin)
            }
        }
    }

    /// A counter per device and allocator: the running sum of the allocation records (allocations and frees), or,
    /// for nodes without records, of the bytes each op left alive at its end.
    mutating func appendMemoryCounters(_ step: PlacedStep) {
        var changes: [Int: [String: [(time: Int64, bytes: Int64)]]] = [:]
        var allocatorOrder: [Int: [String]] = [:]
        for node in step.nodes {
            for memory in node.stats.memory {
                let allocator = memory.allocatorName
                if changes[node.pid, default: [:]][allocator] == nil { allocatorOrder[node.pid, default: []].append(allocator) }
                if !memory.allocationRecords.isEmpty {
                    for record in memory.allocationRecords {
                        changes[node.pid, default: [:]][allocator, default: []]
                            .append((record.allocMicros &* 1000, record.allocBytes))
                    }
                } else {
                    // Without records (`.softwareTrace`), the bytes the op left alive, at the kernel's end.
                    changes[node.pid, default: [:]][allocator, default: []].append((node.timing.opEnd, memory.liveBytes))
                }
            }
        }
        for pid in changes.keys.sorted() {
            for allocator in allocatorOrder[pid] ?? [] {
                let series = (changes[pid]?[allocator] ?? []).enumerated()
                    .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
                let name = "memory (\(allocator))"
                let origin = origin
                func sample(_ time: Int64, _ bytes: Int64) {
                    event { w in
                        w.member("ph", "C"); w.member("cat", "memory"); w.member("name", name); w.member("pid", pid)
                        w.member("ts", microseconds: time &- origin); w.member("args") { w in w.member("bytes", bytes) }
                    }
                }
                sample(origin, 0)
                var total: Int64 = 0
                for (index, change) in series.enumerated() {
                    total &+= change.bytes
                    // One sample per instant: the total after every change at that instant.
                    if index + 1 < series.count, series[index + 1].time == change.time { continue }
                    sample(change.time, total)
                }
            }
        }
    }

    /// `float (2, 3)`: an output's dtype and shape.
    static func describe(_ description: Tensorflow_TensorDescription) -> String {
        let dtype = DType(description.dtype)?.rawValue ?? "\(description.dtype)"
        let shape = TensorShape(description.shape)?.description ?? "<malformed shape>"
        return "\(dtype) \(shape)"
    }
}
