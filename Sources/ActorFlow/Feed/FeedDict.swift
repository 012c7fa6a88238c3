/// The values to feed in one run, keyed by tensor or by tensor name, in insertion order.
///
/// Keys are `Tensor`s, names (`"x:0"`), `SparseTensor`s or ``FeedKey`` structures; values are anything
/// ``NDArrayConvertible`` (Swift numbers, nested arrays, strings, `NDArray`), a ``TensorHandle``, or a
/// ``SparseTensorValue``. Values are converted to the fed tensor's dtype when the run starts.
///
///     let r = try session.run(z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]])
///     let r2 = try session.run(z, feeds: ["x:0": NDArray([[1, 2]] as [[Float]])])
///
/// When two keys name the same tensor (`x` and `"x:0"`), the later one wins, as in TensorFlow.
public struct FeedDict: ExpressibleByDictionaryLiteral, Sendable {
    /// The entries in insertion order.
    public private(set) var entries: [(key: FeedKey, value: FeedValue)]

    public init(dictionaryLiteral elements: (any FeedKeyConvertible, any FeedValueConvertible)...) {
        entries = elements.map { (key: $0.0.feedKey, value: $0.1.feedValue) }
    }

    /// Creates a feed dictionary from key–value pairs.
    public init(_ pairs: [(any FeedKeyConvertible, any FeedValueConvertible)]) {
        entries = pairs.map { (key: $0.0.feedKey, value: $0.1.feedValue) }
    }

    /// Adds (or, for a key already present, overrides) a feed.
    public mutating func set(_ key: any FeedKeyConvertible, _ value: any FeedValueConvertible) {
        entries.append((key: key.feedKey, value: value.feedValue))
    }

    /// Whether there are no feeds.
    public var isEmpty: Bool { entries.isEmpty }
}
