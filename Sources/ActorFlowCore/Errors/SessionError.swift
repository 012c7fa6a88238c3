/// Every error ActorFlow reports to a user: bad fetches, bad feeds, bad graphs, failing ops, deadlines.
///
/// Each case carries the name of the culprit (the tensor, the op, the key) and `description` says it the
/// way TensorFlow does, so a message found in TensorFlow's documentation means the same thing here.
/// After any of these errors the session stays usable.
///
///     do {
///         _ = try session.run(y, feeds: [x: [1, 2, 3] as [Float]])
///     } catch let error as SessionError {
///         print(error)   // Cannot feed value of shape (3,) for Tensor x:0, which has shape (?, 2)
///     }
///
/// The set is closed: `run` throws `SessionError` and nothing else.
public enum SessionError: Error, Sendable, CustomStringConvertible {
    /// The session was closed before or during the call (TF: `RuntimeError`, `CancelledError`).
    case closed
    /// The graph holds no operations (TF: "The Session graph is empty.").
    case emptyGraph
    /// A fetch cannot be interpreted as a graph element.
    case invalidFetch(fetch: String, reason: String)
    /// A tensor name names no tensor: the op is missing, or the output index is out of range.
    case unknownTensor(name: String, reason: String)
    /// An op name names no operation of the graph.
    case unknownOperation(name: String)
    /// A tensor or op of another graph was used with this session.
    case notInGraph(element: String)
    /// A feed key cannot be interpreted as a tensor (TF: "Cannot interpret feed_dict key as Tensor").
    case invalidFeedKey(key: String, reason: String)
    /// A feed value cannot be converted to the fed tensor's dtype, or is malformed.
    case invalidFeed(tensor: String, reason: String)
    /// A value's shape is incompatible with a tensor's static shape.
    case shapeMismatch(tensor: String, expected: TensorShape, actual: [Int])
    /// A value or input has the wrong dtype.
    case dtypeMismatch(tensor: String, expected: DType, actual: DType)
    /// The tensor was marked with `Graph.preventFeeding`.
    case notFeedable(tensor: String)
    /// The op was marked with `Graph.preventFetching`.
    case notFetchable(op: String)
    /// A placeholder needed by the fetches was not fed.
    case missingFeed(placeholder: String, dtype: DType, shape: TensorShape)
    /// An op could not be built (bad input shapes, dtypes, …); reported when a run needs it.
    case invalidGraph(op: String, reason: String)
    /// A `RunOptions` field is out of range (TF: `InvalidArgumentError`).
    case invalidRunOptions(reason: String)
    /// The step did not finish within `RunOptions.timeoutInMs`; it was cancelled and drained.
    case deadlineExceeded(timeoutInMs: Int64)
    /// The step was cancelled (the session was closed while it ran).
    case cancelled
    /// An op's kernel threw; `op` is the op's name, `underlying` what its kernel threw.
    case opFailed(op: String, underlying: any Error)
    /// A `TensorHandle` is unknown to this session (deleted, or from another session).
    case invalidHandle(handle: String)
    /// An ``NDArray`` was read or built with the wrong element type or element count.
    case invalidValue(reason: String)
    /// A partial run was misused: unknown handle, a feed or fetch not declared at setup or used twice,
    /// a fetch whose feeds have not all been fed (TF: `InvalidArgumentError`).
    case invalidPartialRun(reason: String)
    /// A step over a cluster's tasks could not run: the tasks could not exchange its tensors, or a task sent
    /// something that is not ActorFlow's (an op that failed on another task is ``opFailed(op:underlying:)``).
    case cluster(reason: String)

    public var description: String {
        switch self {
        case .closed:
            return "Attempted to use a closed Session."
        case .emptyGraph:
            return "The Session graph is empty. Add operations to the graph before calling run()."
        case .invalidFetch(let fetch, let reason):
            return "Argument `fetch` = \(fetch) cannot be interpreted as a Tensor. (\(reason))"
        case .unknownTensor(let name, let reason):
            return "The name '\(name)' refers to a Tensor which does not exist. \(reason)"
        case .unknownOperation(let name):
            return "The name '\(name)' refers to an Operation not in the graph."
        case .notInGraph(let element):
            return "\(element) is not an element of this graph."
        case .invalidFeedKey(let key, let reason):
            return "Cannot interpret feed_dict key \(key) as Tensor: \(reason)"
        case .invalidFeed(let tensor, let reason):
            return "Cannot feed value for Tensor \(tensor): \(reason)"
        case .shapeMismatch(let tensor, let expected, let actual):
            return "Cannot feed value of shape \(actual.shapeDescription) for Tensor \(tensor), which has shape \(expected)"
        case .dtypeMismatch(let tensor, let expected, let actual):
            return "Tensor \(tensor) expects dtype \(expected) but \(actual) was provided"
        case .notFeedable(let tensor):
            return "Tensor \(tensor) may not be fed."
        case .notFetchable(let op):
            return "Operation \(op) has been marked as not fetchable."
        case .missingFeed(let placeholder, let dtype, let shape):
            return "You must feed a value for placeholder tensor '\(placeholder)' with dtype \(dtype)"
                + (shape.dimensions == nil ? "" : " and shape \(shape.tfBracketDescription)")
        case .invalidGraph(let op, let reason):
            return "Operation '\(op)' is invalid: \(reason)"
        case .invalidRunOptions(let reason):
            return "Invalid RunOptions: \(reason)"
        case .deadlineExceeded(let timeout):
            return "Timed out waiting for notification (step exceeded timeoutInMs = \(timeout))"
        case .cancelled:
            return "Run call was cancelled"
        case .opFailed(let op, let underlying):
            return "Op '\(op)' failed: \(underlying)\n\t [[{{node \(op)}}]]"
        case .invalidHandle(let handle):
            return "Unknown session tensor handle '\(handle)' (deleted, or from another session)"
        case .invalidValue(let reason):
            return "Invalid value: \(reason)"
        case .invalidPartialRun(let reason):
            return reason
        case .cluster(let reason):
            return "Cluster step failed: \(reason)"
        }
    }
}

extension TensorShape {
    /// TensorFlow's C++ spelling used in runtime messages: `[2]`, `[?,2]`, `[]`.
    package var tfBracketDescription: String {
        guard let dimensions else { return "<unknown>" }
        return "[" + dimensions.map { $0.map(String.init) ?? "?" }.joined(separator: ",") + "]"
    }
}

/// The error a kernel throws for a bad runtime input (TF's `InvalidArgumentError` raised inside an op).
///
/// The session wraps it in ``SessionError/opFailed(op:underlying:)`` so the message names the op.
///
///     throw KernelError("Incompatible shapes: [2] vs. [3]")
public struct KernelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in TensorFlow's wording where there is one.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
