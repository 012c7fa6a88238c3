import ActorFlowExecutor
import Foundation

/// How a ``Session`` schedules its steps and what it assumes when a run does not say.
///
///     let s = Session(graph: g, options: SessionOptions(policy: .callerThread))
///     let pool = WorkStealingExecutor(workers: 1)            // a pool of its own, e.g. for benchmarks
///     let one = Session(graph: g, options: SessionOptions(executor: pool))
///
/// `interOpPolicies` plays the role of TensorFlow's `session_inter_op_thread_pool`: a run picks one with
/// `RunOptions.interOpThreadPool` (index 0 by default; -1 runs the step on the calling thread).
public struct SessionOptions: Sendable {
    /// The schedulers runs can choose from by index; index 0 is the default.
    public var interOpPolicies: [SchedulingPolicy]
    /// The deadline of runs whose `RunOptions.timeoutInMs` is 0 or less; 0 waits forever
    /// (TensorFlow's `ConfigProto.operation_timeout_in_ms`).
    public var operationTimeoutInMs: Int64
    /// The pool the `.workStealing` and `.globalQueue` policies run on; `nil` for the process-wide
    /// `WorkStealingExecutor.shared` (one pinned worker per allowed CPU).
    public var executor: WorkStealingExecutor?
    /// How many of the last steps the session keeps the step statistics of, at `.softwareTrace` detail or more,
    /// whatever each run's `RunOptions.traceLevel` says; 0 (the default) keeps none. Read them with
    /// ``Session/flightRecord()``: failed, cancelled and timed-out steps are kept too, with the ops that ran
    /// before the step stopped.
    ///
    ///     let s = Session(graph: g, options: SessionOptions(flightRecorderSteps: 16))
    ///     _ = try? s.run(z)                                      // untraced, maybe failing
    ///     for md in s.flightRecord() { print(md.stepStats.devStats[0].nodeStats.count) }
    ///
    /// Recording makes every step a traced one (times, threads, outputs and memory of every op): it costs what
    /// `.softwareTrace` costs, which is why it is off by default (Tracing/README.md, "Flight recorder").
    public var flightRecorderSteps: Int

    /// How many chunks of one op may run at once on the pool (TensorFlow's `intra_op_parallelism_threads`):
    /// 0 (the default) lets a large op use every worker, 1 keeps each op on one thread, N allows at most N
    /// chunks in flight. Kernels split their loops with `KernelContext.parallelFor`; small tensors stay on one
    /// thread whatever this says. Runs under `.callerThread` or `.swiftDefault` never split.
    ///
    ///     let serial = Session(graph: g, options: SessionOptions(intraOpParallelism: 1))
    public var intraOpParallelism: Int
    /// The processes the session spreads the graph over (`ActorFlowMPI`'s `MPICluster`), or `nil` for this
    /// process alone. With a cluster, ops run on the task their ``Graph/withDevice(_:_:)`` placement names (task 0,
    /// the client, when none), and this process must be task 0; the other tasks call `serve(graph)`.
    ///
    ///     let session = Session(graph: g, options: SessionOptions(cluster: try MPICluster()))
    public var cluster: (any ClusterTransport)?

    /// Creates options with one scheduling policy.
    ///
    /// The default policy is ``SchedulingPolicy/default`` unless the environment variable `ACTORFLOW_POLICY`
    /// names another (`ws-numa`, `ws`, `global`, `swift`, `caller`), so an existing program or test suite can
    /// be run under another policy unchanged.
    public init(
        policy: SchedulingPolicy = SessionOptions.environmentPolicy, operationTimeoutInMs: Int64 = 0,
        executor: WorkStealingExecutor? = nil, flightRecorderSteps: Int = 0, intraOpParallelism: Int = 0,
        cluster: (any ClusterTransport)? = nil
    ) {
        self.cluster = cluster
        self.interOpPolicies = [policy]
        self.operationTimeoutInMs = operationTimeoutInMs
        self.executor = executor
        self.flightRecorderSteps = max(0, flightRecorderSteps)
        self.intraOpParallelism = intraOpParallelism
    }

    /// The policy named by `ACTORFLOW_POLICY`, or ``SchedulingPolicy/default`` when it is unset. An unknown
    /// name is reported once on standard error and ignored.
    public static let environmentPolicy: SchedulingPolicy = {
        guard let name = ProcessInfo.processInfo.environment["ACTORFLOW_POLICY"], !name.isEmpty else {
            return .default
        }
        if let policy = SchedulingPolicy(name: name) { return policy }
        let valid = SchedulingPolicy.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(
            Data("ActorFlow: ignoring ACTORFLOW_POLICY=\(name): not one of \(valid)\n".utf8))
        return .default
    }()

    /// Creates options with several policies, selectable per run by index.
    public init(
        interOpPolicies: [SchedulingPolicy], operationTimeoutInMs: Int64 = 0, executor: WorkStealingExecutor? = nil,
        flightRecorderSteps: Int = 0, intraOpParallelism: Int = 0, cluster: (any ClusterTransport)? = nil
    ) {
        self.cluster = cluster
        self.interOpPolicies = interOpPolicies.isEmpty ? [SessionOptions.environmentPolicy] : interOpPolicies
        self.operationTimeoutInMs = operationTimeoutInMs
        self.executor = executor
        self.flightRecorderSteps = max(0, flightRecorderSteps)
        self.intraOpParallelism = intraOpParallelism
    }

    /// The default policy (index 0).
    public var policy: SchedulingPolicy {
        get { interOpPolicies[0] }
        set { interOpPolicies[0] = newValue }
    }
}
