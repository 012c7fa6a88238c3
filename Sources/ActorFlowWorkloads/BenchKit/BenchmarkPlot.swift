import Foundation

/// A grouped bar chart of benchmark results as a standalone SVG document (hand-written, no dependencies).
///
/// One group of bars per workload (and size), one bar per series — a policy at a worker count and trace
/// level — with the height on a logarithmic axis of nanoseconds per node (the median) and a whisker from
/// the 10th to the 90th percentile. Each policy has its own hue; further worker counts and trace levels of
/// the same policy are lighter shades of it. The legend names every series.
///
///     let svg = BenchmarkPlot.svg(report.results, title: "ActorFlow bench, 2 CPUs")
///     try svg.write(toFile: "bench.svg", atomically: true, encoding: .utf8)
public enum BenchmarkPlot {
    /// A series: what one bar colour stands for.
    private struct Series: Hashable {
        let policy: String
        let workers: Int
        let traceLevel: String

        var label: String {
            let base = policy == BenchmarkResult.sequentialPolicy ? policy : "\(policy) ×\(workers)"
            return traceLevel == "none" ? base : "\(base) (\(traceLevel))"
        }
    }

    /// A group: one workload at one size.
    private struct Group: Hashable {
        let workload: String
        let nodes: Int
    }

    private static let hues: [String: (r: Int, g: Int, b: Int)] = [
        "sequential": (110, 110, 110), "ws-numa": (31, 119, 180), "ws": (44, 160, 44), "global": (255, 127, 14),
        "swift": (214, 39, 40), "caller": (148, 103, 189),
    ]

