import ActorFlow
import Benchmark

/// The fixed cost of one `Session.run` on a one-op graph — fetch resolution, plan-cache lookup, step start,
/// wait and result — untraced and fully traced, on the shared pool (the default policy) and on the caller's
/// thread. 1 000 runs per sample: the reported times are per run.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1000
    )
    let g = Graph()
    let noOp = g.group([], name: "only")
    let constant = g.constant(Float(1), name: "one")
    for policy in [SchedulingPolicy.default, .callerThread] {
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        for trace in [RunOptions.TraceLevel.noTrace, .fullTrace] {
            let options = RunOptions(traceLevel: trace)
            let level = trace == .noTrace ? "none" : "full"
            // A NoOp target: the pure per-run overhead.
            Benchmark("run.noop.\(policy.name).trace-\(level)") { benchmark in
                var metadata = RunMetadata()
                for _ in benchmark.scaledIterations {
                    try session.run(noOp, options: options, metadata: &metadata)
                }
                blackHole(metadata)
            }
        }
        // A fetched scalar: the overhead plus moving one value out.
        Benchmark("run.const.\(policy.name).trace-none") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try session.run(constant))
            }
        }
    }
}
