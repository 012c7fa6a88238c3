/// A symbolic output of an ``Operation``: what ops consume and what `Session.run` fetches.
///
/// A tensor is named `"<op name>:<output index>"` as in TensorFlow:
///
///     let a = g.constant([10, 20] as [Int32])
///     print(a.name)    // Const:0
///     print(a.dtype)   // int32
///     print(a.shape)   // (2,)
///
/// Two `Tensor` values are equal when they are the same output of the same op.
public struct Tensor: Hashable, Sendable, CustomStringConvertible {
    /// The op that produces this tensor.
    public let op: Operation
    /// The output index of the op.
    public let index: Int

    public init(op: Operation, index: Int) {
        self.op = op
        self.index = index
    }

    /// `"<op name>:<index>"`.
    public var name: String { "\(op.name):\(index)" }
    /// The element type.
    public var dtype: DType { op.outputDTypes[index] }
    /// The static shape (possibly partially known).
    public var shape: TensorShape { op.outputShapes[index] }

    /// `Tensor("name:0", shape=(2,), dtype=int32)`, TensorFlow's spelling.
    public var description: String { "Tensor(\"\(name)\", shape=\(shape), dtype=\(dtype))" }

    public static func == (lhs: Tensor, rhs: Tensor) -> Bool { lhs.op === rhs.op && lhs.index == rhs.index }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(op))
        hasher.combine(index)
    }
}

/// A sparse tensor in the graph: three dense tensors, as TensorFlow's `SparseTensor`.
///
/// Fetching it returns a ``SparseTensorValue``; feeding it takes one.
public struct SparseTensor: Hashable, Sendable, CustomStringConvertible {
    /// `int64`, shape `(N, rank)`.
    public let indices: Tensor
    /// Shape `(N,)`.
    public let values: Tensor
    /// `int64`, shape `(rank,)`.
    public let denseShape: Tensor

    public init(indices: Tensor, values: Tensor, denseShape: Tensor) {
        self.indices = indices
        self.values = values
        self.denseShape = denseShape
    }

    /// The element type of the values.
    public var dtype: DType { values.dtype }

    public var description: String {
        "SparseTensor(indices=\(indices.name), values=\(values.name), dense_shape=\(denseShape.name))"
    }
}
