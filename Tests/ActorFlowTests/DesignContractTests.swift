import ActorFlow
import ActorFlowTestSupport
import Testing

/// The public API contract of DESIGN.md, written as it is there (with values so it runs).
@Suite("DESIGN.md API contract")
struct DesignContractTests {
    @Test func contractCompilesAndRuns() throws {
        let g = Graph()
        let a = g.constant([10, 20] as [Int32])
        let b = g.constant(Float(2), name: "b")
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let u = g.placeholder(.float32, name: "u")
        let w = g.constant([[1], [2]] as [[Float]])
        let y = g.matMul(x, w, name: "y")
        let z = g.add(y, b)
        let session = Session(graph: g)

        let v: NDArray = try session.run(a)
        let (va, vb) = try session.run(a, b)
        let list: [NDArray] = try session.run([a, b])
        let dict: [String: [NDArray]] = try session.run(["k1": [a], "k2": [a, b]])
        let r = try session.run(z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]])
        let r2 = try session.run(z, feeds: ["x:0": NDArray([[1, 2]] as [[Float]])])
        var md = RunMetadata()
        _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]],
                            options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        let nodeStats = md.stepStats.devStats[0].nodeStats
        let bytes = try md.serializedData()
        _ = try RunMetadata(serializedBytes: bytes)
        _ = RunOptions(timeoutInMs: 200)
        try session.run(y.op, feeds: [x: [[1, 2]] as [[Float]]])
        let any: FetchedValue = try session.run(
            fetch: .dict(["k1": .list([.tensor(a), .name("x:0")])]), feeds: ["x:0": NDArray([[1, 2]] as [[Float]])])

        let cnt = g.variable(initialValue: NDArray(Float(0)), name: "cnt")
        let inc = g.assignAdd(cnt, g.constant(Float(1)))
        try session.run(g.globalVariablesInitializer())
        let after = g.withControlDependencies([inc.op]) { g.identity(a) }
        let i64Tensor = g.constant([[0, 1]] as [[Int64]])
        let valuesTensor = g.constant([5] as [Float])
        let shapeTensor = g.constant([2, 2] as [Int64])
        let sp = g.sparseTensor(indices: i64Tensor, values: valuesTensor, denseShape: shapeTensor)
        let dense = g.sparseToDense(sp)
        let h = g.getSessionHandle(z)
        let outs: [Tensor] = g.customOp(name: "mine", inputs: [x], outputs: [(.float32, TensorShape([nil, 2]))]) { inputs in
            inputs
        }
        let t = g.constant([1, 2, 3, 4] as [Float])
        let reshaped = g.reshape(t, g.constant([2, 2] as [Int32]))
        let sums = (g.reduceSum(t), g.reduceSum(reshaped, axes: [0]), g.mul(t, t))
        let handle = try session.run(h, feeds: [x: [[1, 2]] as [[Float]]])
        let fetched = try session.run(after, dense, outs[0], feeds: [x: [[3, 4]] as [[Float]]])

        #expect(v == NDArray([10, 20] as [Int32]) && va == v && vb == NDArray(Float(2)) && list.count == 2)
        #expect(dict["k2"]?.count == 2 && r.dimensions == [2, 1] && r2.dimensions == [1, 1])
        #expect(nodeStats.count >= 3)
        let fedX = try NDArray([[1, 2]] as [[Float]])
        #expect(any == .dict(["k1": .list([.tensor(v), .tensor(fedX)])]))
        #expect(try handle.value() == NDArray([[7]] as [[Float]]))
        #expect(fetched.0 == v)
        #expect(try fetched.1 == NDArray([[0, 5], [0, 0]] as [[Float]]))
        #expect(try session.run(cnt) == NDArray(Float(1)))
        #expect(try session.run(sums.0) == NDArray(Float(10)))
        #expect(try session.run(sums.1) == NDArray([4, 6] as [Float]))
        #expect(try session.run(sums.2) == NDArray([1, 4, 9, 16] as [Float]))
        #expect(u.shape == .unknown)

        g.preventFeeding(x)
        g.preventFetching(y.op)
        session.close()
        expectSessionError({ _ = try session.run(a) }) { if case .closed = $0 { true } else { false } }
    }
}
