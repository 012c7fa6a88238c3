/// The value of a sparse tensor: the coordinates and values of its non-zero entries and its dense shape.
///
/// `indices` is an `int64` array of shape `(N, rank)`, `values` has shape `(N,)`, and `denseShape` is an
/// `int64` array of shape `(rank,)` (TensorFlow's `SparseTensorValue`).
///
///     let sp = try SparseTensorValue(
///         indices: NDArray([[0, 0], [1, 2]] as [[Int64]]),
///         values: NDArray([1, 2] as [Float]),
///         denseShape: NDArray([2, 3] as [Int64]))
public struct SparseTensorValue: Sendable, Equatable, CustomStringConvertible, FeedValueConvertible {
    /// Coordinates of the entries, `int64` of shape `(N, rank)`.
    public var indices: NDArray
    /// The entries, shape `(N,)`.
    public var values: NDArray
    /// The dense shape, `int64` of shape `(rank,)`.
    public var denseShape: NDArray

    /// Creates a value from its three components, checking that they fit together.
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` naming the component that does not fit.
    public init(indices: NDArray, values: NDArray, denseShape: NDArray) throws(SessionError) {
        guard indices.dtype == .int64, indices.rank == 2 else {
            throw .invalidValue(reason: "sparse indices must be int64 of shape (N, rank), got \(indices.dtype) "
                + "of shape \(indices.dimensions.shapeDescription)")
        }
        guard denseShape.dtype == .int64, denseShape.rank == 1, denseShape.dimensions[0] == indices.dimensions[1]
        else {
            throw .invalidValue(reason: "sparse dense_shape must be int64 of shape (\(indices.dimensions[1]),), got "
                + "\(denseShape.dtype) of shape \(denseShape.dimensions.shapeDescription)")
        }
        guard values.rank == 1, values.dimensions[0] == indices.dimensions[0] else {
            throw .invalidValue(reason: "sparse values must have shape (\(indices.dimensions[0]),), got "
                + values.dimensions.shapeDescription)
        }
        self.indices = indices
        self.values = values
        self.denseShape = denseShape
    }

    public var feedValue: FeedValue { .sparse(self) }

    public var description: String {
        "SparseTensorValue(indices=\(indices), values=\(values), dense_shape=\(denseShape))"
    }
}
