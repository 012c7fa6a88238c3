import ActorFlow
import ActorFlowWorkloads
import Benchmark
import Synchronization

/// Per-step cost of the chain and fan-out shapes (10 000 nodes) under every scheduling policy, on dedicated
/// pools of 1 and 2 workers: the `actorflow bench` numbers with ordo-one/benchmark's statistics, malloc
/// counts and baselines. Divide the wall clock by 10 000 for nanoseconds per node.
///
/// Each sample runs its steps on a fresh plain thread (`.swiftDefault` refuses to block inside a Swift task,
/// and the benchmark closures run in one); the thread start, tens of microseconds, is in every policy's
/// numbers alike and small next to a step of milliseconds.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, .peakMemoryResident],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 1000
    )
    let nodes = 10_000
    for workload in [Workload.chain, .fanout] {
        let built = workload.build(size: nodes)
        for policy in SchedulingPolicy.all {
            for workers in [1, 2] {
                let fixture = SessionFixture()
                Benchmark(
                    "\(workload).10k.\(policy.name).w\(workers)",
                    closure: { benchmark in
                        let session = try fixture.session()
                        let steps = benchmark.scaledIterations.count
                        try onPlainThread {
                            for _ in 0..<steps { try built.run(in: session) }
                        }
                    },
                    setup: { fixture.open(built, policy: policy, workers: workers) },
                    teardown: { fixture.close() }
                )
            }
        }
    }
}

/// A session on a pool of its own, opened before a benchmark's iterations and closed after them.
final class SessionFixture: Sendable {
    private struct Open {
        let pool: WorkStealingExecutor
        let session: Session
    }

    private let state = Mutex<Open?>(nil)

    struct NotOpen: Error {}

    func open(_ built: BuiltWorkload, policy: SchedulingPolicy, workers: Int) {
        let pool = WorkStealingExecutor(workers: workers, policy: policy)
        let session = Session(graph: built.graph, options: SessionOptions(policy: policy, executor: pool))
        state.withLock { $0 = Open(pool: pool, session: session) }
    }

    func session() throws -> Session {
        guard let session = state.withLock({ $0?.session }) else { throw NotOpen() }
        return session
    }

    func close() {
        guard let open = state.withLock({ state -> Open? in defer { state = nil }; return state }) else { return }
        open.session.close()
        open.pool.shutdown()
    }
}
