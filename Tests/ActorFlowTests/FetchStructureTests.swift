import ActorFlow
import ActorFlowTestSupport
import Testing

/// Reference §1.1: fetch structures. (Items 10 and 11 — `None` and unsupported leaf types — are compile-time
/// errors in Swift: `Fetchable` admits only graph elements and structures of them.)
@Suite("Fetch structures (reference 1.1)")
struct FetchStructureTests {
    let g = Graph()

    @Test("1.1.1 a single tensor fetches its value; a scalar has rank 0")
    func singleTensor() throws {
        let a = g.constant([10, 20] as [Int32])
        let s = g.constant(Float(42))
        let session = Session(graph: g)
        let v: NDArray = try session.run(a)
        #expect(v == NDArray([10, 20] as [Int32]))
        let scalar = try session.run(s)
        #expect(scalar.dimensions == [])
        #expect(try scalar.scalar(as: Float.self) == 42)
    }

    @Test("1.1.2 an operation fetch returns Void and runs the op")
    func operationFetch() throws {
        let probe = Probe()
        let effect = probe.sideEffect(g)
        let session = Session(graph: g)
        let result: Void = try session.run(effect)
        _ = result
        #expect(probe.runs == 1)
    }

    @Test("1.1.3 \"op:0\" fetches a tensor, \"op\" runs the operation")
    func stringFetches() throws {
        let a = g.constant(Float(3), name: "a")
        _ = a
        let session = Session(graph: g)
        #expect(try session.run("a:0") == .tensor(NDArray(Float(3))))
        #expect(try session.run("a") == FetchedValue.none)
    }

    @Test("1.1.4–8 lists, tuples, dictionaries with any keys, user structs, nested to any depth")
    func structures() throws {
        let a = g.constant(Float(1))
        let b = g.constant(Float(2))
        let session = Session(graph: g)
        #expect(try session.run([a, b]) == [NDArray(Float(1)), NDArray(Float(2))])
        let (va, vb, vc) = try session.run(a, b, [a])
        #expect(va == NDArray(Float(1)) && vb == NDArray(Float(2)) && vc == [NDArray(Float(1))])
        let byInt = try session.run([1: a, 2: b])
        #expect(byInt[1] == NDArray(Float(1)) && byInt[2] == NDArray(Float(2)))
        let pair = try session.run(Pair(first: a, second: b))
        #expect(pair.first == NDArray(Float(1)) && pair.second == NDArray(Float(2)))
        let nested = try session.run(["outer": [Pair(first: b, second: a)]])
        #expect(nested["outer"]?[0].first == NDArray(Float(2)))
        let dynamic = try session.run(fetch: .dict(["k": .list([.tensor(a), .dict(["inner": .tensor(b)])])]))
        #expect(dynamic == .dict(["k": .list([.tensor(NDArray(Float(1))), .dict(["inner": .tensor(NDArray(Float(2)))])])]))
    }

    @Test("1.1.9 empty structures come back empty and run nothing")
    func emptyStructures() throws {
        let probe = Probe()
        _ = probe.sideEffect(g)
        let session = Session(graph: g)
        #expect(try session.run([Tensor]()) == [])
        #expect(try session.run(fetch: .list([.list([]), .dict([:])])) == .list([.list([]), .dict([:])]))
        #expect(try session.run([String: Tensor]()).isEmpty)
        #expect(probe.runs == 0)
        #expect(session.cachedPlanCount == 0)
    }

    @Test("1.1.12 unknown names: missing op, missing op for a tensor, index out of range, malformed")
    func unknownNames() {
        _ = g.constant(Float(1), name: "a")
        let session = Session(graph: g)
        let missingTensor = expectSessionError({ _ = try session.run("foo:0") }) {
            if case .unknownTensor(let name, _) = $0 { name == "foo:0" } else { false }
        }
        #expect(missingTensor?.description.contains("The operation, 'foo', does not exist in the graph.") == true)
        expectSessionError({ _ = try session.run("foo") }) {
            if case .unknownOperation(let name) = $0 { name == "foo" } else { false }
        }
        let outOfRange = expectSessionError({ _ = try session.run("a:3") }) {
            if case .unknownTensor("a:3", _) = $0 { true } else { false }
        }
        #expect(outOfRange?.description.contains("exists but only has 1 outputs") == true)
        let malformed = expectSessionError({ _ = try session.run("a:b:c") }) {
            if case .unknownTensor("a:b:c", _) = $0 { true } else { false }
        }
        #expect(malformed?.description.contains("is not a valid one") == true)
    }

