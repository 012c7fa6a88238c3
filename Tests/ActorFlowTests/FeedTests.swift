import ActorFlow
import ActorFlowTestSupport
import Testing

/// Reference §1.2: feeds. (Item 23 — a graph `Tensor` as a feed value — is a compile-time error in Swift:
/// `Tensor` is not `FeedValueConvertible`.)
@Suite("Feeds (reference 1.2)")
struct FeedTests {
    let g = Graph()

    @Test("1.2.21 keys: a Tensor, a name, a SparseTensor, a structure")
    func keyForms() throws {
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let y = g.placeholder(.float32, shape: [2], name: "y")
        let sum = g.add(x, y)
        let session = Session(graph: g)
        #expect(try session.run(sum, feeds: [x: [1, 2] as [Float], "y:0": [10, 20] as [Float]]) == NDArray([11, 22] as [Float]))
        let structured: FeedDict = [FeedKey.structure([.tensor(x), .name("y:0")]): FeedStructure([[1, 1] as [Float], [2, 2] as [Float]])]
        #expect(try session.run(sum, feeds: structured) == NDArray([3, 3] as [Float]))

        let indices = g.placeholder(.int64, shape: [nil, 2])
        let values = g.placeholder(.float32, shape: [nil])
        let shape = g.placeholder(.int64, shape: [2])
        let sp = g.sparseTensor(indices: indices, values: values, denseShape: shape)
        let fed = try SparseTensorValue(
            indices: NDArray([[0, 1]] as [[Int64]]), values: NDArray([7] as [Float]), denseShape: NDArray([2, 2] as [Int64]))
        #expect(try session.run(g.sparseToDense(sp), feeds: [sp: fed]) == NDArray([[0, 7], [0, 0]] as [[Float]]))
    }

    @Test("1.2.21 a structured key with a value of another length is rejected")
    func structureMismatch() {
        let x = g.placeholder(.float32, name: "x")
        let y = g.placeholder(.float32, name: "y")
        let session = Session(graph: g)
        let feeds: FeedDict = [FeedKey.structure([.tensor(x), .tensor(y)]): FeedStructure([Float(1)])]
        let error = expectSessionError({ _ = try session.run(x, feeds: feeds) }) {
            if case .invalidFeedKey = $0 { true } else { false }
        }
        #expect(error?.description.contains("Key had 2 elements, but value had 1 elements") == true)
    }

    @Test("1.2.22 keys that are not tensors: an op name, a missing tensor, another graph's tensor")
    func badKeys() {
        let x = g.placeholder(.float32, name: "x")
        let session = Session(graph: g)
        let opName = expectSessionError({ _ = try session.run(x, feeds: ["x": Float(1)]) }) {
            if case .invalidFeedKey = $0 { true } else { false }
        }
        #expect(opName?.description.contains("refers to an Operation, not a Tensor") == true)
        expectSessionError({ _ = try session.run(x, feeds: ["nope:0": Float(1)]) }) {
            if case .invalidFeedKey = $0 { true } else { false }
        }
        let foreign = Graph().placeholder(.float32)
        expectSessionError({ _ = try session.run(x, feeds: [foreign: Float(1)]) }) {
            if case .invalidFeedKey = $0 { true } else { false }
        }
    }

    @Test("1.2.24 integers are range-checked; bools and ints convert only where they fit")
    func integerRanges() throws {
        let i32 = g.placeholder(.int32, name: "i32")
        let flag = g.placeholder(.bool, name: "flag")
        let text = g.placeholder(.string, name: "text")
        let session = Session(graph: g)
        let overflow = expectSessionError({ _ = try session.run(i32, feeds: [i32: 1 << 40]) }) {
            if case .invalidFeed("i32:0", _) = $0 { true } else { false }
        }
        #expect(overflow?.description.contains("1099511627776") == true)
        #expect(try session.run(i32, feeds: [i32: true]) == NDArray(Int32(1)))
        #expect(try session.run(flag, feeds: [flag: 1]) == NDArray(true))
        expectSessionError({ _ = try session.run(flag, feeds: [flag: 2]) }) {
            if case .invalidFeed("flag:0", _) = $0 { true } else { false }
        }
        expectSessionError({ _ = try session.run(text, feeds: [text: 3]) }) {
            if case .invalidFeed("text:0", _) = $0 { true } else { false }
        }
    }

    @Test("1.2.25 conversions: truncation, rounding, parsing; no silent nonsense")
    func conversions() throws {
        let i32 = g.placeholder(.int32, name: "i")
        let f32 = g.placeholder(.float32, name: "f")
        let session = Session(graph: g)
        #expect(try session.run(i32, feeds: [i32: 1.7]) == NDArray(Int32(1)))
        #expect(try session.run(f32, feeds: [f32: [1, 2]]) == NDArray([1, 2] as [Float]))
        #expect(try session.run(f32, feeds: [f32: "3"]) == NDArray(Float(3)))
        #expect(try session.run(f32, feeds: [f32: (1 << 24) + 1]) == NDArray(Float(16_777_216)))
        expectSessionError({ _ = try session.run(f32, feeds: [f32: ["a", "b"]]) }) {
            if case .invalidFeed("f:0", let reason) = $0 { reason.contains("could not convert string to float") } else { false }
        }
        expectSessionError({ _ = try session.run(f32, feeds: [f32: [[1, 2], [3]]]) }) {
            if case .invalidFeed("f:0", let reason) = $0 { reason.contains("ragged") } else { false }
        }
        // TensorFlow turns NaN into INT_MIN with a warning; we refuse it.
        expectSessionError({ _ = try session.run(i32, feeds: [i32: Double.nan]) }) {
            if case .invalidFeed("i:0", _) = $0 { true } else { false }
        }
    }

