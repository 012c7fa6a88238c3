import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Sparse ops")
struct SparseTests {
    let runner = MiniRunner()

    private func example(_ g: Graph) -> SparseTensor {
        g.sparseTensor(
            indices: g.constant([[0, 0], [1, 2]] as [[Int64]]),
            values: g.constant([1, 2] as [Float]),
            denseShape: g.constant([2, 3] as [Int64]))
    }

    @Test func bundlingAddsNoOps() {
        let g = Graph()
        let before = g.version
        let indices = g.constant([[0]] as [[Int64]])
        let sp = g.sparseTensor(
            indices: indices, values: g.constant([1] as [Float]), denseShape: g.constant([4] as [Int64]))
        #expect(g.version == before + 3 && sp.indices == indices && sp.dtype == .float32)
    }

    @Test func badComponentsBecomeAnInvalidOp() {
        let g = Graph()
        let sp = g.sparseTensor(
            indices: g.constant([[0, 0]] as [[Int32]]), values: g.constant([1] as [Float]),
            denseShape: g.constant([2, 3] as [Int64]))
        #expect(sp.indices.op.type == "SparseTensor")
        #expect(sp.values.op.buildError == "SparseTensor: indices must be int64, got int32")
        let mismatch = g.sparseTensor(
            indices: g.constant([[0, 0], [1, 1]] as [[Int64]]), values: g.constant([1] as [Float]),
            denseShape: g.constant([2, 3] as [Int64]))
        #expect(mismatch.values.op.buildError == "SparseTensor: indices has 2 rows but values has 1 elements")
        // A consumer is valid itself; running it reports the invalid SparseTensor op.
        do {
            _ = try runner.run(g.sparseToDense(mismatch))
            Issue.record("expected the SparseTensor op's build error")
        } catch {
            #expect(error.buildError == "SparseTensor: indices has 2 rows but values has 1 elements")
        }
    }

    @Test func sparseToDenseWithDefaults() throws {
        let g = Graph()
        let sp = example(g)
        let dense = g.sparseToDense(sp)
        #expect(dense.op.type == "SparseToDense" && dense.shape == [2, 3])
        #expect(try runner.run(dense) == NDArray([[1, 0, 0], [0, 0, 2]] as [[Float]]))
        #expect(
            try runner.run(g.sparseToDense(sp, defaultValue: -1)) == NDArray([[1, -1, -1], [-1, -1, 2]] as [[Float]]))
        let strings = g.sparseTensor(
            indices: g.constant([[1]] as [[Int64]]), values: g.constant(["b"]), denseShape: g.constant([2] as [Int64]))
        #expect(try runner.run(g.sparseToDense(strings, defaultValue: "-")) == NDArray(["-", "b"]))
    }

    @Test func fedIndicesAreValidated() throws {
        let g = Graph()
        let indices = g.placeholder(.int64, shape: [nil, 2])
        let sp = g.sparseTensor(
            indices: indices, values: g.constant([1, 2] as [Float]), denseShape: g.constant([2, 3] as [Int64]))
        let dense = g.sparseToDense(sp)
        let outOfBounds = kernelMessage {
            _ = try runner.run(dense, feeds: [indices: NDArray([[0, 0], [2, 0]] as [[Int64]])])
        }
        #expect(outOfBounds == "indices[1] = [2,0] is out of bounds: need 0 <= index < [2,3]")
        let negative = kernelMessage {
            _ = try runner.run(dense, feeds: [indices: NDArray([[0, -1], [1, 0]] as [[Int64]])])
        }
        #expect(negative == "indices[0] = [0,-1] is out of bounds: need 0 <= index < [2,3]")
        let repeated = kernelMessage {
            _ = try runner.run(dense, feeds: [indices: NDArray([[1, 1], [1, 1]] as [[Int64]])])
        }
        #expect(repeated == "indices[1] = [1,1] is repeated")
        let count = kernelMessage { _ = try runner.run(dense, feeds: [indices: NDArray([[1, 1]] as [[Int64]])]) }
        #expect(count == "values has 2 elements but indices has 1 rows")
        let unordered = try runner.run(dense, feeds: [indices: NDArray([[1, 2], [0, 0]] as [[Int64]])])
        #expect(unordered == (try NDArray([[2, 0, 0], [0, 0, 1]] as [[Float]])))
    }

    @Test func sparseReduceSum() throws {
        let g = Graph()
        let sp = example(g)
        let total = g.sparseReduceSum(sp)
        #expect(total.shape == .scalar && total.op.type == "SparseReduceSum")
        #expect(try runner.run(total) == NDArray(Float(3)))
        #expect(try runner.run(g.sparseReduceSum(sp, axes: [1])) == NDArray([1, 2] as [Float]))
        let columns = g.sparseReduceSum(sp, axes: [0], keepDims: true)
        #expect(columns.shape == [1, 3])
        #expect(try runner.run(columns) == NDArray([[1, 0, 2]] as [[Float]]))
        #expect(
            buildError(g.sparseReduceSum(sp, axes: [2]))?.hasPrefix("SparseReduceSum: Invalid reduction dimension")
                == true)
    }

    @Test func sparseTimesDense() throws {
        let g = Graph()
        let sp = example(g)  // [[1, 0, 0], [0, 0, 2]]
        let b = g.constant([[1, 2], [3, 4], [5, 6]] as [[Float]])
        let y = g.sparseTensorDenseMatMul(sp, b)
        #expect(y.shape == [2, 2])
        #expect(try runner.run(y) == NDArray([[1, 2], [10, 12]] as [[Float]]))
        let bt = g.constant([[1, 3, 5], [2, 4, 6]] as [[Float]])
        #expect(
            try runner.run(g.sparseTensorDenseMatMul(sp, bt, adjointB: true))
                == NDArray([[1, 2], [10, 12]] as [[Float]]))
        let c = g.constant([[1, 1], [1, 1]] as [[Float]])
        let at = g.sparseTensorDenseMatMul(sp, c, adjointA: true)  // (3, 2)
        #expect(at.shape == [3, 2])
        #expect(try runner.run(at) == NDArray([[1, 1], [0, 0], [2, 2]] as [[Float]]))
        #expect(
            buildError(g.sparseTensorDenseMatMul(sp, c))
                == "SparseTensorDenseMatMul: inner dimensions 3 and 2 differ for a (2, 3) and b (2, 2)")
    }
}
