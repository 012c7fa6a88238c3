/// Something that can key a feed: a `Tensor`, a tensor name `"x:0"`, a `SparseTensor`, or a ``FeedKey``
/// structure.
public protocol FeedKeyConvertible: Sendable {
    /// The key in the form the session consumes.
    var feedKey: FeedKey { get }
}

/// The forms a feed key takes.
///
/// Structured keys feed several tensors from one structured value (TensorFlow's nested-tuple keys):
///
///     let feeds: FeedDict = [FeedKey.structure([.tensor(a), .name("b:0")]): FeedStructure([Float(1), Float(2)])]
public enum FeedKey: Sendable, Hashable, FeedKeyConvertible, CustomStringConvertible {
    case tensor(Tensor)
    /// A tensor name, `"<op name>:<output index>"`.
    case name(String)
    case sparse(SparseTensor)
    /// Several keys fed from a ``FeedStructure`` of the same length.
    case structure([FeedKey])

    public var feedKey: FeedKey { self }

    public var description: String {
        switch self {
        case .tensor(let t): t.name
        case .name(let n): "'\(n)'"
        case .sparse(let s): s.description
        case .structure(let keys): "(" + keys.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

extension Tensor: FeedKeyConvertible {
    public var feedKey: FeedKey { .tensor(self) }
}

extension String: FeedKeyConvertible {
    public var feedKey: FeedKey { .name(self) }
}

extension SparseTensor: FeedKeyConvertible {
    public var feedKey: FeedKey { .sparse(self) }
}
