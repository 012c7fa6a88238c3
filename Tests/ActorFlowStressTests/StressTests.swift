import ActorFlow
import ActorFlowTestSupport
import Synchronization
import Testing

/// Seeded random DAGs with real data edges, run many times under every policy, from several threads on one session,
/// across sessions sharing a pool, and while the session closes; a probe in some runs throws and in others dawdles
/// past a 20 ms deadline. Every completed run's values match the sequential evaluator; every failed run fails as
/// planned; a hang becomes a failing test that names the stuck probes.
// Serialized: one scenario at a time keeps a 2-core machine responsive for the rest of the suite, and each scenario
// brings its own threads.
@Suite("Stress", .serialized, .timeLimit(.minutes(30)))
struct StressTests {
    /// Checks the scenario's tally and prints its `STRESS` line.
    private func check(_ tally: StressTally, _ label: String, completed: Bool) {
        print(tally.line(label))
        if !completed { tally.hangs.add(1, ordering: .relaxed) }
        #expect(tally.mismatches.load(ordering: .relaxed) == 0, "\(tally.problemList.joined(separator: "\n"))")
        #expect(tally.unexpected.load(ordering: .relaxed) == 0, "\(tally.problemList.joined(separator: "\n"))")
        #expect(
            tally.faultsReported.load(ordering: .relaxed) + tally.faultsPreempted.load(ordering: .relaxed)
                == tally.faultsInjected.load(ordering: .relaxed), "every injected fault is reported (or closed first)")
        #expect(tally.succeeded.load(ordering: .relaxed) > 0, "some runs complete")
    }

    private func watch<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R? {
        try await withWatchdog(limit: StressScale.hangLimit, describe: { SharedDAGs.ledger.pendingReport() }, body)
    }

    @Test("one session per policy, run after run", arguments: SchedulingPolicy.all)
    func everyPolicy(policy: SchedulingPolicy) async throws {
        let tally = StressTally()
        let done: Void? = try await watch {
            var rng = SplitMix64(seed: StressScale.seed ^ policy.name.utf8.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) })
            for size in StressScale.sizes {
                let runner = StressRunner(built: SharedDAGs.dag(nodes: size), ledger: SharedDAGs.ledger, tally: tally)
                let session = Session(graph: runner.built.graph, options: SessionOptions(policy: policy))
                for _ in 0..<StressScale.runs(nodes: size) { runner.run(on: session, label: policy.name, rng: &rng) }
                session.close()
            }
        }
        check(tally, "policy \(policy.name)", completed: done != nil)
    }

    @Test("four threads share one session")
    func threadsOnOneSession() async throws {
        let tally = StressTally()
        let done: Void? = try await watch {
            for size in StressScale.sizes {
                let runner = StressRunner(built: SharedDAGs.dag(nodes: size), ledger: SharedDAGs.ledger, tally: tally)
                let session = Session(graph: runner.built.graph)
                _ = joinedThreads(4) { thread in
                    var rng = SplitMix64(seed: StressScale.seed &+ UInt64(thread) &* 977 &+ UInt64(size))
                    for _ in 0..<StressScale.runs(nodes: size) {
                        runner.run(on: session, label: "thread \(thread) of 4", rng: &rng)
                    }
                }
                session.close()
            }
        }
        check(tally, "4 threads, 1 session", completed: done != nil)
    }

    @Test("three sessions share one pool, one thread each")
    func sessionsSharingAPool() async throws {
        let tally = StressTally()
        let policies: [SchedulingPolicy] = [.workStealing(numaAware: true), .workStealing(numaAware: false), .globalQueue]
        let pool = WorkStealingExecutor(workers: 2)
        let done: Void? = try await watch {
            for size in StressScale.sizes {
                let runner = StressRunner(built: SharedDAGs.dag(nodes: size), ledger: SharedDAGs.ledger, tally: tally)
                let sessions = policies.map { Session(graph: runner.built.graph, options: SessionOptions(policy: $0, executor: pool)) }
                _ = joinedThreads(sessions.count) { i in
                    var rng = SplitMix64(seed: StressScale.seed &+ UInt64(i) &* 7919 &+ UInt64(size))
                    for _ in 0..<StressScale.runs(nodes: size) {
                        runner.run(on: sessions[i], label: "pool session \(policies[i].name)", rng: &rng)
                    }
                }
                for session in sessions { session.close() }
            }
        }
        if done != nil { await blocking { pool.shutdown() } }
        check(tally, "3 sessions, 1 pool", completed: done != nil)
    }

    @Test("close() while three threads run: each run completes correctly or reports closed", arguments: SchedulingPolicy.all)
    func closeWhileRunning(policy: SchedulingPolicy) async throws {
        let tally = StressTally()
        let lateRuns = Atomic<Int>(0)
        let done: Void? = try await watch {
            for size in StressScale.sizes {
                let runner = StressRunner(built: SharedDAGs.dag(nodes: size), ledger: SharedDAGs.ledger, tally: tally)
                let session = Session(graph: runner.built.graph, options: SessionOptions(policy: policy))
                let finishedRuns = Atomic<Int>(0)
                let runs = StressScale.runs(nodes: size)
                _ = joinedThreads(4) { thread in
                    if thread == 3 {
                        // Close once the runners have made some progress (not after some time).
                        _ = spin { finishedRuns.load(ordering: .acquiring) >= runs / 2 }
                        session.close()
                        // Any run that starts after close() returned must say so.
                        var rng = SplitMix64(seed: UInt64(size))
                        if runner.run(on: session, label: "after close", rng: &rng, closing: true) != .closed {
                            lateRuns.add(1, ordering: .relaxed)
                        }
                        return
                    }
                    var rng = SplitMix64(seed: StressScale.seed &+ UInt64(thread) &* 31 &+ UInt64(size))
                    for _ in 0..<runs {
                        if runner.run(on: session, label: "closing \(policy.name)", rng: &rng, closing: true) == .closed {
                            return
                        }
                        finishedRuns.add(1, ordering: .releasing)
                    }
                }
            }
        }
        #expect(lateRuns.load(ordering: .relaxed) == 0, "a run after close() did not throw .closed")
        check(tally, "close under \(policy.name)", completed: done != nil)
    }
}
