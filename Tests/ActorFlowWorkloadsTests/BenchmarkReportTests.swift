import ActorFlowWorkloads
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing

/// The JSON and CSV forms against DESIGN.md's "Benchmark and CLI output contract".
@Suite("Benchmark report (output contract)")
struct BenchmarkReportTests {
    /// The result fields the contract names, in its order.
    static let contractColumns = [
        "workload", "kernel", "nodes", "policy", "workers", "traceLevel", "repetitions", "nsPerNodeMedian",
        "nsPerNodeP10", "nsPerNodeP90", "stepsPerSecond", "speedupOver1Worker", "peakRSSBytes", "residentBytesPerNode",
        "localSteals", "remoteSteals", "parks",
    ]

    static func result(
        _ workload: String = "chain", policy: String = "ws", workers: Int = 1, median: Double = 40,
        trace: String = "none"
    ) -> BenchmarkResult {
        BenchmarkResult(
            workload: workload, kernel: "empty", nodes: 1000, policy: policy, workers: workers, traceLevel: trace, repetitions: 5,
            nsPerNodeMedian: median, nsPerNodeP10: median - 1, nsPerNodeP90: median + 2,
            stepsPerSecond: 1e9 / (median * 1000), speedupOver1Worker: nil, peakRSSBytes: 1 << 20, residentBytesPerNode: 180.5, localSteals: 3,
            remoteSteals: 0, parks: 7)
    }

    static let report = BenchmarkReport(
        machine: .init(cpus: 2, numaNodes: 1),
        results: BenchmarkReport.withSpeedups([
            result(policy: "sequential", median: 5), result(median: 40), result(workers: 2, median: 25),
            result(policy: "global", workers: 2, median: 30),
        ]))

    @Test("the columns are the contract's, in its order")
    func columns() {
        #expect(BenchmarkResult.columns == Self.contractColumns)
    }

    @Test("JSON: machine, date and flat results with every contract key, in order")
    func json() throws {
        let data = Self.report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == Set(BenchmarkReport.keys))
        let machine = try #require(object["machine"] as? [String: Any])
        #expect(Set(machine.keys) == ["cpus", "numaNodes", "swift"])
        #expect(machine["cpus"] as? Int == 2)
        #expect(machine["numaNodes"] as? Int == 1)
        #expect((machine["swift"] as? String)?.isEmpty == false)
        let date = try #require(object["date"] as? String)
        #expect(date.count == 20 && date.hasSuffix("Z") && date.contains("T"), "ISO 8601 in UTC: \(date)")
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 4)
        for r in results {
            #expect(Set(r.keys) == Set(Self.contractColumns))
        }
        #expect(results[0]["policy"] as? String == "sequential")
        #expect(results[3]["speedupOver1Worker"] is NSNull, "no 1-worker global result: an explicit null")

        // Keys appear in contract order inside each result object.
        let text = String(decoding: data, as: UTF8.self)
        let firstResult = try #require(text.range(of: "\"results\""))
        var cursor = firstResult.upperBound
        for key in Self.contractColumns {
            let found = try #require(text.range(of: "\"\(key)\"", range: cursor..<text.endIndex), "\(key)")
            cursor = found.upperBound
        }
        #expect(try JSONDecoder().decode(BenchmarkReport.self, from: data) == Self.report)
    }

    @Test("JSON strings are escaped and non-finite numbers become null")
    func jsonEscaping() throws {
        var report = BenchmarkReport(
            machine: .init(cpus: 1, numaNodes: 1, swift: "6.3 \"dev\"\n\\\u{1}"), results: [Self.result()])
        #expect(try JSONDecoder().decode(BenchmarkReport.self, from: report.jsonData()) == report)
        report.results[0].nsPerNodeP90 = .infinity
        let object = try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]
        let results = try #require(object?["results"] as? [[String: Any]])
        #expect(results[0]["nsPerNodeP90"] is NSNull)
        let empty = BenchmarkReport(machine: .init(cpus: 1, numaNodes: 1), results: [])
        #expect(try JSONDecoder().decode(BenchmarkReport.self, from: empty.jsonData()).results.isEmpty)
    }

    @Test("CSV: the same columns, one line per result, an empty cell for a missing speedup")
    func csv() throws {
        let lines = Self.report.csv().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6, "header, 4 results, final newline")
        #expect(lines[0] == Self.contractColumns.joined(separator: ","))
        let cells = lines[1...4].map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for row in cells { #expect(row.count == Self.contractColumns.count) }
        let speedup = Self.contractColumns.firstIndex(of: "speedupOver1Worker")!
        #expect(cells[2][speedup] == "1.6")
        #expect(cells[3][speedup] == "")
        #expect(cells[1][0] == "chain" && cells[1][1] == "empty" && cells[1][3] == "ws" && cells[1][4] == "1")
        #expect(lines[5] == "")
    }

    @Test("speedups divide the 1-worker median of the same workload, policy and trace level")
    func speedups() {
        let results = BenchmarkReport.withSpeedups([
            Self.result(median: 40), Self.result(workers: 2, median: 25), Self.result(workers: 4, median: 80),
            Self.result(workers: 2, median: 50, trace: "full"),
            Self.result("tree", workers: 2, median: 10),
        ])
        #expect(results.map(\.speedupOver1Worker) == [1, 1.6, 0.5, nil, nil])
    }

    @Test("the table has a header, a rule and one row per result, with the ratio to the floor")
    func table() {
        let lines = BenchmarkTable.render(Self.report.results).split(separator: "\n")
        #expect(lines.count == 2 + 4)
        #expect(lines[0].contains("ns/node median [p10–p90]"))
        #expect(lines[3].contains("40.0 [39.0–42.0]"))
        #expect(lines[3].hasSuffix("|    1.00 |    8.00 |"))
        #expect(lines[5].contains("global") && lines[5].contains("–"))
        #expect(Set(lines.map(\.count)).count == 1, "columns are aligned")
    }

    @Test("the plot is well-formed SVG with one bar per result and a legend entry per series")
    func plot() throws {
        let svg = BenchmarkPlot.svg(Self.report.results, title: "a <test> & more")
        let counter = SVGCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { String(describing: $0) } ?? "")")
        #expect(counter.elements["svg"] == 1)
        // 1 background + 4 bars + 4 legend swatches (sequential, ws ×1, ws ×2, global ×2).
        #expect(counter.elements["rect"] == 1 + 4 + 4)
        #expect(counter.texts.contains("a <test> & more"))
        #expect(counter.texts.contains("global ×2"))
        #expect(!BenchmarkPlot.svg([]).isEmpty)
    }
}

/// Counts the elements and collects the text of an XML document.
private final class SVGCounter: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    private var current = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        elements[name, default: 0] += 1
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(current) }
        current = ""
    }
}
