import ActorFlowCore
import Testing

@Suite("SparseTensorValue")
struct SparseTensorValueTests {
    let indices: NDArray
    let values = NDArray([1, 2] as [Float])
    let denseShape = NDArray([2, 3] as [Int64])

    init() throws {
        indices = try NDArray([[0, 0], [1, 2]] as [[Int64]])
    }

    @Test func validComponents() throws {
        let sp = try SparseTensorValue(indices: indices, values: values, denseShape: denseShape)
        #expect(sp.indices == indices && sp.values == values && sp.denseShape == denseShape)
        #expect(sp.description == "SparseTensorValue(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[2, 3])")
        if case .sparse(let fed) = sp.feedValue {
            #expect(fed == sp)
        } else {
            Issue.record("a SparseTensorValue feeds as .sparse")
        }
        // No entries, and values of any dtype.
        let none = try SparseTensorValue(
            indices: NDArray(shape: [0, 2], scalars: [] as [Int64]), values: NDArray([] as [String]),
            denseShape: denseShape)
        #expect(none.description == "SparseTensorValue(indices=[], values=[], dense_shape=[2, 3])")
    }

    @Test func indicesMustBeInt64Matrix() throws {
        #expect(
            invalidValueReason {
                try SparseTensorValue(
                    indices: NDArray([[0, 0], [1, 2]] as [[Int32]]), values: values, denseShape: denseShape)
            } == "sparse indices must be int64 of shape (N, rank), got int32 of shape (2, 2)"
        )
        #expect(
            invalidValueReason {
                try SparseTensorValue(indices: NDArray([0, 1] as [Int64]), values: values, denseShape: denseShape)
            } == "sparse indices must be int64 of shape (N, rank), got int64 of shape (2,)"
        )
    }

    @Test func denseShapeMustBeInt64VectorOfTheRank() throws {
        #expect(
            invalidValueReason {
                try SparseTensorValue(indices: indices, values: values, denseShape: NDArray([2, 3] as [Int32]))
            } == "sparse dense_shape must be int64 of shape (2,), got int32 of shape (2,)"
        )
        #expect(
            invalidValueReason {
                try SparseTensorValue(indices: indices, values: values, denseShape: NDArray([2, 3, 4] as [Int64]))
            } == "sparse dense_shape must be int64 of shape (2,), got int64 of shape (3,)"
        )
        #expect(
            invalidValueReason {
                try SparseTensorValue(indices: indices, values: values, denseShape: NDArray([[2, 3]] as [[Int64]]))
            } == "sparse dense_shape must be int64 of shape (2,), got int64 of shape (1, 2)"
        )
    }

    @Test func valuesMustHaveOneEntryPerIndex() throws {
        #expect(
            invalidValueReason {
                try SparseTensorValue(indices: indices, values: NDArray([1, 2, 3] as [Float]), denseShape: denseShape)
            } == "sparse values must have shape (2,), got (3,)"
        )
        #expect(
            invalidValueReason {
                try SparseTensorValue(
                    indices: indices, values: NDArray([[1], [2]] as [[Float]]), denseShape: denseShape)
            } == "sparse values must have shape (2,), got (2, 1)"
        )
        #expect(
            invalidValueReason {
                try SparseTensorValue(indices: indices, values: NDArray(Float(1)), denseShape: denseShape)
            } == "sparse values must have shape (2,), got ()"
        )
    }
}
