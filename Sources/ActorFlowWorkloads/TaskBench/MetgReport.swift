import Foundation

/// One efficiency curve of `actorflow metg`: a pattern, a system (ActorFlow or a peer) at a policy and worker
/// count, its points and its METG. The row shape is the CLI output contract (DESIGN.md, `actorflow metg`).
///
///     let row = MetgResult(
///         pattern: "stencil_1d", width: 2, steps: 1000, kernel: "compute_bound", system: "actorflow",
///         policy: "ws-numa", workers: 2, measurements: measurements, thresholds: [0.5])
///     row.metg50Micros       // the interpolated granularity at 50% efficiency, µs
public struct MetgResult: Sendable, Hashable {
    /// A METG at one efficiency threshold.
    public struct Threshold: Sendable, Hashable {
        /// The efficiency, a fraction (0.5).
        public var efficiency: Double
        /// The granularity where the curve crosses it, µs (`nil`: not even the largest granularity reached it).
        public var taskMicros: Double?
        /// `false` when every point reached the threshold: ``taskMicros`` is then only an upper bound.
        public var crossed: Bool
    }

    public var pattern: String
    public var width: Int
    public var steps: Int
    public var kernel: String
    /// `actorflow`, `tbb` or `openmp`.
    public var system: String
    /// ActorFlow's policy name (`ws-numa`, …); the peer's scheduler for the others (`flow_graph`, `tasks`).
    public var policy: String
    public var workers: Int
    /// METG(50%), µs.
    public var metg50Micros: Double?
    /// The peak rate, in the kernel's unit per second (FLOP/s for `compute_bound`; bytes/s for `memory_bound`).
    public var peakFlopsPerSecond: Double
    /// The best tasks per second of the sweep (at its smallest granularity: the figure for `empty` kernels).
    public var tasksPerSecond: Double
    /// The curve, largest granularity first.
    public var points: [MetgPoint]
    /// The METG at every threshold asked for (50% included).
    public var thresholds: [Threshold]

    public init(
        pattern: String, width: Int, steps: Int, kernel: String, system: String, policy: String, workers: Int,
        measurements: [MetgMeasurement], thresholds: [Double]
    ) {
        self.pattern = pattern
        self.width = width
        self.steps = steps
        self.kernel = kernel
        self.system = system
        self.policy = policy
        self.workers = workers
        let curve = Metg.curve(measurements, workers: workers)
        peakFlopsPerSecond = curve.peak
        points = curve.points
        tasksPerSecond = measurements.map { $0.elapsedNanos > 0 ? Double($0.tasks) / $0.elapsedNanos * 1e9 : 0 }.max() ?? 0
        let hasCurve = points.count > 1
        self.thresholds = Set(thresholds + [0.5]).sorted().map { e in
            Threshold(
                efficiency: e, taskMicros: hasCurve ? Metg.granularity(atEfficiency: e, in: curve.points) : nil,
                crossed: Metg.crosses(e, in: curve.points))
        }
        metg50Micros = self.thresholds.first { $0.efficiency == 0.5 }?.taskMicros
    }

    /// The flat columns of the CSV (points are left out; they are in the JSON).
    public static let columns = [
        "pattern", "width", "steps", "kernel", "system", "policy", "workers", "metg50Micros", "peakFlopsPerSecond",
        "tasksPerSecond",
    ]

    var csvCells: [String] {
        [
            pattern, String(width), String(steps), kernel, system, policy, String(workers),
            metg50Micros.map { String($0) } ?? "", String(peakFlopsPerSecond), String(tasksPerSecond),
        ]
    }
}

/// Everything one `actorflow metg` run measured, with its JSON and CSV forms.
///
///     let report = MetgReport(machine: .init(cpus: 2, numaNodes: 1), results: rows)
///     try report.jsonData().write(to: URL(fileURLWithPath: "metg.json"))
public struct MetgReport: Sendable, Hashable {
    public var machine: BenchmarkReport.Machine
    /// When the run started, ISO 8601 in UTC.
    public var date: String
    public var results: [MetgResult]

    public init(machine: BenchmarkReport.Machine, date: Date = Date(), results: [MetgResult]) {
        self.machine = machine
        self.date = date.formatted(.iso8601)
        self.results = results
    }

