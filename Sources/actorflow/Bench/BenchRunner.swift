import ActorFlow
import ActorFlowWorkloads

/// Measures every configuration of a ``BenchmarkPlan``, one at a time, on the calling thread.
///
/// For each workload the graph is built once. The `sequential` floor runs first (``SequentialProgram``:
/// the kernels in a plain loop). Then, for each trace level, policy and worker count, a fresh
/// `WorkStealingExecutor(workers:policy:)` and a `Session` on it run `warmupSteps` untimed steps (the first
/// builds and caches the execution plan) and `repetitions` timed ones; the pool is shut down afterwards.
/// Counters are reset after the warm-up, so steals and parks cover the timed steps only.
///
/// Call it from a plain thread (the CLI's main thread): from a Swift task, `.swiftDefault` would run its tasks on
/// the session's pool instead of Swift's global executor, which is not what it measures.
struct BenchRunner {
    let plan: BenchmarkPlan
    /// Progress lines (the CLI sends them to standard error).
    let log: (String) -> Void
    /// Traced steps read every `NodeExecStats` of their metadata inside the timed step.
    let readsMetadata: Bool
    /// The sessions' ``SessionOptions/flightRecorderSteps``.
    let flightRecorderSteps: Int
    /// The sessions' ``SessionOptions/intraOpParallelism``.
    let intraOpParallelism: Int

    private let clock = ContinuousClock()

    init(
        plan: BenchmarkPlan, readsMetadata: Bool = false, flightRecorderSteps: Int = 0, intraOpParallelism: Int = 0,
        log: @escaping (String) -> Void
    ) {
        self.plan = plan
        self.readsMetadata = readsMetadata
        self.flightRecorderSteps = flightRecorderSteps
        self.intraOpParallelism = intraOpParallelism
        self.log = log
    }

