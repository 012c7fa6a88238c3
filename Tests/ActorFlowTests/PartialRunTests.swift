import ActorFlow
import ActorFlowTestSupport
import Testing

/// Reference §1.5: partial runs (deprecated in TensorFlow, specified all the same).
@Suite("Partial runs (reference 1.5)")
struct PartialRunTests {
    /// r1 = a + b, r2 = r1 * c; a, b, c are placeholders.
    static func graph() -> (Graph, a: Tensor, b: Tensor, c: Tensor, r1: Tensor, r2: Tensor) {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [], name: "a")
        let b = g.placeholder(.float32, shape: [], name: "b")
        let c = g.placeholder(.float32, shape: [], name: "c")
        let r1 = g.add(a, b, name: "r1")
        let r2 = g.mul(r1, c, name: "r2")
        return (g, a, b, c, r1, r2)
    }

    @Test("1.5.53 setup returns TensorFlow's handle; feeds and fetches arrive over several calls", arguments: allPolicies)
    func basic(policy: SchedulingPolicy) async throws {
        let (g, a, b, c, r1, r2) = Self.graph()
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        let (handle, v1, v2) = try await onPlainThread { () -> (PartialRunHandle, NDArray, NDArray) in
            let h = try session.partialRunSetup(fetches: [r1, r2], feeds: [a, b, c])
            let v1 = try session.partialRun(h, fetches: r1, feeds: [a: Float(1), b: Float(2)])
            let v2 = try session.partialRun(h, fetches: r2, feeds: [c: Float(17)])
            return (h, v1, v2)
        }
        #expect(handle.handle == "a:0,b:0,c:0->r1:0,r2:0//1/;0")
        #expect(v1 == NDArray(Float(3)))
        #expect(v2 == NDArray(Float(51)))
        #expect(session.partialRunCount == 0)
    }

    @Test("1.5.54 misuse is reported with TensorFlow's messages")
    func errors() throws {
        let (g, a, b, c, r1, r2) = Self.graph()
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        let h = try session.partialRunSetup(fetches: [r1], feeds: [a, b])
        func message(_ body: () throws -> Void) -> String? {
            expectSessionError(body) { if case .invalidPartialRun = $0 { true } else { false } }?.description
        }
        #expect(message { _ = try session.partialRun(h, fetches: r1, feeds: [c: Float(1)]) }
            == "The feed c:0 was not specified in partial_run_setup.")
        #expect(message { _ = try session.partialRun(h, fetches: r2, feeds: [a: Float(1)]) }
            == "The fetch r2:0 was not specified in partial_run_setup.")
        #expect(message { _ = try session.partialRun(h, fetches: r1, feeds: [a: Float(1)]) }
            == "Fetch r1:0 can't be computed from the feeds that have been fed so far.")
        _ = try session.partialRun(h, fetches: [Tensor](), feeds: [a: Float(1)])
        #expect(message { _ = try session.partialRun(h, fetches: [Tensor](), feeds: [a: Float(1)]) }
            == "The feed a:0 has already been fed.")
        #expect(try session.partialRun(h, fetches: r1, feeds: [b: Float(2)]) == NDArray(Float(3)))
        #expect(message { _ = try session.partialRun(h, fetches: r1) }
            == "Must run 'setup' before performing partial runs!")

        let h2 = try session.partialRunSetup(fetches: [r1, r2], feeds: [a, b, c])
        _ = try session.partialRun(h2, fetches: r1, feeds: [a: Float(1), b: Float(1)])
        #expect(message { _ = try session.partialRun(h2, fetches: r1) } == "The fetch r1:0 has already been fetched.")
        #expect(message { _ = try session.partialRun(h2, fetches: r1.op) } == "partial_run() requires empty `target_list`.")
        #expect(message { _ = try session.partialRunSetup(fetches: [Tensor](), feeds: [a]) }
            == "Must specify at least one target to fetch or execute.")
        #expect(message { _ = try session.partialRun(PartialRunHandle(handle: "bogus"), fetches: r1) }
            == "Must run 'setup' before performing partial runs!")
    }

    @Test("1.5.55 feeds alone return an empty result and run what they enable")
    func feedsOnly() throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [], name: "a")
        let probe = Probe()
        let seen = probe.wrap(g, a, name: "seen")
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        let h = try session.partialRunSetup(fetches: [seen], feeds: [a])
        #expect(try session.partialRun(h, fetches: [Tensor](), feeds: [a: Float(3)]) == [])
        #expect(probe.runs == 1)
        #expect(try session.partialRun(h, fetches: seen) == NDArray(Float(3)))
    }

    @Test("a failing op ends the partial run with its error; closing the session cancels open ones")
    func failures() throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [], name: "a")
        let bad = g.customOp(name: "bad", inputs: [a], outputs: [(.float32, TensorShape.scalar)]) { _ in
            throw KernelError("no")
        }[0]
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        let h = try session.partialRunSetup(fetches: [bad], feeds: [a])
        expectSessionError({ _ = try session.partialRun(h, fetches: bad, feeds: [a: Float(1)]) }) {
            if case .opFailed(op: "bad", _) = $0 { true } else { false }
        }
        #expect(session.partialRunCount == 0)
        _ = try session.partialRunSetup(fetches: [bad], feeds: [a])
        #expect(session.partialRunCount == 1)
        session.close()
        #expect(session.partialRunCount == 0)
    }
    @Test("closing the session while a partial run's nodes are still running lets them finish safely")
    func closeWhileRunning() throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [], name: "a")
        let started = CompletionLatch(count: 2)
        let release = CompletionLatch(count: 1)
        let finished = CompletionLatch(count: 2)
        // Two slow ops need no feed, so the partial run's setup queues them on the pool at once; both are
        // running when the session closes, and their successor is queued after it closed.
        let slow = (0..<2).map { i in
            g.customOp(name: "slow\(i)", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in
                started.countDown()
                release.wait()
                finished.countDown()
                return [NDArray(Float(i))]
            }[0]
        }
        let sum = g.add(g.add(slow[0], slow[1]), a, name: "sum")
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        // On the pool whatever ACTORFLOW_POLICY says: the caller's thread would run the blocking ops itself.
        let session = Session(graph: g, options: SessionOptions(policy: .default, executor: pool))
        _ = try session.partialRunSetup(fetches: [sum], feeds: [a])
        started.wait()
        session.close()  // drops the partial run while its nodes run and are queued
        release.countDown()
        finished.wait()
        // The pool is healthy: another session runs on it.
        let other = Graph()
        let c = other.constant(Float(3))
        #expect(try Session(graph: other, options: SessionOptions(executor: pool)).run(c) == NDArray(Float(3)))
    }
}
