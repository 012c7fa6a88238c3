import ActorFlowProto

/// Merges the step statistics of several runs, which TensorFlow never did (its timeline shows only the last
/// `Session.run`, issue #3489), and summarizes each op over all of them.
///
/// `merged` keeps every node record of every run, grouped per device (devices in order of first appearance,
/// records in the order they were added) with the devices' thread names unioned, so
/// ``ChromeTraceExporter`` draws all runs on one timeline. `opSummaries` aggregates per node name: how often
/// it ran, its kernel time (`op_end_rel − op_start_rel`) and whole time (`all_end_rel`) in nanoseconds, and the
/// bytes of its outputs.
///
/// ```swift
/// var accumulator = StepStatsAccumulator()
/// for _ in 0..<3 {
///     var metadata = Tensorflow_RunMetadata()
///     try session.run(y, options: RunOptions(traceLevel: .softwareTrace), metadata: &metadata)
///     accumulator.add(metadata)
/// }
/// print(accumulator.runCount)                            // 3
/// print(accumulator.topOps(1, by: .opTime)[0].nodeName)  // "y"
/// print(accumulator.summaryTable(top: 10))
/// // 3 runs, 12 op executions; top 4 ops by op time
/// //   # node  op        count  total op ms  mean op µs  min op µs  max op µs  mean all µs  output bytes
/// //   1 y     MatMul        3        0.412       137.3      120.1      160.0        141.9          1200
/// // …
/// ```
///
/// Memory: `merged` grows with every run; pass `keepingNodeStats: false` to keep only the summaries.
/// A value type: copy it freely, or keep it in a `Mutex` to add from several threads.
public struct StepStatsAccumulator: Sendable {
    /// The number of runs added.
    public private(set) var runCount = 0
    /// Every node record added, per device, with the thread names of all runs (a later run's name for a reused
    /// thread id wins). Empty when the accumulator was made with `keepingNodeStats: false`.
    public private(set) var merged = Tensorflow_StepStats()
    /// Whether `merged` keeps node records.
    public let keepsNodeStats: Bool

    private var deviceIndex: [String: Int] = [:]
    private var totals: [String: OpSummary] = [:]

    /// An empty accumulator.
    ///
    /// - Parameter keepingNodeStats: Keep every node record in ``merged`` (default), or only the summaries.
    public init(keepingNodeStats: Bool = true) {
        keepsNodeStats = keepingNodeStats
    }

    /// Adds one run's metadata (its `step_stats`).
    public mutating func add(_ metadata: Tensorflow_RunMetadata) {
        add(metadata.stepStats)
    }

    /// Adds one run's step statistics.
    ///
    /// Complexity: linear in the number of node records.
    public mutating func add(_ stats: Tensorflow_StepStats) {
        runCount += 1
        for device in stats.devStats {
            for node in device.nodeStats { record(node) }
            guard keepsNodeStats else { continue }
            let index: Int
            if let known = deviceIndex[device.device] {
                index = known
            } else {
                index = merged.devStats.count
                deviceIndex[device.device] = index
                var fresh = Tensorflow_DeviceStepStats()
                fresh.device = device.device
                merged.devStats.append(fresh)
            }
            merged.devStats[index].nodeStats.append(contentsOf: device.nodeStats)
            merged.devStats[index].threadNames.merge(device.threadNames) { _, later in later }
        }
    }

    /// The summary of every node seen, ordered by node name.
    public var opSummaries: [OpSummary] {
        totals.values.sorted { $0.nodeName < $1.nodeName }
    }

    /// The `n` nodes with the largest total time, largest first (ties by node name).
    ///
    ///     accumulator.topOps(5, by: .allTime).map(\.nodeName)
    public func topOps(_ n: Int, by ranking: OpSummary.Ranking = .opTime) -> [OpSummary] {
        guard n > 0 else { return [] }
        let key: (OpSummary) -> Int64 = ranking == .opTime ? { $0.totalOpNanos } : { $0.totalAllNanos }
        return Array(
            totals.values.sorted { (key($0), $1.nodeName) > (key($1), $0.nodeName) }.prefix(n)
        )
    }

    private mutating func record(_ node: Tensorflow_NodeExecStats) {
        let timing = NodeTiming(node)
        let bytes = node.output.reduce(Int64(0)) { $0 &+ $1.tensorDescription.allocationDescription.requestedBytes }
        let type = TimelineLabel(node.timelineLabel, nodeName: node.nodeName).opType ?? ""
        totals[node.nodeName, default: OpSummary(nodeName: node.nodeName, opType: type)]
            .add(opNanos: timing.opNanos, allNanos: timing.allNanos, outputBytes: bytes)
    }
}
