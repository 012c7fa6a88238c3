@_spi(ActorFlowInternal) import ActorFlowCore

/// What the client receives from a task when its part of a step ended.
enum ClusterStatus: Sendable {
    /// Its part ran; on a traced step, its step stats (serialized `StepStats`).
    case ok(stats: [UInt8]?)
    /// One of its ops failed: the op and the error's text.
    case opFailed(String, String)
    /// Its step stopped on another task's abort notice (that task's failure is the one reported).
    case aborted
    /// Anything else that went wrong there.
    case error(String)

    init(_ message: NDArray) {
        guard message.dtype == .string, case .string(let s) = message.storage, let kind = s.first else {
            self = .error("a status message that is not ActorFlow's: \(message.debugDescription.prefix(120))")
            return
        }
        switch (kind, s.count) {
        case ("ok", 1): self = .ok(stats: nil)
        case ("ok", 2): self = .ok(stats: ClusterStats.bytes(fromText: s[1]))
        case ("failed", 3): self = .opFailed(s[1], s[2])
        case ("aborted", 1): self = .aborted
        case ("error", 2): self = .error(s[1])
        default: self = .error("an unknown status \(s)")
        }
    }

    var message: NDArray {
        switch self {
        case .ok(let stats?): NDArray(["ok", ClusterStats.text(fromBytes: stats)])
        case .ok(nil): NDArray(["ok"])
        case .opFailed(let op, let text): NDArray(["failed", op, text])
        case .aborted: NDArray(["aborted"])
        case .error(let text): NDArray(["error", text])
        }
    }

    /// How a task's part of a step ended.
    init(_ outcome: Result<FetchedValue, SessionError>) {
        switch outcome {
        case .success: self = .ok(stats: nil)
        case .failure(.opFailed(_, let underlying)) where underlying is ClusterAbort: self = .aborted
        case .failure(.opFailed(let op, let underlying)): self = .opFailed(op, "\(underlying)")
        case .failure(let error): self = .error("\(error)")
        }
    }
}

/// An op failed on another task of the cluster: what its kernel threw there, as text, and the task.
///
///     // SessionError.opFailed(op: "y", underlying: RemoteTaskError(task: 1, message: "negative input"))
///     print(error)   // Op 'y' failed: on /job:worker/replica:0/task:1: negative input …
public struct RemoteTaskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The task the op ran on.
    public let task: Int
    /// The error's description there.
    public let message: String

    public var description: String { "on /job:worker/replica:0/task:\(task): \(message)" }
}
