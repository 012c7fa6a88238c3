/// The human-readable form of benchmark results: a Markdown pipe table with aligned columns, readable in
/// a terminal and pasteable into a README.
///
///     print(BenchmarkTable.render(report.results))
///     // | workload | kernel | nodes  | policy     | workers | trace | ns/node median [p10–p90] | speedup | × floor |
///     // |----------|--------|--------|------------|---------|-------|--------------------------|---------|---------|
///     // | chain    | empty  | 100000 | sequential |       1 | none  | 4.1 [4.0–4.3]            |    1.00 |    1.00 |
///     // | chain    | empty  | 100000 | ws-numa    |       1 | none  | 31.7 [30.9–33.4]         |    1.00 |    7.73 |
///
/// `speedup` is ``BenchmarkResult/speedupOver1Worker`` (`–` when unknown); `× floor` divides the median by
/// the `sequential` row of the same workload, kernel and size (`–` without one).
public enum BenchmarkTable {
    /// The column titles.
    public static let headers = [
        "workload", "kernel", "nodes", "policy", "workers", "trace", "ns/node median [p10–p90]", "speedup", "× floor",
    ]
    /// Which columns are right-aligned (numbers).
    private static let rightAligned: Set<Int> = [2, 4, 7, 8]

    /// Renders `results`, one row each, in order.
    public static func render(_ results: [BenchmarkResult]) -> String {
        let floors = floorMedians(results)
        let rows = results.map { r -> [String] in
            let ns = DecimalFormatting.nanoseconds
            let floor = floors[FloorKey(workload: r.workload, kernel: r.kernel, nodes: r.nodes)]
            return [
                r.workload, r.kernel, String(r.nodes), r.policy, String(r.workers), r.traceLevel,
                "\(ns(r.nsPerNodeMedian)) [\(ns(r.nsPerNodeP10))–\(ns(r.nsPerNodeP90))]",
                r.speedupOver1Worker.map { DecimalFormatting.fixed($0, 2) } ?? "–",
                floor.map { $0 > 0 ? DecimalFormatting.fixed(r.nsPerNodeMedian / $0, 2) : "–" } ?? "–",
            ]
        }
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                let fill = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? fill + cell : cell + fill
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { i, w in
            String(repeating: "-", count: w + 1) + (rightAligned.contains(i) ? ":" : "-")
        }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    private struct FloorKey: Hashable {
        let workload: String
        let kernel: String
        let nodes: Int
    }

    private static func floorMedians(_ results: [BenchmarkResult]) -> [FloorKey: Double] {
        var floors: [FloorKey: Double] = [:]
        for r in results where r.policy == BenchmarkResult.sequentialPolicy {
            floors[FloorKey(workload: r.workload, kernel: r.kernel, nodes: r.nodes)] = r.nsPerNodeMedian
        }
        return floors
    }
}