    @Test("1.2.26 static shape check for any fed tensor")
    func shapeCheck() throws {
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let batch = g.placeholder(.float32, shape: [nil, 2], name: "batch")
        let any = g.placeholder(.float32, name: "any")
        let c = g.constant([1, 2] as [Float], name: "c")
        let session = Session(graph: g)
        let error = expectSessionError({ _ = try session.run(x, feeds: [x: [1, 2, 3] as [Float]]) }) {
            if case .shapeMismatch("x:0", _, [3]) = $0 { true } else { false }
        }
        #expect(error?.description == "Cannot feed value of shape (3,) for Tensor x:0, which has shape (2,)")
        #expect(try session.run(batch, feeds: [batch: [[1, 2], [3, 4], [5, 6]] as [[Float]]]).dimensions == [3, 2])
        expectSessionError({ _ = try session.run(batch, feeds: [batch: [[1, 2, 3]] as [[Float]]]) }) {
            if case .shapeMismatch = $0 { true } else { false }
        }
        #expect(try session.run(any, feeds: [any: [[[1]]] as [[[Float]]]]).dimensions == [1, 1, 1])
        expectSessionError({ _ = try session.run(x, feeds: [x: Float(1)]) }) {
            if case .shapeMismatch("x:0", _, []) = $0 { true } else { false }
        }
        expectSessionError({ _ = try session.run(c, feeds: [c: [1, 2, 3] as [Float]]) }) {
            if case .shapeMismatch("c:0", _, _) = $0 { true } else { false }
        }
    }

    @Test("1.2.27 preventFeeding is checked after the shape check")
    func preventFeeding() {
        let x = g.placeholder(.float32, shape: [2], name: "nf")
        g.preventFeeding(x)
        let session = Session(graph: g)
        expectSessionError({ _ = try session.run(x, feeds: [x: [1, 2] as [Float]]) }) {
            if case .notFeedable("nf:0") = $0 { true } else { false }
        }
        expectSessionError({ _ = try session.run(x, feeds: [x: [1] as [Float]]) }) {
            if case .shapeMismatch = $0 { true } else { false }
        }
    }

    @Test("1.2.28 feeding a non-placeholder overrides it and prunes its upstream")
    func feedIntermediate() throws {
        let probe = Probe()
        let upstream = probe.wrap(g, g.constant(Float(1)), name: "upstream")
        let effect = probe.sideEffect(g, name: "effect")
        let mid = g.withControlDependencies([effect]) { g.identity(upstream) }
        let out = g.mul(mid, g.constant(Float(10)))
        let session = Session(graph: g)
        #expect(try session.run(out, feeds: [mid: Float(4)]) == NDArray(Float(40)))
        #expect(probe.runs == 0)
        #expect(try session.run(out) == NDArray(Float(10)))
        #expect(probe.runs == 2)
    }

    @Test("1.2.29 a fed fetch returns the fed value; when every fetch is fed nothing runs")
    func fedFetch() throws {
        let probe = Probe()
        let x = g.placeholder(.float32, name: "x")
        let y = probe.wrap(g, g.add(x, g.constant(Float(1))), name: "y")
        let session = Session(graph: g)
        #expect(try session.run(y, feeds: [y: Float(7)]) == NDArray(Float(7)))
        #expect(probe.runs == 0)
        #expect(session.cachedPlanCount == 0)
    }

    @Test("1.2.30 an unfed placeholder names itself; placeholderWithDefault needs no feed")
    func missingFeed() throws {
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let y = g.mul(x, g.constant(Float(2)))
        let d = g.placeholderWithDefault(g.constant(Float(3)), shape: [], name: "d")
        let session = Session(graph: g)
        let error = expectSessionError({ _ = try session.run(y) }) {
            if case .missingFeed("x", .float32, _) = $0 { true } else { false }
        }
        #expect(error?.description == "You must feed a value for placeholder tensor 'x' with dtype float and shape [2]")
        #expect(try session.run(d) == NDArray(Float(3)))
        #expect(try session.run(d, feeds: [d: Float(9)]) == NDArray(Float(9)))
    }

    @Test("1.2.31–33 the last key wins; unneeded feeds and empty feeds are fine")
    func lastWins() throws {
        let x = g.placeholder(.float32, name: "x")
        let c = g.constant(Float(1))
        let session = Session(graph: g)
        #expect(try session.run(x, feeds: [x: Float(1), "x:0": Float(2)]) == NDArray(Float(2)))
        #expect(try session.run(x, feeds: ["x:0": Float(2), x: Float(3)]) == NDArray(Float(3)))
        #expect(try session.run(c, feeds: [x: Float(5)]) == NDArray(Float(1)))
        #expect(try session.run(c, feeds: [:]) == NDArray(Float(1)))
    }

    @Test("1.2.34 a bad feed key is reported before a bad fetch")
    func validationOrder() {
        _ = g.placeholder(.float32, name: "x")
        let session = Session(graph: g)
        expectSessionError({ _ = try session.run("missing:0", feeds: ["x": Float(1)]) }) {
            if case .invalidFeedKey = $0 { true } else { false }
        }
    }
}
