import ActorFlow
import ActorFlowWorkloads
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The METG arithmetic on synthetic curves, the plan's argument errors, and the report's shape.
@Suite("METG")
struct MetgTests {
    private func points(_ pairs: [(Double, Double)]) -> [MetgPoint] {
        pairs.enumerated().map { MetgPoint(iterations: 1000 >> $0.offset, taskMicros: $0.element.0, efficiency: $0.element.1) }
    }

    @Test("the crossing is interpolated on a log scale between the two points that bracket it")
    func interpolation() throws {
        let curve = points([(100, 1), (10, 0.9), (2, 0.6), (1, 0.4), (0.5, 0.1)])
        let metg = try #require(Metg.granularity(atEfficiency: 0.5, in: curve))
        #expect(abs(metg - 2.0.squareRoot()) < 1e-9, "halfway between 2 and 1 on a log scale")
        #expect(Metg.crosses(0.5, in: curve))
        let exact = try #require(Metg.granularity(atEfficiency: 0.9, in: curve))
        #expect(abs(exact - 10) < 1e-9, "a point exactly at the threshold counts as reaching it")
        // The order points are given in does not matter.
        #expect(Metg.granularity(atEfficiency: 0.5, in: curve.reversed()) == metg)
    }

    @Test("a noisy curve is cut at its first drop below the threshold, from the largest granularity down")
    func nonMonotonic() throws {
        let curve = points([(100, 1), (10, 0.4), (5, 0.7), (1, 0.1)])
        let metg = try #require(Metg.granularity(atEfficiency: 0.5, in: curve))
        #expect(abs(metg - 100 * pow(10, -5.0 / 6)) < 1e-9)
    }

    @Test("a slow sample at the top of the sweep does not void the curve: the walk starts at the most efficient point")
    func slowTop() throws {
        let curve = points([(100, 0.3), (10, 1), (1, 0.2)])
        let metg = try #require(Metg.granularity(atEfficiency: 0.5, in: curve))
        #expect(abs(metg - 10 * pow(10, -0.625)) < 1e-9)
        #expect(Metg.crosses(0.5, in: curve))
    }

    @Test("a curve that never drops gives its smallest granularity as a bound; one that never reaches gives none")
    func edges() {
        let high = points([(100, 1), (1, 0.8)])
        #expect(Metg.granularity(atEfficiency: 0.5, in: high) == 1)
        #expect(!Metg.crosses(0.5, in: high))
        #expect(Metg.granularity(atEfficiency: 0.5, in: points([(100, 0.4), (1, 0.1)])) == nil)
        #expect(Metg.granularity(atEfficiency: 0.5, in: []) == nil)
    }

    @Test("granularity is elapsed × workers / tasks; efficiency is rate over the best rate")
    func curveFromMeasurements() {
        let measurements = [
            MetgMeasurement(iterations: 100, elapsedNanos: 1e8, tasks: 1000, work: 1e9),
            MetgMeasurement(iterations: 10, elapsedNanos: 1e6, tasks: 1000, work: 5e6),
        ]
        let (peak, curve) = Metg.curve(measurements, workers: 2)
        #expect(peak == 1e10)
        #expect(curve.map(\.taskMicros) == [200, 2])
        #expect(curve.map(\.efficiency) == [1, 0.5])
        let row = MetgResult(
            pattern: "stencil_1d", width: 2, steps: 10, kernel: "compute_bound", system: "actorflow",
            policy: "ws-numa", workers: 2, measurements: measurements, thresholds: [0.25])
        #expect(row.metg50Micros == 2)
        #expect(row.thresholds.map(\.efficiency) == [0.25, 0.5])
    }

    @Test("the JSON report has the contract's keys, points included")
    func json() throws {
        let row = MetgResult(
            pattern: "fft", width: 2, steps: 10, kernel: "compute_bound", system: "tbb", policy: "flow_graph",
            workers: 1, measurements: [MetgMeasurement(iterations: 4, elapsedNanos: 1e6, tasks: 10, work: 1e6)],
            thresholds: [])
        let report = MetgReport(machine: .init(cpus: 2, numaNodes: 1), results: [row])
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == ["machine", "date", "results"])
        let result = try #require((object["results"] as? [[String: Any]])?.first)
        for key in ["pattern", "width", "steps", "kernel", "system", "policy", "workers", "metg50Micros",
                    "peakFlopsPerSecond", "points"] {
            #expect(result[key] != nil, "\(key)")
        }
        let point = try #require((result["points"] as? [[String: Any]])?.first)
        #expect(Set(point.keys) == ["iterations", "taskMicros", "efficiency"])
        #expect(report.csv().hasPrefix("pattern,width,steps,kernel,system,policy,workers,metg50Micros,"))
        let svg = MetgPlot.svg(report.results)
        #expect(svg.contains("<polyline"))
        #expect(XMLParser(data: Data(svg.utf8)).parse(), "the SVG is well-formed XML")
    }

    @Test("bad arguments name the flag, the value and what is valid", arguments: [
        (["--pattern": "stencil"], "--pattern: unknown pattern 'stencil'; valid: trivial, no_comm,"),
        (["--width": "0"], "--width: '0' is not an integer in range; valid: integers 1...4096"),
        (["--kernel": "gemm"], "--kernel: unknown kernel 'gemm'; valid: empty, busy_wait,"),
        (["--compare": "mpi"], "--compare: unknown peer 'mpi'; valid: tbb, openmp"),
        (["--output-bytes": "24"], "--output-bytes: not a multiple of 16;"),
        (["--thresholds": "150"], "--thresholds: '150' is not an efficiency;"),
        (["--policies": "ws,,global"], "--policies: empty item in 'ws,,global'"),
    ])
    func badArguments(flags: [String: String], message: String) {
        do {
            _ = try MetgPlan(
                patterns: flags["--pattern"] ?? "stencil_1d", width: flags["--width"], kernel: flags["--kernel"],
                policies: flags["--policies"], compare: flags["--compare"], outputBytes: flags["--output-bytes"],
                thresholds: flags["--thresholds"], cpuCount: 2)
            Issue.record("accepted \(flags)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("defaults: width = CPUs, ws-numa and ws, workers 1 and every CPU, 50%")
    func defaults() throws {
        let plan = try MetgPlan(patterns: "nearest, fft", thresholds: "25%,50", quick: true, cpuCount: 2)
        #expect(plan.patterns == [.nearest, .fft])
        #expect(plan.width == 2)
        #expect(plan.steps == 50)
        #expect(plan.workerCounts == [1, 2])
        #expect(plan.policies.map(\.name) == ["ws-numa", "ws"])
        #expect(plan.thresholds == [0.25, 0.5])
        #expect(plan.sweep.iterationSchedule.last == 1)
    }
}
