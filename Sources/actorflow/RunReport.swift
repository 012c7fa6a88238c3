import ActorFlow
import ActorFlowWorkloads
import Foundation

/// The text `actorflow run` prints: what ran, how long a step and a node took, a digest of the fetched values and
/// the top ops by time.
///
///     workload   chain, size 10000: 10000 nodes
///     policy     ws-numa: 2 worker threads, 1 NUMA node
///     trace      none (per-op times need --trace software)
///     steps      200; the first, which also builds the plan, took 9.874 ms
///     per step   median 2.310 ms (p10 2.250 ms, p90 2.480 ms, min 2.200 ms) over steps 2–200
///     per node   231.0 ns (the median step over 10000 nodes)
struct RunReport {
    let settings: RunSettings
    let built: BuiltWorkload
    let outcome: RunOutcome

    var text: String {
        var lines: [String] = []
        func line(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 11, withPad: " ", startingAt: 0) + value)
        }
        line("workload", "\(settings.workload), size \(settings.size): \(built.nodeCount) nodes")
        line("policy", policyDescription)
        line("trace", traceDescription)

        let steps = outcome.stepNanos
        let measured = steps.count > 1 ? Array(steps.dropFirst()) : steps
        let median = Self.percentile(measured, 50)
        if steps.count > 1 {
            line("steps", "\(steps.count); the first, which also builds the plan, took \(Self.duration(steps[0]))")
            line(
                "per step",
                "median \(Self.duration(median)) (p10 \(Self.duration(Self.percentile(measured, 10))), "
                    + "p90 \(Self.duration(Self.percentile(measured, 90))), min \(Self.duration(measured.min() ?? 0))) "
                    + "over steps 2–\(steps.count)")
        } else {
            line("steps", "1 (it also builds the plan)")
            line("per step", Self.duration(median))
        }
        let perNode = Double(median) / Double(max(built.nodeCount, 1))
        let perNodeText = perNode < 10_000 ? String(format: "%.1f ns", perNode) : Self.duration(UInt64(perNode))
        line("per node", perNodeText + " (the \(steps.count > 1 ? "median " : "")step over \(built.nodeCount) nodes)")

        if !built.fetches.isEmpty {
            line("fetched", "\(outcome.fetched.count) tensor\(outcome.fetched.count == 1 ? "" : "s") of the last step")
            lines += Self.fetchedLines(zip(built.fetches, outcome.fetched).map { ($0.name, $1) })
        }

        lines.append("")
        if let accumulator = outcome.accumulator {
            lines.append("top ops by time, over \(steps.count) step\(steps.count == 1 ? "" : "s"):")
            var table = accumulator.summaryTable(top: 10)
            if table.hasSuffix("\n") { table.removeLast() }
            lines.append(table)
        } else {
            lines.append("per-op times are not recorded at --trace none; --trace software shows the top ops by time")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var policyDescription: String {
        let nodes = "\(outcome.numaNodes) NUMA node\(outcome.numaNodes == 1 ? "" : "s")"
        switch outcome.threads {
        case nil: return "\(settings.policy.name): Swift's global concurrent pool"
        case 1? where settings.policy == .callerThread: return "\(settings.policy.name): the calling thread"
        case let threads?: return "\(settings.policy.name): \(threads) worker thread\(threads == 1 ? "" : "s"), \(nodes)"
        }
    }

    private var traceDescription: String {
        let name = CommandLineChoices.traceLevelName(settings.traceLevel)
        guard settings.isTraced else { return "\(name) (per-op times need --trace software)" }
        guard Tracepoints.isCompiledIn else {
            return "\(name): step statistics; LTTng events compiled out (built with ACTORFLOW_NO_TRACEPOINTS)"
        }
        let session = outcome.tracepointsRecorded ? "an LTTng session recorded them" : "no LTTng session recorded them"
        return "\(name): step statistics and actorflow events; \(session)"
    }

    /// The value at `percent` of the sorted samples (nearest rank); 0 for no samples.
    static func percentile(_ samples: [UInt64], _ percent: Int) -> UInt64 {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// `1.234 ms`, `56.789 µs`, `2.500 s`: three decimals in the largest unit that keeps the value at least 1.
    static func duration(_ nanoseconds: UInt64) -> String {
        let value = Double(nanoseconds)
        if value >= 1e9 { return String(format: "%.3f s", value / 1e9) }
        if value >= 1e6 { return String(format: "%.3f ms", value / 1e6) }
        if value >= 1e3 { return String(format: "%.3f µs", value / 1e3) }
        return "\(nanoseconds) ns"
    }

    /// How many fetched tensors `actorflow run` lists one by one; the rest are summarised in one line.
    static let listedFetches = 6

    /// One line per fetched tensor, up to ``listedFetches``; past that the first few and one line for the rest
    /// (tiled-matmul fetches 64 tiles):
    ///
    ///       C_0_0:0  float [64, 64]  sum 1.2e+05  mean 29.4  min 1  max 61  first 29 30 31 32 …
    ///       … 59 more tensors (of 64): float [64, 64] ×59, 241664 elements, sum 7.5e+06  min 0  max 64
    static func fetchedLines(_ fetched: [(name: String, value: NDArray)]) -> [String] {
        var lines = fetched.prefix(listedFetches).map { "  \($0.name)  \($0.value.dtype) \($0.value.dimensions)  \(digest($0.value))" }
        guard fetched.count > listedFetches else { return lines }
        let shown = listedFetches - 1
        lines.removeLast()
        let rest = fetched.dropFirst(shown).map(\.value)
        let kinds = Dictionary(grouping: rest) { "\($0.dtype) \($0.dimensions)" }
            .sorted { $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.key < $1.key) }
            .map { "\($0.key) ×\($0.value.count)" }
        let numbers = rest.flatMap(numericScalars)
        func g(_ x: Double) -> String { String(format: "%.6g", x) }
        var text = "  … \(rest.count) more tensors (of \(fetched.count)): \(kinds.prefix(3).joined(separator: ", "))"
            + (kinds.count > 3 ? ", …" : "") + ", \(rest.reduce(0) { $0 + $1.elementCount }) elements"
        if let low = numbers.min(), let high = numbers.max() {
            text += ", sum \(g(numbers.reduce(0, +)))  min \(g(low))  max \(g(high))"
        }
        return lines + [text]
    }

    /// The elements of a numeric value as `Double`s; none for booleans and strings.
    private static func numericScalars(_ value: NDArray) -> [Double] {
        switch value.storage {
        case .float32(let v): v.map(Double.init)
        case .float64(let v): v
        case .int32(let v): v.map(Double.init)
        case .int64(let v): v.map(Double.init)
        case .bool, .string: []
        }
    }

    /// Sum, mean, extremes and the first four elements of a numeric value; counts for booleans and strings.
    static func digest(_ value: NDArray) -> String {
        let numbers: [Double]
        switch value.storage {
        case .float32(let v): numbers = v.map(Double.init)
        case .float64(let v): numbers = v
        case .int32(let v): numbers = v.map(Double.init)
        case .int64(let v): numbers = v.map(Double.init)
        case .bool(let v): return "\(v.filter { $0 }.count) of \(v.count) true"
        case .string(let v): return "\(v.count) strings"
        }
        guard let first = numbers.first else { return "empty" }
        let sum = numbers.reduce(0, +)
        let (low, high) = numbers.dropFirst().reduce((first, first)) { (min($0.0, $1), max($0.1, $1)) }
        func g(_ x: Double) -> String { String(format: "%.6g", x) }
        let head = numbers.prefix(4).map(g).joined(separator: " ") + (numbers.count > 4 ? " …" : "")
        return "sum \(g(sum))  mean \(g(sum / Double(numbers.count)))  min \(g(low))  max \(g(high))  first \(head)"
    }
}
