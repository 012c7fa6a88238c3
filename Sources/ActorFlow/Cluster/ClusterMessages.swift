@_spi(ActorFlowInternal) import ActorFlowCore

/// What a `_Recv` throws when the task it waits for sent an abort notice: that task's step failed first.
struct ClusterAbort: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// The cluster's own messages: control tags, the step's status, abort notices, empty stand-in values.
enum ClusterMessages {
    /// From the client to a task: a step's route, or "close".
    static let controlTag = 1
    /// From a task to the client: how its part of the step ended.
    static let statusTag = 2
    /// Both ways: the clock readings of ``ClusterClock``.
    static let clockTag = 3
    /// Both ways: pings from the client and their answers (``ClusterLiveness``).
    static let heartbeatTag = 4
    /// From the client to a task: another task died (its number, an int64 scalar).
    static let deathTag = 5

    static let token = (try? NDArray(shape: [0], scalars: [Float]())) ?? NDArray(Float(0))

    static let abortMarker = "\u{1}actorflow-abort"
    static let closeMarker = "\u{1}actorflow-close"
    static let clockMarker = "\u{1}actorflow-clock"

    static func abort(_ reason: String) -> NDArray { NDArray([abortMarker, reason]) }

    /// The reason in an abort notice, or `nil` for any other value.
    static func abortReason(_ value: NDArray) -> String? {
        guard value.dtype == .string, value.dimensions == [2], case .string(let s) = value.storage,
            s[0] == abortMarker
        else { return nil }
        return s[1]
    }

    /// An empty value of `dtype`, for the outputs of a `_Recv` that this task does not consume.
    static func empty(_ dtype: DType) -> NDArray {
        let value: NDArray? =
            switch dtype {
            case .float32: try? NDArray(shape: [0], scalars: [Float]())
            case .float64: try? NDArray(shape: [0], scalars: [Double]())
            case .int32: try? NDArray(shape: [0], scalars: [Int32]())
            case .int64: try? NDArray(shape: [0], scalars: [Int64]())
            case .bool: try? NDArray(shape: [0], scalars: [Bool]())
            case .string: try? NDArray(shape: [0], scalars: [String]())
            }
        return value ?? NDArray(Float(0))
    }
}
