/// One node's statistics over every run a ``StepStatsAccumulator`` has seen.
///
/// Times are nanoseconds: *op time* is the kernel (`op_end_rel − op_start_rel`), *all time* the whole firing
/// including input gathering and output delivery (`all_end_rel`). Both are elapsed wall-clock times on the
/// thread that fired the node, not CPU time.
///
///     let s = accumulator.topOps(1)[0]
///     print(s.nodeName, s.opType, s.count, s.meanOpNanos)   // y MatMul 3 137300.0
public struct OpSummary: Sendable, Hashable {
    /// What ``StepStatsAccumulator/topOps(_:by:)`` ranks by.
    public enum Ranking: Sendable, Hashable, CaseIterable {
        /// Total kernel time.
        case opTime
        /// Total time of the whole firings.
        case allTime
    }

    /// The node's name.
    public var nodeName: String
    /// The op type, parsed from `timeline_label` (empty when the label names none).
    public var opType: String
    /// How many times the node ran.
    public var count = 0
    /// The sum of the kernel times.
    public var totalOpNanos: Int64 = 0
    /// The shortest kernel time (0 while `count` is 0).
    public var minOpNanos: Int64 = 0
    /// The longest kernel time.
    public var maxOpNanos: Int64 = 0
    /// The sum of the whole firings' times.
    public var totalAllNanos: Int64 = 0
    /// The shortest whole firing.
    public var minAllNanos: Int64 = 0
    /// The longest whole firing.
    public var maxAllNanos: Int64 = 0
    /// The sum of the bytes of every output of every firing (`requested_bytes`).
    public var totalOutputBytes: Int64 = 0

    /// An op that has not run yet.
    public init(nodeName: String, opType: String) {
        self.nodeName = nodeName
        self.opType = opType
    }

    /// The mean kernel time (0 while `count` is 0).
    public var meanOpNanos: Double { count == 0 ? 0 : Double(totalOpNanos) / Double(count) }
    /// The mean time of the whole firings.
    public var meanAllNanos: Double { count == 0 ? 0 : Double(totalAllNanos) / Double(count) }

    /// Counts one more firing.
    public mutating func add(opNanos: Int64, allNanos: Int64, outputBytes: Int64) {
        minOpNanos = count == 0 ? opNanos : min(minOpNanos, opNanos)
        minAllNanos = count == 0 ? allNanos : min(minAllNanos, allNanos)
        maxOpNanos = count == 0 ? opNanos : max(maxOpNanos, opNanos)
        maxAllNanos = count == 0 ? allNanos : max(maxAllNanos, allNanos)
        count += 1
        totalOpNanos &+= opNanos
        totalAllNanos &+= allNanos
        totalOutputBytes &+= outputBytes
    }
}

extension StepStatsAccumulator {
    /// A fixed-width table of the top ops for a terminal, headed by the run and execution counts.
    ///
    ///     print(accumulator.summaryTable(top: 3))
    ///     // 3 runs, 12 op executions; top 3 of 4 ops by op time
    ///     //  #  node  op      count  total op ms  mean op µs  min op µs  max op µs  mean all µs  output bytes
    ///     //  1  y     MatMul      3        0.412       137.3      120.1      160.0        141.9          1200
    ///
    /// - Parameters:
    ///   - top: How many ops to list (at most).
    ///   - ranking: What to rank by (default the kernel time).
    public func summaryTable(top: Int = 20, by ranking: OpSummary.Ranking = .opTime) -> String {
        let all = opSummaries
        let executions = all.reduce(0) { $0 + $1.count }
        let rows = topOps(top, by: ranking)
        var text = "\(runCount) run\(runCount == 1 ? "" : "s"), \(executions) op execution\(executions == 1 ? "" : "s")"
        guard !rows.isEmpty else { return text + "\n" }
        text += "; top \(rows.count) of \(all.count) ops by \(ranking == .opTime ? "op time" : "all time")\n"

        let header = ["#", "node", "op", "count", "total op ms", "mean op µs", "min op µs", "max op µs",
                      "mean all µs", "output bytes"]
        let leftAligned: Set<Int> = [1, 2]
        var table = [header]
        for (rank, row) in rows.enumerated() {
            table.append([
                String(rank + 1), Self.clipped(row.nodeName), Self.clipped(row.opType), String(row.count),
                Self.decimal(row.totalOpNanos, per: 1_000_000, digits: 3),
                Self.decimal(Int64(row.meanOpNanos.rounded()), per: 1000, digits: 1),
                Self.decimal(row.minOpNanos, per: 1000, digits: 1), Self.decimal(row.maxOpNanos, per: 1000, digits: 1),
                Self.decimal(Int64(row.meanAllNanos.rounded()), per: 1000, digits: 1), String(row.totalOutputBytes),
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            let cells = line.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return leftAligned.contains(column) ? cell + pad : pad + cell
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        return text
    }

    /// Names longer than 40 characters keep their end (the most specific part of a scoped name).
    private static func clipped(_ name: String) -> String {
        name.count <= 40 ? name : "…" + name.suffix(39)
    }

    /// `value / per`, rounded half away from zero to `digits` decimals, without Foundation.
    static func decimal(_ value: Int64, per divisor: Int64, digits: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = value.magnitude
        let d = UInt64(divisor)
        var whole = magnitude / d
        var fraction = ((magnitude % d) * scale + d / 2) / d  // the remainder is below d: no overflow for our scales
        if fraction == scale {
            whole += 1
            fraction = 0
        }
        let sign = value < 0 && (whole != 0 || fraction != 0) ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let text = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - text.count) + text
    }
}
