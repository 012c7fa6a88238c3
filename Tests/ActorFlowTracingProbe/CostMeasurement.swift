import ActorFlowTracing

/// Times `Tracepoints.opStart` — the widest event, two strings and four integers — in a tight loop: the enabled-flag
/// check alone when no session records it, the whole event when one does. A report, not a test: build with
/// `-c release` and run with and without `Tracing/scripts/record.sh`.
enum CostMeasurement {
    static func run(iterations: Int) -> String {
        let name = InternedCString("layer1/matmul")
        let type = InternedCString("MatMul")
        let enabled = Tracepoints.isEnabled(.opStart)
        let warmup = min(iterations, 10_000)
        for i in 0..<warmup {
            Tracepoints.opStart(stepID: 0, opID: i, name: name, type: type, worker: 0, numaNode: 0)
        }
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<iterations {
            Tracepoints.opStart(stepID: 1, opID: i, name: name, type: type, worker: 0, numaNode: 0)
        }
        let elapsed = clock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        let perCall = nanoseconds / Double(iterations)
        let formatted = (perCall * 100).rounded() / 100
        return "opStart enabled=\(enabled) iterations=\(iterations) ns/call=\(formatted)"
    }
}
