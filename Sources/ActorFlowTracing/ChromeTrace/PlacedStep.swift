import ActorFlowProto

/// One node record with its place in the trace.
struct PlacedNode {
    var pid: Int
    var tid: Int64
    var stats: Tensorflow_NodeExecStats
    var timing: NodeTiming
    var label: TimelineLabel
    /// The chunks per worker of a kernel that split loops, read from the label's end.
    var intraOp: IntraOpSuffix?

    /// The event name: the op type, or the node name when the label names none.
    var eventName: String { label.opType ?? stats.nodeName }

    /// Where a flow leaves this node: its kernel end, kept strictly inside its event so viewers bind it.
    var flowSource: Int64 { Self.inside(timing.opEnd, timing.allStart, timing.allEnd) }
    /// Where a flow enters this node: its kernel start, strictly inside its event.
    var flowTarget: Int64 { Self.inside(timing.opStart, timing.allStart, timing.allEnd) }

    private static func inside(_ t: Int64, _ low: Int64, _ high: Int64) -> Int64 {
        guard high &- low >= 2 else { return low }
        return min(max(t, low &+ 1), high &- 1)
    }
}

/// The nodes of a step placed on processes and tracks.
struct PlacedStep {
    /// A process per device, in `dev_stats` order (pids from 1).
    var devices: [String] = []
    /// Per pid, the tracks used, in display order, with their names.
    var threads: [Int: [(tid: Int64, name: String)]] = [:]
    var nodes: [PlacedNode] = []
    /// The earliest instant of any record or allocation record (Unix-epoch ns); trace time 0.
    var origin: Int64 = 0

    /// Track ids for lanes of records without a thread id start here, above every 32-bit kernel thread id.
    static let laneBase: Int64 = 1 << 32

    init(_ stats: Tensorflow_StepStats) {
        for (index, device) in stats.devStats.enumerated() {
            let pid = index + 1
            devices.append(device.device)
            var laneEnds: [Int64] = []
            var named: [Int64: String] = [:]
            for node in device.nodeStats {
                let timing = NodeTiming(node)
                let tid: Int64
                if node.threadID != 0 {
                    tid = Int64(node.threadID)
                    if named[tid] == nil { named[tid] = device.threadNames[node.threadID] ?? "thread \(node.threadID)" }
                } else {
                    // TensorFlow's packing: the first lane whose last op ended strictly before this one starts.
                    let lane = laneEnds.firstIndex { $0 < timing.allStart } ?? laneEnds.count
                    if lane == laneEnds.count { laneEnds.append(timing.allEnd) } else { laneEnds[lane] = timing.allEnd }
                    tid = Self.laneBase + Int64(lane)
                    if named[tid] == nil { named[tid] = "lane \(lane) (no thread id)" }
                }
                nodes.append(
                    PlacedNode(
                        pid: pid, tid: tid, stats: node, timing: timing,
                        label: TimelineLabel(node.timelineLabel, nodeName: node.nodeName),
                        intraOp: IntraOpSuffix(in: node.timelineLabel)
                    )
                )
            }
            threads[pid] = named.sorted { $0.key < $1.key }.map { (tid: $0.key, name: $0.value) }
        }
        // Allocation records carry whole microseconds, which may fall just before the first node's start.
        let recordTimes = nodes.lazy.flatMap(\.stats.memory).flatMap(\.allocationRecords).map { $0.allocMicros &* 1000 }
        origin = min(nodes.lazy.map(\.timing.earliest).min() ?? 0, recordTimes.min() ?? .max)
    }
}
