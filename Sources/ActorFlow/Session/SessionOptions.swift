/// How a ``Session`` schedules its steps and what it assumes when a run does not say.
///
///     let s = Session(graph: g, options: SessionOptions(policy: .callerThread))
///
/// `interOpPolicies` plays the role of TensorFlow's `session_inter_op_thread_pool`: a run picks one with
/// `RunOptions.interOpThreadPool` (index 0 by default; -1 runs the step on the calling thread).
public struct SessionOptions: Sendable {
    /// The schedulers runs can choose from by index; index 0 is the default.
    public var interOpPolicies: [SchedulingPolicy]
    /// The deadline of runs whose `RunOptions.timeoutInMs` is 0 or less; 0 waits forever
    /// (TensorFlow's `ConfigProto.operation_timeout_in_ms`).
    public var operationTimeoutInMs: Int64

    /// Creates options with one scheduling policy.
    public init(policy: SchedulingPolicy = .default, operationTimeoutInMs: Int64 = 0) {
        self.interOpPolicies = [policy]
        self.operationTimeoutInMs = operationTimeoutInMs
    }

    /// Creates options with several policies, selectable per run by index.
    public init(interOpPolicies: [SchedulingPolicy], operationTimeoutInMs: Int64 = 0) {
        self.interOpPolicies = interOpPolicies.isEmpty ? [.default] : interOpPolicies
        self.operationTimeoutInMs = operationTimeoutInMs
    }

    /// The default policy (index 0).
    public var policy: SchedulingPolicy {
        get { interOpPolicies[0] }
        set { interOpPolicies[0] = newValue }
    }
}