    @Test("1.1.13 a tensor of another graph is rejected")
    func anotherGraph() {
        _ = g.constant(Float(1))
        let other = Graph().constant(Float(2), name: "elsewhere")
        let session = Session(graph: g)
        let error = expectSessionError({ _ = try session.run(other) }) {
            if case .notInGraph = $0 { true } else { false }
        }
        #expect(error?.description.contains("elsewhere:0") == true)
    }

    @Test("1.1.14–15 duplicates are computed once; a stateful op fetched three times runs once")
    func deduplication() throws {
        let probe = Probe()
        let a = probe.wrap(g, g.constant(Float(5)), name: "a")
        let session = Session(graph: g)
        let values = try session.run(fetch: .list([.tensor(a), .name("a:0"), .list([.tensor(a)])]))
        #expect(values == .list([.tensor(NDArray(Float(5))), .tensor(NDArray(Float(5))), .list([.tensor(NDArray(Float(5)))])]))
        #expect(probe.runs == 1)
        let mixed = try session.run(fetch: .list([.operation(a.op), .tensor(a)]))
        #expect(mixed == .list([.none, .tensor(NDArray(Float(5)))]))
        #expect(probe.runs == 2)

        let counter = g.variable(initialValue: NDArray(Float(0)), name: "counter")
        let inc = g.assignAdd(counter, g.constant(Float(1)))
        try session.run(g.globalVariablesInitializer())
        let (x, y, z) = try session.run(inc, inc, inc)
        #expect(x == y && y == z && x == NDArray(Float(1)))
        #expect(try session.run(counter) == NDArray(Float(1)))
    }

    @Test("1.1.16 a SparseTensor fetches a SparseTensorValue")
    func sparseFetch() throws {
        let sp = g.sparseTensor(
            indices: g.constant([[0, 0], [1, 2]] as [[Int64]]), values: g.constant([1, 2] as [Float]),
            denseShape: g.constant([2, 3] as [Int64]))
        let session = Session(graph: g)
        let v = try session.run(sp)
        #expect(v.values == NDArray([1, 2] as [Float]))
        #expect(v.denseShape == NDArray([2, 3] as [Int64]))
        #expect(try session.run(g.sparseToDense(sp)) == NDArray([[1, 0, 0], [0, 0, 2]] as [[Float]]))
    }

    @Test("1.1.17 preventFetching rejects the op and its tensors")
    func preventFetching() {
        let a = g.constant(Float(1), name: "nfo")
        g.preventFetching(a.op)
        let session = Session(graph: g)
        expectSessionError({ _ = try session.run(a) }) { if case .notFetchable("nfo") = $0 { true } else { false } }
        expectSessionError({ try session.run(a.op) }) { if case .notFetchable("nfo") = $0 { true } else { false } }
    }

    @Test("1.1.18 a variable fetches its current value")
    func variableFetch() throws {
        let v = g.variable(initialValue: NDArray([1, 2] as [Float]), name: "v")
        let assign = g.assign(v, g.constant([3, 4] as [Float]))
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        #expect(try session.run(v) == NDArray([1, 2] as [Float]))
        _ = try session.run(assign)
        #expect(try session.run(v) == NDArray([3, 4] as [Float]))
    }

    @Test("1.1.20 only the ops the fetches need run")
    func pruning() throws {
        let probe = Probe()
        let a = g.constant(Float(1))
        let unused = probe.wrap(g, a, name: "unused")
        let used = g.identity(a)
        _ = unused
        let session = Session(graph: g)
        _ = try session.run(used)
        #expect(probe.runs == 0)
    }
}

/// A user struct fetched like TensorFlow's namedtuple.
struct Pair: Fetchable {
    var first: Tensor
    var second: Tensor

    var fetch: Fetch { .list([.tensor(first), .tensor(second)]) }

    func fetched(from value: FetchedValue) throws(SessionError) -> (first: NDArray, second: NDArray) {
        let values = try value.listValue()
        return (try values[0].ndarray(), try values[1].ndarray())
    }
}