    /// Runs the plan; results in measurement order, without speedups (``BenchmarkReport/withSpeedups(_:)``).
    ///
    /// - Throws: the first `SessionError` a step throws.
    func run() throws(SessionError) -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        for workload in plan.workloads {
            for kernel in workload.takesKernel ? plan.kernels : [.empty] {
                results += try run(workload, kernel: kernel)
            }
        }
        return results
    }

    /// One workload with one kernel: the floor, then every trace level, policy and worker count.
    private func run(_ workload: Workload, kernel: WorkloadKernel) throws(SessionError) -> [BenchmarkResult] {
        let size = plan.size(of: workload)
        let start = clock.now
        let residentBefore = ResidentMemory.currentBytes()
        let built = workload.build(size: size, kernel: kernel)
        let label = workload.takesKernel ? "\(workload) --kernel \(kernel)" : "\(workload)"
        var graphMemory = ""
        if let before = residentBefore, let after = ResidentMemory.currentBytes() {
            graphMemory = ", graph \(Int(Double(after - before) / Double(max(built.nodeCount, 1)))) B/node resident"
        }
        log("\(label): size \(size), \(built.nodeCount) nodes, built in \(seconds(clock.now - start))\(graphMemory)")
        let measured = Measured(workload: workload, kernel: workload.takesKernel ? kernel.description : "builtin",
                                built: built, residentBefore: residentBefore)
        var results: [BenchmarkResult] = []
        let floor = try measureFloor(measured)
        report(floor)
        results.append(floor)
        for trace in plan.traceLevels {
            for policy in plan.policies {
                for workers in plan.workerCounts {
                    let result = try measure(measured, policy: policy, workers: workers, trace: trace)
                    report(result)
                    results.append(result)
                }
            }
        }
        return results
    }

    /// A built workload and what its rows report about it.
    private struct Measured {
        let workload: Workload
        let kernel: String
        let built: BuiltWorkload
        /// The process's resident bytes just before the graph was built.
        let residentBefore: Int?
    }

    /// The kernels of the graph in creation order, called directly.
    private func measureFloor(_ measured: Measured) throws(SessionError) -> BenchmarkResult {
        let program = try SequentialProgram(measured.built)
        for _ in 0..<plan.warmupSteps { try program.run() }
        var samples: [Double] = []
        for _ in 0..<plan.repetitions {
            let elapsed = try timed { () throws(SessionError) in try program.run() }
            samples.append(elapsed)
        }
        return result(
            measured, nodes: program.nodeCount, policy: BenchmarkResult.sequentialPolicy, workers: 1, trace: .none,
            stepNanoseconds: samples, counters: nil)
    }

    /// One session on a pool of its own.
    private func measure(
        _ measured: Measured, policy: SchedulingPolicy, workers: Int, trace: BenchmarkTraceLevel
    ) throws(SessionError) -> BenchmarkResult {
        let built = measured.built
        let pool = WorkStealingExecutor(workers: workers, policy: policy)
        defer { pool.shutdown() }
        let session = Session(
            graph: built.graph,
            options: SessionOptions(
                policy: policy, executor: pool, flightRecorderSteps: flightRecorderSteps,
                intraOpParallelism: intraOpParallelism))
        defer { session.close() }
        let options = RunOptions(traceLevel: trace.runOptionsLevel)
        // A traced step is measured with its metadata filled, as a user asking for a trace gets it.
        var metadata = RunMetadata()
        var touched: Int64 = 0
        defer { if touched == 42 { log("") } }   // keeps the reads
        func step() throws(SessionError) {
            if trace == .none {
                try built.run(in: session, options: options)
            } else {
                try built.run(in: session, options: options, metadata: &metadata)
                if readsMetadata { touched &+= Self.touchEveryNode(metadata) }
            }
        }
        for _ in 0..<plan.warmupSteps { try step() }
        let resident = ResidentMemory.currentBytes()
        pool.resetCounters()
        var samples: [Double] = []
        for _ in 0..<plan.repetitions {
            samples.append(try timed(step))
        }
        var row = result(
            measured, nodes: built.nodeCount, policy: policy.name, workers: workers, trace: trace,
            stepNanoseconds: samples, counters: pool.counters)
        if let before = measured.residentBefore, let resident {
            row.residentBytesPerNode = rounded(Double(resident - before) / Double(max(built.nodeCount, 1)), 1)
        }
        return row
    }

    /// Reads a field of every `NodeExecStats` of `metadata`, as a user who looks at every op does.
    private static func touchEveryNode(_ metadata: RunMetadata) -> Int64 {
        var sum: Int64 = 0
        for device in metadata.stepStats.devStats {
            for node in device.nodeStats { sum &+= node.allEndRelNanos }
        }
        return sum
    }

    private func result(
        _ measured: Measured, nodes: Int, policy: String, workers: Int, trace: BenchmarkTraceLevel,
        stepNanoseconds: [Double], counters: ExecutorCounters?
    ) -> BenchmarkResult {
        let perNode = Statistics(samples: stepNanoseconds.map { $0 / Double(max(nodes, 1)) })
        let medianStep = Statistics(samples: stepNanoseconds).median
        return BenchmarkResult(
            workload: measured.workload.rawValue, kernel: measured.kernel, nodes: nodes, policy: policy, workers: workers, traceLevel: trace.rawValue,
            repetitions: stepNanoseconds.count, nsPerNodeMedian: rounded(perNode.median, 2),
            nsPerNodeP10: rounded(perNode.p10, 2), nsPerNodeP90: rounded(perNode.p90, 2),
            stepsPerSecond: rounded(medianStep > 0 ? 1e9 / medianStep : 0, 2), speedupOver1Worker: nil,
            peakRSSBytes: PeakMemory.residentBytes(), localSteals: counters?.localSteals ?? 0,
            remoteSteals: counters?.remoteSteals ?? 0, parks: counters?.parks ?? 0)
    }

    /// Nanoseconds `work` took.
    private func timed(_ work: () throws(SessionError) -> Void) throws(SessionError) -> Double {
        let start = clock.now
        try work()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    }

    private func report(_ r: BenchmarkResult) {
        let ns = String(r.nsPerNodeMedian)
        log("  \(r.groupLabel) \(r.policy) ×\(r.workers) trace \(r.traceLevel): \(ns) ns/node (median of \(r.repetitions))")
    }

    private func seconds(_ d: Duration) -> String {
        let ms = (Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15).rounded()
        return "\(ms / 1000) s"
    }

    private func rounded(_ x: Double, _ places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (x * scale).rounded() / scale
    }
}