    /// Renders `results` (an empty list gives a chart with a note instead of bars).
    public static func svg(_ results: [BenchmarkResult], title: String = "ActorFlow bench") -> String {
        let series = ordered(results.map { Series(policy: $0.policy, workers: $0.workers, traceLevel: $0.traceLevel) })
        let groups = ordered(results.map { Group(workload: $0.groupLabel, nodes: $0.nodes) })
        let values = results.flatMap { [$0.nsPerNodeMedian, $0.nsPerNodeP10, $0.nsPerNodeP90] }.filter { $0 > 0 }
        // One decade of room under the smallest bar when it would otherwise be a sliver.
        let smallest = log10(values.min() ?? 1)
        let lowDecade = Int(smallest.rounded(.down)) - (smallest - smallest.rounded(.down) < 0.4 ? 1 : 0)
        let highDecade = max(lowDecade + 1, Int((log10(values.max() ?? 10)).rounded(.up)))

        let bar = 12.0, groupGap = 18.0, left = 78.0, top = 56.0, plotHeight = 360.0
        let minimumGroupWidth = Double(max(series.count, 1)) * bar + groupGap
        let titleWidth = Double(title.count) * 9 - left + 24
        let plotWidth = max(Double(max(groups.count, 1)) * minimumGroupWidth, titleWidth, 480)
        let groupWidth = plotWidth / Double(max(groups.count, 1))
        let legendColumns = max(1, Int(plotWidth / 150))
        let legendRows = (series.count + legendColumns - 1) / legendColumns
        let width = left + plotWidth + 24
        let height = top + plotHeight + 70 + Double(legendRows) * 18 + 16

        func y(_ value: Double) -> Double {
            let fraction = (log10(max(value, 1e-9)) - Double(lowDecade)) / Double(highDecade - lowDecade)
            return top + plotHeight * (1 - min(max(fraction, 0), 1))
        }
        let f = { (x: Double) in DecimalFormatting.fixed(x, 1) }

        var svg: [String] = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(width))" height="\#(f(height))" "#
                + #"viewBox="0 0 \#(f(width)) \#(f(height))" font-family="sans-serif" font-size="11">"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(f(left))" y="22" font-size="15" font-weight="bold">\#(escaped(title))</text>"#,
            #"<text x="\#(f(left))" y="40" fill="rgb(68,68,68)">ns per node, median (bar) and p10–p90 (whisker), "#
                + #"log scale; lower is better</text>"#,
        ]
        // Decade grid lines and labels.
        for decade in lowDecade...highDecade {
            let value = pow(10, Double(decade))
            let gy = f(y(value))
            svg.append(
                #"<line x1="\#(f(left))" y1="\#(gy)" x2="\#(f(left + plotWidth))" y2="\#(gy)" stroke="rgb(221,221,221)"/>"#)
            svg.append(
                #"<text x="\#(f(left - 6))" y="\#(gy)" text-anchor="end" dominant-baseline="middle">"#
                    + "\(durationLabel(value))</text>")
        }
        if results.isEmpty {
            svg.append(#"<text x="\#(f(left + 10))" y="\#(f(top + 20))">no results</text>"#)
        }
        let seriesIndex = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($1, $0) })
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        let baseline = top + plotHeight
        for r in results {
            let s = Series(policy: r.policy, workers: r.workers, traceLevel: r.traceLevel)
            let g = groupIndex[Group(workload: r.groupLabel, nodes: r.nodes)]!
            let x = left + Double(g) * groupWidth + (groupWidth - minimumGroupWidth + groupGap) / 2
                + Double(seriesIndex[s]!) * bar
            let barTop = y(r.nsPerNodeMedian)
            let tip = "\(s.label), \(r.groupLabel): \(DecimalFormatting.nanoseconds(r.nsPerNodeMedian)) ns/node"
            svg.append(
                #"<rect x="\#(f(x))" y="\#(f(barTop))" width="\#(f(bar - 2))" height="\#(f(baseline - barTop))" "#
                    + #"fill="\#(colour(s, among: series))"><title>\#(escaped(tip))</title></rect>"#)
            let mid = f(x + (bar - 2) / 2)
            svg.append(
                #"<line x1="\#(mid)" y1="\#(f(y(r.nsPerNodeP90)))" x2="\#(mid)" y2="\#(f(y(r.nsPerNodeP10)))" "#
                    + #"stroke="black" stroke-width="1"/>"#)
        }
        // Axes and group labels.
        svg.append(
            #"<line x1="\#(f(left))" y1="\#(f(top))" x2="\#(f(left))" y2="\#(f(baseline))" stroke="black"/>"#)
        svg.append(
            #"<line x1="\#(f(left))" y1="\#(f(baseline))" x2="\#(f(left + plotWidth))" y2="\#(f(baseline))" "#
                + #"stroke="black"/>"#)
        for (i, group) in groups.enumerated() {
            let cx = f(left + Double(i) * groupWidth + groupWidth / 2)
            svg.append(
                #"<text x="\#(cx)" y="\#(f(baseline + 16))" text-anchor="middle">\#(escaped(group.workload))</text>"#)
            svg.append(
                #"<text x="\#(cx)" y="\#(f(baseline + 30))" text-anchor="middle" fill="rgb(102,102,102)">"#
                    + "\(group.nodes) nodes</text>")
        }
        // Legend.
        let legendTop = baseline + 52
        for (i, s) in series.enumerated() {
            let lx = left + Double(i % legendColumns) * 150
            let ly = legendTop + Double(i / legendColumns) * 18
            svg.append(
                #"<rect x="\#(f(lx))" y="\#(f(ly - 9))" width="12" height="12" fill="\#(colour(s, among: series))"/>"#)
            svg.append(#"<text x="\#(f(lx + 17))" y="\#(f(ly + 1))">\#(escaped(s.label))</text>"#)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// The policy's hue, lightened for its second, third, … series.
    private static func colour(_ s: Series, among series: [Series]) -> String {
        let base = hues[s.policy] ?? (90, 90, 90)
        let shade = series.filter { $0.policy == s.policy }.firstIndex(of: s) ?? 0
        let mix = min(Double(shade) * 0.4, 0.8)
        func channel(_ c: Int) -> Int { Int(Double(c) + (255 - Double(c)) * mix) }
        return "rgb(\(channel(base.r)),\(channel(base.g)),\(channel(base.b)))"
    }

    private static func durationLabel(_ nanoseconds: Double) -> String {
        switch nanoseconds {
        case ..<1000: "\(DecimalFormatting.fixed(nanoseconds, nanoseconds < 1 ? 1 : 0)) ns"
        case ..<1_000_000: "\(DecimalFormatting.fixed(nanoseconds / 1000, 0)) µs"
        case ..<1_000_000_000: "\(DecimalFormatting.fixed(nanoseconds / 1_000_000, 0)) ms"
        default: "\(DecimalFormatting.fixed(nanoseconds / 1_000_000_000, 0)) s"
        }
    }

    private static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func ordered<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}
