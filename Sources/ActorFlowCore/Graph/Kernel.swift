import Synchronization

/// The CPU implementation of an op: a function from input values to output values.
///
/// A kernel runs on an executor thread with its inputs resolved. It must be thread-safe (two steps may
/// run the same kernel at once) and throw ``KernelError`` (or any error) for bad runtime input; the
/// session reports it as ``SessionError/opFailed(op:underlying:)`` naming the op.
///
///     let double = Kernel { ctx in
///         let x = try ctx.inputs[0].scalars(as: Float.self)
///         return [try NDArray(shape: ctx.inputs[0].dimensions, scalars: x.map { $0 * 2 })]
///     }
public struct Kernel: Sendable {
    /// The kernel body.
    public typealias Compute = @Sendable (borrowing KernelContext) throws -> [NDArray]

    /// Computes the outputs.
    public let compute: Compute
    /// Whether the executor should make the op stealable rather than run it inline after its producer
    /// (TensorFlow's `IsExpensive()`): true for ops whose cost grows with their input, false for
    /// constant-time ops (const, identity, no-op, reshape).
    public let isExpensive: Bool

    public init(isExpensive: Bool = true, _ compute: @escaping Compute) {
        self.compute = compute
        self.isExpensive = isExpensive
    }
}

/// What a kernel sees when it runs: its op, its inputs, the session's state and the step's cancellation.
public struct KernelContext: ~Copyable {
    /// The op being run.
    public let op: Operation
    /// The input values, in the op's input order.
    public let inputs: [NDArray]
    /// The session's variables and stored tensors.
    public let state: SessionState
    /// The step's id (unique within the process).
    public let stepID: Int64
    /// Set when the step is cancelled (deadline, failure of another op, closed session).
    public let cancellation: StepCancellation

    public init(op: Operation, inputs: [NDArray], state: SessionState, stepID: Int64, cancellation: StepCancellation) {
        self.op = op
        self.inputs = inputs
        self.state = state
        self.stepID = stepID
        self.cancellation = cancellation
    }

    /// Whether the step was cancelled; long-running kernels should check it and stop early.
    public var isCancelled: Bool { cancellation.isCancelled }

    /// Throws ``SessionError/cancelled`` when the step was cancelled.
    public func checkCancellation() throws(SessionError) {
        if cancellation.isCancelled { throw .cancelled }
    }
}

/// A step's cancellation flag, shared by every kernel of the step.
public final class StepCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Cancels the step: nodes not yet started are skipped, running kernels see ``isCancelled``.
    public func cancel() { flag.store(true, ordering: .releasing) }
}
