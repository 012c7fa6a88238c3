import ActorFlow
import ActorFlowTestSupport
import Testing

/// Reference §1.3: session state. (Items 38–39, constructor type errors and re-entrant context managers,
/// have no Swift meaning: the initializer is typed and there is no `with` block.)
@Suite("Session state (reference 1.3)")
struct SessionLifecycleTests {
    @Test("1.3.35 a closed session refuses to run; close is idempotent")
    func closed() {
        let g = Graph()
        let a = g.constant(Float(1))
        let session = Session(graph: g)
        session.close()
        session.close()
        #expect(session.isClosed)
        let error = expectSessionError({ _ = try session.run(a) }) { if case .closed = $0 { true } else { false } }
        #expect(error?.description == "Attempted to use a closed Session.")
    }

    @Test("1.3.36 an empty graph is an error, even for an empty fetch")
    func emptyGraph() {
        let session = Session(graph: Graph())
        expectSessionError({ _ = try session.run([Tensor]()) }) { if case .emptyGraph = $0 { true } else { false } }
    }

    @Test("1.3.37 ops added after a run are visible to later runs")
    func growingGraph() throws {
        let g = Graph()
        let a = g.constant(Float(2))
        let session = Session(graph: g)
        #expect(try session.run(a) == NDArray(Float(2)))
        let b = g.mul(a, a)
        #expect(try session.run(b) == NDArray(Float(4)))
        #expect(try session.run("Mul:0") == .tensor(NDArray(Float(4))))
    }

    @Test("1.3.40 many threads run one session at once", arguments: allPolicies)
    func concurrentRuns(policy: SchedulingPolicy) async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let y = g.add(g.mul(x, x), g.constant(Float(1)))
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        let wrong = try await onPlainThreads(16) { t in
            var wrong = 0
            for i in 0..<25 {
                let v = Float(t * 100 + i)
                let r = try? session.run(y, feeds: [x: v]).scalar(as: Float.self)
                if r != v * v + 1 { wrong += 1 }
            }
            return wrong
        }
        let failures = wrong.reduce(0, +)
        #expect(failures == 0)
        #expect(session.cachedPlanCount == 1)
    }

    @Test(".swiftDefault from inside a task runs its firings' tasks on the session's pool, not the cooperative one")
    func swiftDefaultFromTask() async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil], name: "x")
        // Wide enough that a pool of cooperative threads blocked by concurrent runs would starve.
        let branches = (0..<32).map { g.square(g.add(x, g.constant(Float($0)))) }
        let total = g.reduceSum(branches.dropFirst().reduce(branches[0]) { g.add($0, $1) })
        let session = Session(graph: g, options: SessionOptions(policy: .swiftDefault))
        var expected: Float = 0
        for c in 1...32 { expected += Float(2 * c * c) }
        // More concurrent blocking runs than this machine has cooperative threads.
        try await withThrowingTaskGroup(of: Float.self) { group in
            for _ in 0..<8 {
                group.addTask { try session.run(total, feeds: [x: [1, 1] as [Float]]).scalars(as: Float.self)[0] }
            }
            for try await value in group { #expect(value == expected) }
        }
        var md = RunMetadata()
        _ = try session.run(total, feeds: [x: [1, 1] as [Float]], options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
        let threads = Set(md.stepStats.devStats[0].nodeStats.map(\.threadID))
        let names = md.stepStats.devStats[0].threadNames
        #expect(threads.allSatisfy { names[$0]?.hasPrefix("af-w") == true }, "the firings ran on pool workers")
        #expect(try await onPlainThread { try session.run(total, feeds: [x: [1, 1] as [Float]]).scalars(as: Float.self)[0] } == expected)
    }

    @Test("1.3.42 a failing op names itself, and the session keeps working")
    func opFailure() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil], name: "x")
        let bad = g.customOp(name: "mine", inputs: [x], outputs: [(.float32, TensorShape([nil]))]) { inputs in
            if try inputs[0].scalars(as: Float.self).contains(where: { $0 < 0 }) {
                throw KernelError("negative input")
            }
            return inputs
        }[0]
        let session = Session(graph: g)
        let error = expectSessionError({ _ = try session.run(bad, feeds: [x: [-1] as [Float]]) }) {
            if case .opFailed(op: "mine", _) = $0 { true } else { false }
        }
        #expect(error?.description.contains("negative input") == true)
        #expect(error?.description.contains("mine") == true)
        #expect(try session.run(bad, feeds: [x: [1, 2] as [Float]]) == NDArray([1, 2] as [Float]))
    }

    @Test("a kernel returning the wrong outputs is an op failure, not a crash")
    func wrongOutputs() {
        let g = Graph()
        let wrong = g.customOp(name: "liar", inputs: [], outputs: [(.float32, TensorShape([2]))]) { _ in
            [NDArray([1, 2, 3] as [Float])]
        }[0]
        let session = Session(graph: g)
        expectSessionError({ _ = try session.run(wrong) }) { if case .opFailed(op: "liar", _) = $0 { true } else { false } }
    }

    @Test("an op that failed to build is reported when a run needs it")
    func invalidGraph() throws {
        let g = Graph()
        let a = g.constant([1, 2, 3] as [Float], name: "a")
        let b = g.constant([[1, 2], [3, 4]] as [[Float]], name: "b")
        let bad = g.matMul(a, b, name: "bad")
        let fine = g.identity(b)
        let session = Session(graph: g)
        let error = expectSessionError({ _ = try session.run(bad) }) {
            if case .invalidGraph(op: "bad", _) = $0 { true } else { false }
        }
        #expect(error != nil)
        #expect(try session.run(fine).dimensions == [2, 2])
    }
}
