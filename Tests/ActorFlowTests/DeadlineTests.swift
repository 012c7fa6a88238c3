import ActorFlow
import ActorFlowTestSupport
import Foundation
import Synchronization
import Testing

/// Deadlines and `close()` that hold against a kernel that ignores cancellation: the run returns while the kernel
/// is still blocked (the test releases it only afterwards), so these tests check the order of events, not timing.
@Suite("Deadlines that hold", .timeLimit(.minutes(5)))
struct DeadlineTests {
    /// The policies whose kernels run on threads of their own: under `.callerThread` the kernel runs on the
    /// caller's thread, and under `.swiftDefault` a kernel that blocks holds a thread of Swift's cooperative pool,
    /// which the test runner itself needs.
    static let pooledPolicies: [SchedulingPolicy] = [.workStealing(numaAware: true), .workStealing(numaAware: false), .globalQueue]

    /// A session on a pool of its own, so that the kernel these tests hold blocks no other test's worker.
    static func session(_ graph: Graph, policy: SchedulingPolicy) -> (Session, WorkStealingExecutor) {
        let pool = WorkStealingExecutor(workers: 2, policy: policy)
        return (Session(graph: graph, options: SessionOptions(policy: policy, executor: pool)), pool)
    }

    /// A graph whose `stuck` op blocks its first firing until ``release()``, and counts its firings.
    final class StuckGraph: Sendable {
        let graph = Graph()
        let stuck: Tensor
        let after: Tensor
        let quick: Tensor
        private let gate = DispatchSemaphore(value: 0)
        private let firings = Atomic<Int>(0)
        private let finishedFirings = Atomic<Int>(0)

        init() {
            let g = graph
            let box = Box()
            stuck = g.customOp(name: "stuck", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in
                if box.graph!.firings.add(1, ordering: .relaxed).oldValue == 0 {
                    // Ignores cancellation; the limit only keeps a broken test from hanging.
                    _ = box.graph!.gate.wait(timeout: .now() + 120)
                }
                box.graph!.finishedFirings.add(1, ordering: .releasing)
                return [NDArray(Float(1))]
            }[0]
            after = g.add(stuck, g.constant(Float(1)), name: "after")
            quick = g.constant(Float(5), name: "quick")
            box.graph = self
        }

        /// Lets the first firing of `stuck` return.
        func release() { gate.signal() }

        /// Firings of `stuck` that started.
        var started: Int { firings.load(ordering: .relaxed) }

        /// Firings of `stuck` that returned.
        var finished: Int { finishedFirings.load(ordering: .acquiring) }

        private final class Box: @unchecked Sendable {
            // Set once in `init`, before any run can read it.
            var graph: StuckGraph?
        }
    }

    @Test("a run returns deadlineExceeded while a kernel that ignores the deadline still runs", arguments: pooledPolicies)
    func deadlineHoldsAgainstABlockedKernel(policy: SchedulingPolicy) async throws {
        let stuck = StuckGraph()
        let (session, pool) = Self.session(stuck.graph, policy: policy)
        defer {
            session.close()
            pool.shutdown()
        }
        let failure = try await onPlainThread { () -> SessionError? in
            // A second: long enough for a worker of a loaded machine to have started the kernel.
            sessionError { try session.run(stuck.after, options: RunOptions(timeoutInMs: 1_000)) }
        }
        guard case .deadlineExceeded(1_000)? = failure else {
            Issue.record("expected deadlineExceeded(1000), got \(String(describing: failure))")
            stuck.release()
            return
        }
        guard stuck.started == 1 else {
            Issue.record("the stuck kernel had not started by the deadline")
            return
        }
        #expect(stuck.finished == 0, "the run returned before its kernel did")
        // The pool and the session stay usable while the abandoned kernel holds its worker.
        #expect(try await onPlainThread { try session.run(stuck.quick) } == NDArray(Float(5)))
        stuck.release()
        await poll("the abandoned kernel to return") { stuck.finished == 1 }
        // Its late output was dropped; the same plan runs again from a fresh step.
        #expect(try await onPlainThread { try session.run(stuck.after) } == NDArray(Float(2)))
    }

    @Test("close() ends a run in flight with cancelled while its kernel still runs", arguments: pooledPolicies)
    func closeHoldsAgainstABlockedKernel(policy: SchedulingPolicy) async throws {
        let stuck = StuckGraph()
        let (session, pool) = Self.session(stuck.graph, policy: policy)
        defer { pool.shutdown() }
        // With a deadline (an hour away) the step starts on the pool: a small step without one starts on the
        // caller's thread, which close() cannot take back from a kernel (see the README).
        async let outcome = onPlainThread { () -> SessionError? in
            sessionError { try session.run(stuck.after, options: RunOptions(timeoutInMs: 3_600_000)) }
        }
        await poll("the stuck kernel to start") { stuck.started == 1 }
        session.close()
        let failure = try await outcome
        guard case .cancelled? = failure else {
            Issue.record("expected cancelled, got \(String(describing: failure))")
            stuck.release()
            return
        }
        #expect(stuck.finished == 0, "the run returned before its kernel did")
        let later = sessionError { try session.run(stuck.quick) }
        guard case .closed? = later else {
            Issue.record("expected closed, got \(String(describing: later))")
            stuck.release()
            return
        }
        stuck.release()
        await poll("the abandoned kernel to return") { stuck.finished == 1 }
    }
}
