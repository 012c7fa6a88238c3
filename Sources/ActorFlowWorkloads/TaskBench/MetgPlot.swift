import Foundation

/// Efficiency against task granularity as a standalone SVG, the way the Task Bench paper draws it: one panel per
/// pattern, a logarithmic granularity axis (µs per task, falling to the right as tasks get smaller), efficiency
/// from 0 to 100%, one curve per system, policy and worker count, a dashed line at 50% and a marker at each
/// curve's METG(50%).
///
///     let svg = MetgPlot.svg(report.results, title: "METG, 2 CPUs")
///     try svg.write(toFile: "metg.svg", atomically: true, encoding: .utf8)
public enum MetgPlot {
    private static let hues: [String: (Int, Int, Int)] = [
        "ws-numa": (31, 119, 180), "ws": (44, 160, 44), "global": (255, 127, 14), "swift": (214, 39, 40),
        "caller": (148, 103, 189), "tbb": (140, 86, 75), "openmp": (227, 119, 194),
    ]

    /// Renders `results` (an empty list gives one empty panel with a note).
    public static func svg(_ results: [MetgResult], title: String = "Task Bench: efficiency vs task granularity")
        -> String
    {
        let patterns = ordered(results.map(\.pattern))
        let series = ordered(results.map(label))
        let granularities = results.flatMap { $0.points.map(\.taskMicros) }.filter { $0 > 0 }
        let low = Int(log10(granularities.min() ?? 0.1).rounded(.down))
        let high = max(low + 1, Int(log10(granularities.max() ?? 1000).rounded(.up)))

        let left = 70.0, top = 84.0, panelWidth = 640.0, panelHeight = 260.0, gap = 56.0
        let panels = max(patterns.count, 1)
        let legendTop = top + Double(panels) * (panelHeight + gap)
        let legendRows = (series.count + 2) / 3
        let width = left + panelWidth + 30, height = legendTop + Double(legendRows) * 18 + 24
        let f = { (x: Double) in DecimalFormatting.fixed(x, 1) }

        var svg: [String] = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(width))" height="\#(f(height))" "#
                + #"viewBox="0 0 \#(f(width)) \#(f(height))" font-family="sans-serif" font-size="11">"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(f(left))" y="22" font-size="15" font-weight="bold">\#(escaped(title))</text>"#,
            #"<text x="\#(f(left))" y="40" fill="rgb(68,68,68)">efficiency (rate / peak rate) vs task granularity "#
                + #"(wall time × workers / tasks), log scale; dots mark METG(50%)</text>"#,
        ]
        for (index, pattern) in (patterns.isEmpty ? [""] : patterns).enumerated() {
            let panelTop = top + Double(index) * (panelHeight + gap)
            // Larger granularities on the left, as in the paper.
            func x(_ micros: Double) -> Double {
                let fraction = (Double(high) - log10(max(micros, 1e-9))) / Double(high - low)
                return left + panelWidth * min(max(fraction, 0), 1)
            }
            func y(_ efficiency: Double) -> Double { panelTop + panelHeight * (1 - min(max(efficiency, 0), 1.05) / 1.05) }
            let rows = results.filter { $0.pattern == pattern }
            let subtitle = rows.first.map { "\(pattern), width \($0.width), \($0.steps) steps, \($0.kernel)" } ?? "no results"
            svg.append(#"<text x="\#(f(left))" y="\#(f(panelTop - 8))" font-weight="bold">\#(escaped(subtitle))</text>"#)
            for e in stride(from: 0.0, through: 1.0, by: 0.25) {
                let grid = e == 0.5 ? #"stroke="rgb(120,120,120)" stroke-dasharray="5,4""# : #"stroke="rgb(221,221,221)""#
                svg.append(
                    #"<line x1="\#(f(left))" y1="\#(f(y(e)))" x2="\#(f(left + panelWidth))" y2="\#(f(y(e)))" \#(grid)/>"#)
                svg.append(
                    #"<text x="\#(f(left - 6))" y="\#(f(y(e)))" text-anchor="end" dominant-baseline="middle">"#
                        + "\(Int(e * 100))%</text>")
            }
            for decade in low...high {
                let gx = f(x(pow(10, Double(decade))))
                svg.append(
                    #"<line x1="\#(gx)" y1="\#(f(panelTop))" x2="\#(gx)" y2="\#(f(panelTop + panelHeight))" "#
                        + #"stroke="rgb(235,235,235)"/>"#)
                svg.append(
                    #"<text x="\#(gx)" y="\#(f(panelTop + panelHeight + 14))" text-anchor="middle">"#
                        + "\(durationLabel(pow(10, Double(decade))))</text>")
            }
            svg.append(
                #"<rect x="\#(f(left))" y="\#(f(panelTop))" width="\#(f(panelWidth))" height="\#(f(panelHeight))" "#
                    + #"fill="none" stroke="black"/>"#)
            svg.append(
                #"<text x="\#(f(left + panelWidth / 2))" y="\#(f(panelTop + panelHeight + 30))" "#
                    + #"text-anchor="middle" fill="rgb(68,68,68)">task granularity (µs per task)</text>"#)
            for r in rows {
                let colour = seriesColour(for: r)
                let dash = r.workers == 1 ? #" stroke-dasharray="6,3""# : ""
                let path = r.points.filter { $0.taskMicros > 0 }.map { "\(f(x($0.taskMicros))),\(f(y($0.efficiency)))" }
                svg.append(
                    #"<polyline points="\#(path.joined(separator: " "))" fill="none" stroke="\#(colour)" "#
                        + #"stroke-width="2"\#(dash)><title>\#(escaped(label(r)))</title></polyline>"#)
                if let metg = r.metg50Micros {
                    svg.append(
                        #"<circle cx="\#(f(x(metg)))" cy="\#(f(y(0.5)))" r="4" fill="\#(colour)" stroke="black">"#
                            + #"<title>\#(escaped(label(r))): METG(50%) \#(MetgReport.micros(metg)) µs</title></circle>"#)
                }
            }
        }
        for (i, name) in series.enumerated() {
            let lx = left + Double(i % 3) * 220, ly = legendTop + Double(i / 3) * 18
            let sample = results.first { label($0) == name }
            let colour = sample.map { seriesColour(for: $0) } ?? "black"
            let dash = sample?.workers == 1 ? #" stroke-dasharray="6,3""# : ""
            svg.append(
                #"<line x1="\#(f(lx))" y1="\#(f(ly - 3))" x2="\#(f(lx + 22))" y2="\#(f(ly - 3))" "#
                    + #"stroke="\#(colour)" stroke-width="2"\#(dash)/>"#)
            svg.append(#"<text x="\#(f(lx + 28))" y="\#(f(ly + 1))">\#(escaped(name))</text>"#)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// `actorflow ws-numa ×2`, `tbb ×1`.
    private static func label(_ r: MetgResult) -> String {
        r.system == "actorflow" ? "actorflow \(r.policy) ×\(r.workers)" : "\(r.system) \(r.policy) ×\(r.workers)"
    }

    /// The system's (or ActorFlow policy's) hue; 1-worker curves are drawn dashed, a lighter shade.
    private static func seriesColour(for r: MetgResult) -> String {
        let (red, green, blue) = hues[r.system == "actorflow" ? r.policy : r.system] ?? (90, 90, 90)
        let mix = r.workers == 1 ? 0.35 : 0
        func channel(_ c: Int) -> Int { Int(Double(c) + (255 - Double(c)) * mix) }
        return "rgb(\(channel(red)),\(channel(green)),\(channel(blue)))"
    }

    private static func durationLabel(_ micros: Double) -> String {
        switch micros {
        case ..<1: "\(DecimalFormatting.fixed(micros * 1000, 0)) ns"
        case ..<1000: "\(DecimalFormatting.fixed(micros, 0)) µs"
        default: "\(DecimalFormatting.fixed(micros / 1000, 0)) ms"
        }
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func ordered<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}
