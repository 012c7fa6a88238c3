/// Something that can be the value of a feed: anything ``NDArrayConvertible``, a ``TensorHandle``, a
/// ``SparseTensorValue`` (for a sparse key), or a ``FeedStructure`` (for a structured key).
///
/// A graph `Tensor` is deliberately *not* a feed value (TensorFlow rejects it at run time; Swift rejects it
/// at compile time).
public protocol FeedValueConvertible: Sendable {
    /// The value in the form the session consumes.
    var feedValue: FeedValue { get }
}

/// The forms a feed value takes.
public enum FeedValue: Sendable {
    /// A dense value, converted to the key's dtype when fed.
    case convertible(any NDArrayConvertible)
    /// A tensor kept in session state; feeding it substitutes the stored tensor itself.
    case handle(TensorHandle)
    /// The three components of a sparse tensor.
    case sparse(SparseTensorValue)
    /// Values for a structured key, in the key's order.
    case structure([FeedValue])
}

/// A value for a structured feed key: one value for each key of a ``FeedKey/structure(_:)``.
///
///     let feeds: FeedDict = [FeedKey.structure([a, b]): FeedStructure([Float(1), Float(2)])]
public struct FeedStructure: FeedValueConvertible {
    public var values: [any FeedValueConvertible]

    public init(_ values: [any FeedValueConvertible]) {
        self.values = values
    }

    public var feedValue: FeedValue { .structure(values.map(\.feedValue)) }
}