    /// Pretty-printed JSON, keys in contract order: `machine`, `date`, `results` (flat rows with `points`).
    public func jsonData() -> Data {
        let s = BenchmarkReport.jsonString
        let n = BenchmarkReport.jsonNumber
        var lines = ["{"]
        lines.append("  \"machine\": {\"cpus\": \(machine.cpus), \"numaNodes\": \(machine.numaNodes), \"swift\": \(s(machine.swift))},")
        lines.append("  \"date\": \(s(date)),")
        lines.append(results.isEmpty ? "  \"results\": []" : "  \"results\": [")
        for (i, r) in results.enumerated() {
            let points = r.points.map {
                "{\"iterations\": \($0.iterations), \"taskMicros\": \(n($0.taskMicros)), \"efficiency\": \(n($0.efficiency))}"
            }
            let thresholds = r.thresholds.map {
                "{\"efficiency\": \(n($0.efficiency)), \"taskMicros\": \($0.taskMicros.map(n) ?? "null"), "
                    + "\"crossed\": \($0.crossed)}"
            }
            let fields = [
                "\"pattern\": \(s(r.pattern))", "\"width\": \(r.width)", "\"steps\": \(r.steps)",
                "\"kernel\": \(s(r.kernel))", "\"system\": \(s(r.system))", "\"policy\": \(s(r.policy))",
                "\"workers\": \(r.workers)", "\"metg50Micros\": \(r.metg50Micros.map(n) ?? "null")",
                "\"peakFlopsPerSecond\": \(n(r.peakFlopsPerSecond))", "\"tasksPerSecond\": \(n(r.tasksPerSecond))",
                "\"thresholds\": [\(thresholds.joined(separator: ", "))]",
                "\"points\": [\n        " + points.joined(separator: ",\n        ") + "\n      ]",
            ]
            lines.append("    {")
            lines.append(fields.map { "      " + $0 }.joined(separator: ",\n"))
            lines.append(i == results.count - 1 ? "    }" : "    },")
        }
        if !results.isEmpty { lines.append("  ]") }
        lines.append("}")
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// CSV: a header of ``MetgResult/columns``, one line per curve.
    public func csv() -> String {
        ([MetgResult.columns.joined(separator: ",")] + results.map { $0.csvCells.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    /// A Markdown table, one line per curve: METG at each threshold, peak rate and best tasks per second.
    public func table() -> String {
        let thresholdNames = Set(results.flatMap { $0.thresholds.map(\.efficiency) }).sorted()
        let headers = ["pattern", "kernel", "system", "policy", "workers"]
            + thresholdNames.map { "METG(\(DecimalFormatting.fixed($0 * 100, 0))%) µs" } + ["peak /s", "tasks/s"]
        let rows = results.map { r -> [String] in
            let metgs = thresholdNames.map { e -> String in
                guard let t = r.thresholds.first(where: { $0.efficiency == e }), let g = t.taskMicros else { return "–" }
                return (t.crossed ? "" : "≤ ") + Self.micros(g)
            }
            return [r.pattern, r.kernel, r.system, r.policy, String(r.workers)] + metgs
                + [Self.scientific(r.peakFlopsPerSecond), Self.scientific(r.tasksPerSecond)]
        }
        var widths = headers.map(\.count)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { i, c in
                let fill = String(repeating: " ", count: widths[i] - c.count)
                return i >= 4 ? fill + c : c + fill
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { i, w in String(repeating: "-", count: w + 1) + (i >= 4 ? ":" : "-") }
            .joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// A granularity in µs with about three significant digits: `0.77`, `12.3`, `3250`.
    public static func micros(_ x: Double) -> String {
        x >= 100 ? DecimalFormatting.fixed(x, 0) : x >= 10 ? DecimalFormatting.fixed(x, 1) : DecimalFormatting.fixed(x, 2)
    }

    static func scientific(_ x: Double) -> String {
        guard x > 0, x.isFinite else { return "0" }
        let e = Int(log10(x).rounded(.down))
        return "\(DecimalFormatting.fixed(x / pow(10, Double(e)), 2))e\(e)"
    }
}
