/// A fetch structure built at run time: the dynamic form of what `Session.run` fetches.
///
/// Use it when the structure is only known at run time or mixes kinds; typed fetches (``Fetchable``)
/// cover the static cases.
///
///     let any = try session.run(fetch: .dict(["k1": .list([.tensor(a), .name("x:0")])]),
///                               feeds: ["x:0": NDArray([[1, 2]] as [[Float]])])
///     // FetchedValue.dict(["k1": .list([.tensor(...), .tensor(...)])])
public enum Fetch: Sendable, Hashable {
    /// A tensor; yields ``FetchedValue/tensor(_:)`` (or ``FetchedValue/handle(_:)`` for a session-handle op).
    case tensor(Tensor)
    /// An op run for its effect; yields ``FetchedValue/none``.
    case operation(Operation)
    /// A sparse tensor; yields ``FetchedValue/sparse(_:)``.
    case sparse(SparseTensor)
    /// `"op:0"` names a tensor, `"op"` an operation (TensorFlow's string fetches).
    case name(String)
    /// A list; yields ``FetchedValue/list(_:)`` in the same order.
    case list([Fetch])
    /// A dictionary; yields ``FetchedValue/dict(_:)`` with the same keys.
    case dict([String: Fetch])
}

/// A fetched structure: the value of a ``Fetch``, with the same shape.
public enum FetchedValue: Sendable, Equatable, CustomStringConvertible {
    /// A dense value.
    case tensor(NDArray)
    /// A sparse value.
    case sparse(SparseTensorValue)
    /// A tensor kept in session state (fetch of a `getSessionHandle` output).
    case handle(TensorHandle)
    /// What fetching an op yields (TensorFlow's `None`).
    case none
    /// A list of values.
    case list([FetchedValue])
    /// A dictionary of values.
    case dict([String: FetchedValue])

    /// The dense value.
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` when this is not ``tensor(_:)``.
    public func ndarray() throws(SessionError) -> NDArray {
        guard case .tensor(let v) = self else { throw .invalidValue(reason: "expected a tensor value, got \(kind)") }
        return v
    }

    /// The sparse value.
    public func sparseValue() throws(SessionError) -> SparseTensorValue {
        guard case .sparse(let v) = self else { throw .invalidValue(reason: "expected a sparse value, got \(kind)") }
        return v
    }

    /// The session handle.
    public func tensorHandle() throws(SessionError) -> TensorHandle {
        guard case .handle(let v) = self else { throw .invalidValue(reason: "expected a tensor handle, got \(kind)") }
        return v
    }

    /// The elements of a list.
    public func listValue() throws(SessionError) -> [FetchedValue] {
        guard case .list(let v) = self else { throw .invalidValue(reason: "expected a list, got \(kind)") }
        return v
    }

    /// The entries of a dictionary.
    public func dictValue() throws(SessionError) -> [String: FetchedValue] {
        guard case .dict(let v) = self else { throw .invalidValue(reason: "expected a dictionary, got \(kind)") }
        return v
    }

    private var kind: String {
        switch self {
        case .tensor: "a tensor"
        case .sparse: "a sparse value"
        case .handle: "a tensor handle"
        case .none: "none (an operation)"
        case .list: "a list"
        case .dict: "a dictionary"
        }
    }

    public var description: String {
        switch self {
        case .tensor(let v): v.description
        case .sparse(let v): v.description
        case .handle(let v): v.description
        case .none: "none"
        case .list(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .dict(let v):
            "[" + v.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
        }
    }
}
