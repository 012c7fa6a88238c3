import Foundation

/// Everything one `actorflow bench` run measured: the machine, when, and one ``BenchmarkResult`` per
/// configuration. Its JSON and CSV forms are the output contract (DESIGN.md).
///
///     let report = BenchmarkReport(machine: .current(cpus: 2, numaNodes: 1), results: results)
///     try report.jsonData().write(to: URL(fileURLWithPath: "bench.json"))
///     print(report.csv())    // header line, then one line per result
public struct BenchmarkReport: Codable, Sendable, Hashable {
    /// The machine the numbers come from.
    public struct Machine: Codable, Sendable, Hashable {
        /// CPUs the process may use (the default pool's size).
        public var cpus: Int
        /// NUMA nodes (1 when the kernel reports no NUMA).
        public var numaNodes: Int
        /// The Swift compiler that built the benchmark (``CompilerVersion/description``).
        public var swift: String

        public init(cpus: Int, numaNodes: Int, swift: String = CompilerVersion.description) {
            self.cpus = cpus
            self.numaNodes = numaNodes
            self.swift = swift
        }
    }

    /// The machine.
    public var machine: Machine
    /// When the run started, ISO 8601 in UTC (`2025-06-01T12:00:00Z`).
    public var date: String
    /// One per configuration, in the order measured.
    public var results: [BenchmarkResult]

    /// The top-level keys, in contract order.
    public static let keys = ["machine", "date", "results"]
    /// The machine object's keys, in contract order.
    public static let machineKeys = ["cpus", "numaNodes", "swift"]

    public init(machine: Machine, date: Date = Date(), results: [BenchmarkResult]) {
        self.machine = machine
        self.date = date.formatted(.iso8601)
        self.results = results
    }

    /// The report as pretty-printed JSON with keys in contract order (written by hand: `JSONEncoder` does not
    /// keep key order on Linux). `JSONDecoder` reads it back into an equal report.
    public func jsonData() -> Data {
        var lines = ["{"]
        lines.append("  \"machine\": {")
        lines.append("    \"cpus\": \(machine.cpus),")
        lines.append("    \"numaNodes\": \(machine.numaNodes),")
        lines.append("    \"swift\": \(Self.jsonString(machine.swift))")
        lines.append("  },")
        lines.append("  \"date\": \(Self.jsonString(date)),")
        lines.append(results.isEmpty ? "  \"results\": []" : "  \"results\": [")
        for (i, result) in results.enumerated() {
            let fields = zip(BenchmarkResult.columns, result.jsonValues).map { "      \"\($0)\": \($1)" }
            lines.append("    {")
            lines.append(fields.joined(separator: ",\n"))
            lines.append(i == results.count - 1 ? "    }" : "    },")
        }
        if !results.isEmpty { lines.append("  ]") }
        lines.append("}")
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON number (`null` when not finite).
    static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? String(value) : "null"
    }

    /// The results as CSV: a header of ``BenchmarkResult/columns``, then one line per result
    /// (RFC 4180 quoting where a cell needs it; an empty cell for a missing speedup).
    public func csv() -> String {
        var lines = [BenchmarkResult.columns.joined(separator: ",")]
        for result in results {
            lines.append(result.csvCells.map(Self.csvEscaped).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csvEscaped(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `results` with ``BenchmarkResult/speedupOver1Worker`` filled in: for each result, the median step
    /// time of the result with the same workload, kernel, policy and trace level at 1 worker divided by its own
    /// (1 for the 1-worker results themselves; `nil` when no 1-worker result exists), rounded to three decimals.
    ///
    ///     // ws at 1 worker: 40 ns/node, at 2 workers: 25 ns/node  →  speedups 1.0 and 1.6
    public static func withSpeedups(_ results: [BenchmarkResult]) -> [BenchmarkResult] {
        struct Key: Hashable {
            let workload: String, kernel: String, policy: String, traceLevel: String, nodes: Int
        }
        func key(_ r: BenchmarkResult) -> Key {
            Key(workload: r.workload, kernel: r.kernel, policy: r.policy, traceLevel: r.traceLevel, nodes: r.nodes)
        }
        var oneWorker: [Key: Double] = [:]
        for r in results where r.workers == 1 { oneWorker[key(r)] = r.nsPerNodeMedian }
        return results.map { r in
            var r = r
            r.speedupOver1Worker = oneWorker[key(r)].map { base in
                let ratio = r.nsPerNodeMedian > 0 ? base / r.nsPerNodeMedian : 1
                return (ratio * 1000).rounded() / 1000
            }
            return r
        }
    }
}
