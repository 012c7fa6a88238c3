import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Reshape, transpose, concat, fill, shape")
struct ShapeOpTests {
    let runner = MiniRunner()

    @Test func reshapeWithInferredDimension() throws {
        let g = Graph()
        let t = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])
        let r = g.reshape(t, [3, -1])
        #expect(r.op.type == "Reshape" && r.op.name == "Reshape" && r.op.inputs[1].op.name == "Reshape/shape")
        #expect(r.shape == [3, 2])
        #expect(try runner.run(r) == NDArray([[1, 2], [3, 4], [5, 6]] as [[Float]]))
        let flat = g.reshape(t, g.constant([-1] as [Int64]))
        #expect(try runner.run(flat) == NDArray([1, 2, 3, 4, 5, 6] as [Float]))
        #expect(try runner.run(g.reshape(g.constant([7] as [Int32]), [])) == NDArray(Int32(7)))
    }

    @Test func reshapeErrors() {
        let g = Graph()
        let t = g.zeros(shape: [2, 3])
        #expect(
            buildError(g.reshape(t, [4]))
                == "Reshape: Input to reshape is a tensor with 6 values, but the requested shape has 4")
        #expect(buildError(g.reshape(t, [-1, -1])) == "Reshape: Only one input size may be -1, not both 0 and 1")
        #expect(buildError(g.reshape(t, [4, -1]))?.contains("requires a multiple of 4") == true)
        #expect(
            buildError(g.reshape(t, g.constant([2, 3] as [Float])))?.hasPrefix("Reshape: shape must be int32 or int64")
                == true)
        let s = g.placeholder(.int32, shape: [2])
        let dynamic = g.reshape(t, s)
        #expect(dynamic.shape == [nil, nil])
        #expect(
            kernelMessage { _ = try runner.run(dynamic, feeds: [s: NDArray([5, 1] as [Int32])]) }
                == "Input to reshape is a tensor with 6 values, but the requested shape has 5")
    }

    @Test func reshapeOfPartialInput() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 4])
        #expect(g.reshape(x, [-1, 2]).shape == [nil, 2])
    }

    @Test func transposeReversesOrPermutes() throws {
        let g = Graph()
        let t = g.constant([[1, 2, 3], [4, 5, 6]] as [[Int32]])
        let tt = g.transpose(t)
        #expect(tt.op.type == "Transpose" && tt.shape == [3, 2])
        #expect(try runner.run(tt) == NDArray([[1, 4], [2, 5], [3, 6]] as [[Int32]]))
        let cube = g.constant(try NDArray(shape: [2, 3, 4], scalars: (0..<24).map { Int32($0) }))
        let p = g.transpose(cube, perm: [1, 2, 0])
        #expect(p.shape == [3, 4, 2])
        let v = try runner.run(p).scalars(as: Int32.self)
        // out[i, j, k] = in[k, i, j]
        for i in 0..<3 {
            for j in 0..<4 { for k in 0..<2 { #expect(v[(i * 4 + j) * 2 + k] == Int32(k * 12 + i * 4 + j)) } }
        }
        #expect(try runner.run(g.transpose(g.constant(["a", "b"]))) == NDArray(["a", "b"]))
    }

    /// Every permutation of a rank-3 tensor with sizes past one tile, against a direct index computation.
    @Test func transposeEveryPermutationAgainstReference() throws {
        let dims = [3, 19, 10]
        let values = (0..<570).map { Int64($0) }
        let g = Graph()
        let t = g.constant(try NDArray(shape: dims, scalars: values))
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        for perm in perms {
            let outDims = perm.map { dims[$0] }
            var expected: [Int64] = []
            for i in 0..<outDims[0] {
                for j in 0..<outDims[1] {
                    for k in 0..<outDims[2] {
                        var coords = [0, 0, 0]
                        (coords[perm[0]], coords[perm[1]], coords[perm[2]]) = (i, j, k)
                        expected.append(values[(coords[0] * dims[1] + coords[1]) * dims[2] + coords[2]])
                    }
                }
            }
            #expect(try runner.run(g.transpose(t, perm: perm)) == NDArray(shape: outDims, scalars: expected), "\(perm)")
        }
        let m = g.constant(try NDArray(shape: [17, 9], scalars: (0..<153).map { Float($0) }))
        let mt = try runner.run(g.transpose(m)).scalars(as: Float.self)
        let expected: [Float] = (0..<153).map { (index: Int) -> Float in Float((index % 17) * 9 + index / 17) }
        #expect(mt == expected)
    }

    @Test func transposeErrors() {
        let g = Graph()
        #expect(
            buildError(g.transpose(g.zeros(shape: [2, 3]), perm: [0, 0]))
                == "Transpose: perm [0, 0] is not a permutation of 0..<2")
        #expect(buildError(g.transpose(g.zeros(shape: [2, 3]), perm: [2, 0, 1]))?.contains("rank 2") == true)
        let u = g.placeholder(.float32)
        let y = g.transpose(u, perm: [1, 0])
        #expect(y.shape == [nil, nil])
        #expect(
            kernelMessage { _ = try runner.run(y, feeds: [u: NDArray([1] as [Float])]) }
                == "transpose expects a vector of size 1. But input(1) is a vector of size 2")
    }

    @Test func concatAlongEachAxis() throws {
        let g = Graph()
        let a = g.constant([[1, 2], [3, 4]] as [[Float]])
        let b = g.constant([[5], [6]] as [[Float]])
        let c = g.concat([a, b], axis: 1)
        #expect(c.op.type == "ConcatV2" && c.shape == [2, 3])
        #expect(try runner.run(c) == NDArray([[1, 2, 5], [3, 4, 6]] as [[Float]]))
        let rows = g.concat([a, a], axis: -2)
        #expect(rows.shape == [4, 2])
        #expect(try runner.run(rows) == NDArray([[1, 2], [3, 4], [1, 2], [3, 4]] as [[Float]]))
        let x = g.placeholder(.float32, shape: [nil, 2])
        #expect(g.concat([a, x], axis: 0).shape == [nil, 2])
        #expect(g.concat([x, b], axis: 1).shape == [2, 3])
    }

    @Test func concatErrors() {
        let g = Graph()
        let a = g.zeros(shape: [2, 2])
        #expect(
            buildError(g.concat([a, g.zeros(shape: [3, 1])], axis: 1))?.hasPrefix(
                "ConcatV2: Dimension 0 in both shapes must be equal") == true)
        #expect(
            buildError(g.concat([a, a], axis: 2))
                == "ConcatV2: Expected concatenating dimensions in the range [-2, 2), but got 2")
        #expect(
            buildError(g.concat([a, g.zeros(shape: [2, 2], dtype: .int32)], axis: 0))?.contains("must have dtype float")
                == true)
        #expect(buildError(g.concat([], axis: 0)) == "ConcatV2: needs at least one input")
        let x = g.placeholder(.float32)
        let y = g.concat([a, x], axis: 1)
        #expect(
            kernelMessage {
                _ = try runner.run(y, feeds: [x: NDArray(shape: [3, 1], scalars: [Float](repeating: 0, count: 3))])
            }
                == "ConcatOp : Dimensions of inputs should match: shape[0] = [2,2] vs. shape[1] = [3,1]")
    }

    @Test func fillZerosOnes() throws {
        let g = Graph()
        let f = g.fill(g.constant([2, 3] as [Int32]), value: g.constant(Float(7)))
        #expect(f.op.type == "Fill" && f.shape == [2, 3])
        #expect(try runner.run(f) == NDArray(shape: [2, 3], scalars: [Float](repeating: 7, count: 6)))
        #expect(try runner.run(g.fill([2], value: "x")) == NDArray(["x", "x"]))
        let z = g.zeros(shape: [2, 2], dtype: .int64)
        #expect(z.op.name == "zeros" && z.dtype == .int64)
        #expect(try runner.run(z) == NDArray([[0, 0], [0, 0]] as [[Int64]]))
        #expect(try runner.run(g.ones(shape: [3], dtype: .bool)) == NDArray([true, true, true]))
        #expect(buildError(g.ones(shape: [1], dtype: .string)) != nil)
        #expect(buildError(g.zeros(shape: [2, -1]))?.contains("must be >= 0") == true)
        #expect(
            buildError(g.fill(g.constant([2] as [Int32]), value: g.constant([1, 2] as [Float])))?.contains(
                "value must be a scalar") == true)
        let d = g.placeholder(.int32, shape: [2])
        let dynamic = g.fill(d, value: g.constant(Int32(1)))
        #expect(dynamic.shape == [nil, nil])
        #expect(
            kernelMessage { _ = try runner.run(dynamic, feeds: [d: NDArray([2, -1] as [Int32])]) }
                == "Fill dimensions must be >= 0, got [2,-1]")
    }

    @Test func hugeShapesAreErrorsNotTraps() throws {
        let g = Graph()
        #expect(buildError(g.fill([1 << 40, 1 << 40], value: Float(1)))?.contains("more elements than an Int") == true)
        let d = g.placeholder(.int64, shape: [2])
        let dynamic = g.fill(d, value: g.constant(Float(1)))
        let message = kernelMessage { _ = try runner.run(dynamic, feeds: [d: NDArray([1 << 40, 1 << 40] as [Int64])]) }
        #expect(message == "Fill dimensions [1099511627776,1099511627776] have too many elements")
        let a = g.placeholder(.float32)
        let b = g.placeholder(.float32)
        let empty = [Float]()
        let feeds = [
            a: try NDArray(shape: [1 << 33, 0], scalars: empty), b: try NDArray(shape: [0, 1 << 33], scalars: empty),
        ]
        #expect(
            kernelMessage { _ = try runner.run(g.matMul(a, b), feeds: feeds) }
                == "MatMul output [8589934592,8589934592] is too large")
        let wide = [a: try NDArray(shape: [3_000_000_000, 0], scalars: empty)]
        #expect(
            kernelMessage { _ = try runner.run(g.shape(a), feeds: wide) }?.hasPrefix("Output type is 32-bit") == true)
        #expect(try runner.run(g.shape(a, outType: .int64), feeds: wide) == NDArray([3_000_000_000, 0] as [Int64]))
    }

    @Test func shapeSizeRank() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 3])
        let s = g.shape(x)
        #expect(s.dtype == .int32 && s.shape == [2])
        let value = try NDArray(shape: [5, 3], scalars: [Float](repeating: 0, count: 15))
        #expect(try runner.run(s, feeds: [x: value]) == NDArray([5, 3] as [Int32]))
        #expect(try runner.run(g.size(x, outType: .int64), feeds: [x: value]) == NDArray(Int64(15)))
        #expect(try runner.run(g.rank(x), feeds: [x: value]) == NDArray(Int32(2)))
        #expect(g.shape(g.placeholder(.float32)).shape == [nil])
    }
}
