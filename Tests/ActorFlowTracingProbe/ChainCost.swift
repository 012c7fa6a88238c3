import ActorFlow

/// Times steps of a 10⁴-op chain at one trace level, for the tracing-overhead report (Tracing/README.md, "What tracing
/// costs a step"). A report, not a test: build with `-c release` and compare the levels, with and without a recording
/// session, and against a build with `-Xswiftc -DACTORFLOW_NO_TRACEPOINTS`.
///
/// Two chains: `noop`, empty `NoOp`s joined by control edges (the `chain` workload: pure scheduling and tracing cost),
/// and `add`, each op adding a constant 16-float vector to the previous op's output (a real kernel, a real
/// allocation and a data edge per op).
enum ChainCost {
    enum Kind: String, CaseIterable {
        case noop, add
    }

    static let levels: [(name: String, level: RunOptions.TraceLevel)] = [
        ("none", .noTrace), ("software", .softwareTrace), ("hardware", .hardwareTrace), ("full", .fullTrace),
    ]

    /// Runs `steps` steps (after one untimed step that builds the plan) and describes the per-op times.
    static func run(kind: Kind, ops: Int, steps: Int, level: (name: String, level: RunOptions.TraceLevel)) throws
        -> String
    {
        let g = Graph()
        let fetch: Fetch
        switch kind {
        case .noop:
            var last = g.noOp(name: "n")
            for _ in 1..<ops { last = g.group([last], name: "n") }
            fetch = .operation(last)
        case .add:
            let one = g.constant([Float](repeating: 1, count: 16), name: "one")
            var t = g.constant([Float](repeating: 0, count: 16), name: "zero")
            for _ in 2..<ops { t = g.add(t, one, name: "add") }
            fetch = .tensor(t)
        }
        let nodes = g.version
        let session = Session(graph: g)
        defer { session.close() }
        let options = RunOptions(traceLevel: level.level)
        var metadata = RunMetadata()
        try session.run(fetch: fetch, options: options, metadata: &metadata)
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<steps {
            let start = clock.now
            try session.run(fetch: fetch, options: options, metadata: &metadata)
            let elapsed = clock.now - start
            samples.append(
                (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(nodes))
        }
        samples.sort()
        func at(_ percent: Int) -> String {
            let value = samples[min(samples.count - 1, percent * samples.count / 100)]
            return String((value * 10).rounded() / 10)
        }
        let recording = Tracepoints.isEnabled(.opStart) ? "recording" : "none"
        return "chain kind=\(kind.rawValue) ops=\(nodes) trace=\(level.name) steps=\(steps) "
            + "tracepoints=\(Tracepoints.isCompiledIn ? "compiled-in" : "compiled-out") session=\(recording) "
            + "ns_per_op_median=\(at(50)) p10=\(at(10)) p90=\(at(90))"
    }
}
