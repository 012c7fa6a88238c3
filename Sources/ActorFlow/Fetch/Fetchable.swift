/// A typed fetch: something `Session.run` can fetch, with the Swift type of its result.
///
/// `Tensor → NDArray`, `Operation → Void`, `SparseTensor → SparseTensorValue`, `Variable → NDArray`,
/// `SessionHandleTensor → TensorHandle`, `String → FetchedValue`, `[F] → [F.Fetched]`,
/// `[K: F] → [K: F.Fetched]`. Your own structs conform by describing themselves as a ``Fetch`` and
/// rebuilding from the matching ``FetchedValue`` (TensorFlow's namedtuple/attrs fetches):
///
///     struct Layer: Fetchable {
///         var weights: Tensor, output: Tensor
///         var fetch: Fetch { .list([.tensor(weights), .tensor(output)]) }
///         func fetched(from value: FetchedValue) throws(SessionError) -> (weights: NDArray, output: NDArray) {
///             let v = try value.listValue()
///             return (try v[0].ndarray(), try v[1].ndarray())
///         }
///     }
///     let (w, out) = try session.run(Layer(weights: w, output: y))
public protocol Fetchable {
    /// The Swift type of the fetched result.
    associatedtype Fetched
    /// This fetch as a dynamic structure.
    var fetch: Fetch { get }
    /// Rebuilds the typed result from the value of ``fetch``.
    func fetched(from value: FetchedValue) throws(SessionError) -> Fetched
}

extension Tensor: Fetchable {
    public var fetch: Fetch { .tensor(self) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> NDArray { try value.ndarray() }
}

extension Operation: Fetchable {
    public var fetch: Fetch { .operation(self) }
    public func fetched(from value: FetchedValue) throws(SessionError) {}
}

extension SparseTensor: Fetchable {
    public var fetch: Fetch { .sparse(self) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> SparseTensorValue {
        try value.sparseValue()
    }
}

extension String: Fetchable {
    /// `"op:0"` fetches a tensor, `"op"` runs an operation.
    public var fetch: Fetch { .name(self) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> FetchedValue { value }
}

extension Fetch: Fetchable {
    public var fetch: Fetch { self }
    public func fetched(from value: FetchedValue) throws(SessionError) -> FetchedValue { value }
}

extension Array: Fetchable where Element: Fetchable {
    public var fetch: Fetch { .list(map(\.fetch)) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> [Element.Fetched] {
        let values = try value.listValue()
        guard values.count == count else {
            throw .invalidValue(reason: "expected \(count) fetched values, got \(values.count)")
        }
        var out: [Element.Fetched] = []
        out.reserveCapacity(count)
        for (element, v) in zip(self, values) { out.append(try element.fetched(from: v)) }
        return out
    }
}

extension Dictionary: Fetchable where Value: Fetchable {
    /// Keys may be of any `Hashable` type; the result has the same keys.
    public var fetch: Fetch { .list(map(\.value.fetch)) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> [Key: Value.Fetched] {
        let values = try value.listValue()
        guard values.count == count else {
            throw .invalidValue(reason: "expected \(count) fetched values, got \(values.count)")
        }
        var out: [Key: Value.Fetched] = [:]
        out.reserveCapacity(count)
        // `map` and `zip` walk the same, unmutated dictionary, so entries line up with `fetch`.
        for ((key, element), v) in zip(self, values) { out[key] = try element.fetched(from: v) }
        return out
    }
}
