import ActorFlow

/// Something a METG sweep can time: ActorFlow on a Task Bench graph (``ActorFlowMetgSystem``), or a peer
/// runtime's program (the CLI runs the C++ peers of `Benchmarks/peers/`).
public protocol MetgSystem {
    /// Runs the graph at `iterations` often enough that one sample lasts at least `minimumNanos`, takes
    /// `samples` such samples, and returns the fastest one.
    func measure(iterations: Int, minimumNanos: Double, samples: Int) throws -> MetgMeasurement
}

/// How a METG sweep walks the granularities: the kernel's iterations from `maxIterations` down by `factor`
/// to 1, each point timed for at least `minimumMilliseconds` per sample.
///
///     let plan = MetgSweepPlan(kernel: .compute_bound)
///     plan.iterationSchedule      // [16384, 8192, …, 2, 1]
public struct MetgSweepPlan: Sendable, Hashable {
    /// The largest iteration count, where the peak rate is measured.
    public var maxIterations: Int
    /// The ratio between consecutive iteration counts (> 1).
    public var factor: Int
    /// The shortest sample, ms: a point repeats the graph until one sample lasts this long.
    public var minimumMilliseconds: Double
    /// Samples per point; the fastest counts.
    public var samples: Int
    /// The sweep stops early after a point whose efficiency (against the best rate so far) is below this.
    public var stopBelowEfficiency: Double

    public init(
        maxIterations: Int = 1 << 14, factor: Int = 2, minimumMilliseconds: Double = 30, samples: Int = 3,
        stopBelowEfficiency: Double = 0.02
    ) {
        self.maxIterations = max(1, maxIterations)
        self.factor = max(2, factor)
        self.minimumMilliseconds = max(0, minimumMilliseconds)
        self.samples = max(1, samples)
        self.stopBelowEfficiency = stopBelowEfficiency
    }

    /// The default plan for `kernel`: its largest iteration count makes a task of roughly 100–200 µs here.
    public init(kernel: TaskBenchKernel.Kind, quick: Bool = false) {
        let top: Int
        switch kernel {
        case .empty: top = 1
        case .busy_wait: top = 1 << 15
        case .compute_bound, .load_imbalance: top = 1 << 14
        case .memory_bound: top = 1 << 10
        }
        if quick {
            self.init(maxIterations: max(1, top >> 4), factor: 4, minimumMilliseconds: 5, samples: 1)
        } else {
            self.init(maxIterations: top)
        }
    }

    /// The iteration counts in sweep order, largest first, ending at 1.
    public var iterationSchedule: [Int] {
        var schedule: [Int] = []
        var n = maxIterations
        while n >= 1 {
            schedule.append(n)
            if n == 1 { break }
            n = max(1, n / factor)
        }
        return schedule
    }
}

/// Runs a sweep: every iteration count of the plan on `system`, largest first, reporting each point to
/// `progress`; stops early once efficiency falls below the plan's floor.
///
///     let points = try MetgSweep.run(plan, on: system, workers: 2) { m in print(m.iterations) }
///     let curve = Metg.curve(points, workers: 2)
public enum MetgSweep {
    public static func run(
        _ plan: MetgSweepPlan, on system: any MetgSystem, workers: Int, progress: (MetgMeasurement) -> Void = { _ in }
    ) throws -> [MetgMeasurement] {
        var measurements: [MetgMeasurement] = []
        var best = 0.0
        for iterations in plan.iterationSchedule {
            let m = try system.measure(
                iterations: iterations, minimumNanos: plan.minimumMilliseconds * 1e6, samples: plan.samples)
            measurements.append(m)
            progress(m)
            best = max(best, m.rate)
            if best > 0, m.rate / best < plan.stopBelowEfficiency { break }
        }
        return measurements
    }
}

/// ActorFlow as a METG system: a ``TaskBenchGraph`` run in a session on a pool of its own (`workers` threads
/// under `policy`). Every run is validated: each task checks its inputs, the last step's outputs are checked, and
/// firing counts are verified after each point.
///
///     let system = ActorFlowMetgSystem(graph: tb, policy: .workStealing(numaAware: true), workers: 2)
///     defer { system.close() }
///     let m = try system.measure(iterations: 100, minimumNanos: 30e6, samples: 3)
public final class ActorFlowMetgSystem: MetgSystem {
    /// The graph.
    public let taskGraph: TaskBenchGraph
    private let pool: WorkStealingExecutor
    private let session: Session
    private let clock = ContinuousClock()

    public init(graph: TaskBenchGraph, policy: SchedulingPolicy, workers: Int) {
        taskGraph = graph
        pool = WorkStealingExecutor(workers: workers, policy: policy)
        session = Session(graph: graph.graph, options: SessionOptions(policy: policy, executor: pool))
    }

    /// Closes the session and stops the pool.
    public func close() {
        session.close()
        pool.shutdown()
    }

    public func measure(iterations: Int, minimumNanos: Double, samples: Int) throws -> MetgMeasurement {
        taskGraph.iterations = iterations
        // The first run warms up (and at the first point builds the plan); its time sizes the samples.
        let calibration = try timed(runs: 1)
        let runs = max(1, Int((minimumNanos / max(calibration, 1)).rounded(.up)))
        var fastest = Double.infinity
        for _ in 0..<samples { fastest = min(fastest, try timed(runs: runs)) }
        try taskGraph.verifyFirings()
        return MetgMeasurement(
            iterations: iterations, elapsedNanos: fastest, tasks: runs * taskGraph.taskCount,
            work: Double(runs) * taskGraph.workPerRun)
    }

    /// Nanoseconds `runs` validated runs took (firing counts are verified once per point, outside the timing).
    private func timed(runs: Int) throws -> Double {
        let start = clock.now
        for _ in 0..<runs { try taskGraph.run(in: session, checkFirings: false) }
        let d = clock.now - start
        return Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
    }
}
