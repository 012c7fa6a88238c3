/// A tensor kept in session state between runs: what fetching a `getSessionHandle` output returns.
///
/// Feed a handle as a value to substitute the stored tensor itself, or feed ``handle`` (the string) to
/// the placeholder of `getSessionTensor`. The stored tensor is deleted when the last reference to the
/// `TensorHandle` goes away, or at once with ``delete()`` (TensorFlow collects dead handles in batches
/// of ten; we free them immediately).
///
///     let h = try session.run(g.getSessionHandle(z))     // TensorHandle
///     let v = try h.value()                              // the stored NDArray
///     let r = try session.run(g.mul(x, three), feeds: [x: h])
public final class TensorHandle: Sendable, FeedValueConvertible, CustomStringConvertible, Equatable {
    /// TensorFlow's handle string: `"<op name>;<id>;<device>"`.
    public let handle: String
    /// The stored tensor's dtype.
    public let dtype: DType
    /// The stored tensor's dimensions.
    public let dimensions: [Int]
    private let owner: Owner

    /// A weak reference to the session state holding the tensor.
    private final class Owner: Sendable {
        weak let state: SessionState?
        init(_ state: SessionState) { self.state = state }
    }

    /// Creates a handle for a tensor already stored in `state`.
    public init(handle: String, dtype: DType, dimensions: [Int], state: SessionState) {
        self.handle = handle
        self.dtype = dtype
        self.dimensions = dimensions
        self.owner = Owner(state)
    }

    deinit {
        owner.state?.deleteHandle(handle)
    }

    /// Whether this handle's tensor lives in `state`.
    public func belongs(to state: SessionState) -> Bool { owner.state === state }

    /// The stored tensor (TensorFlow's `TensorHandle.eval()`).
    ///
    /// - Throws: ``SessionError/invalidHandle(handle:)`` after ``delete()`` or once the session closed.
    public func value() throws(SessionError) -> NDArray {
        guard let state = owner.state else { throw .invalidHandle(handle: handle) }
        return try state.handleValue(handle)
    }

    /// Deletes the stored tensor now.
    public func delete() {
        owner.state?.deleteHandle(handle)
    }

    public var feedValue: FeedValue { .handle(self) }

    public var description: String { "TensorHandle(\(handle), \(dtype), \(dimensions.shapeDescription))" }

    public static func == (lhs: TensorHandle, rhs: TensorHandle) -> Bool { lhs.handle == rhs.handle }
}
