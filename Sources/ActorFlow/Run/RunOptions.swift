import ActorFlowProto

/// Options for one `Session.run`: TensorFlow's `RunOptions` message, with its field names and numbers.
///
/// This is the generated protobuf message `Tensorflow_RunOptions`, so its bytes are TensorFlow's bytes and
/// every field TensorFlow defines is here under its Swift-cased name (`traceLevel`, `timeoutInMs`,
/// `interOpThreadPool`, `outputPartitionGraphs`, `debugOptions`, `reportTensorAllocationsUponOom`,
/// `experimental`). The convenience initializer below covers the fields a run usually sets:
///
///     let traced = RunOptions(traceLevel: .fullTrace)
///     let bounded = RunOptions(timeoutInMs: 200)
///     let inline = RunOptions(interOpThreadPool: -1)          // run on the caller's thread
///     print(try RunOptions(traceLevel: .fullTrace, timeoutInMs: 200).serializedBytes() as [UInt8])
///     // [8, 3, 16, 200, 1]
///
/// The trace levels are ``RunOptions/TraceLevel``: `.noTrace`, `.softwareTrace`, `.hardwareTrace`,
/// `.fullTrace`. Any level above `.noTrace` fills ``RunMetadata/stepStats``.
public typealias RunOptions = Tensorflow_RunOptions

extension RunOptions {
    /// Creates run options from the fields a run usually sets; every other field keeps its default.
    ///
    ///     let options = RunOptions(traceLevel: .softwareTrace, outputPartitionGraphs: true)
    ///     options.traceLevel          // .softwareTrace
    ///     options.timeoutInMs         // 0 (use the session's default)
    ///
    /// - Parameters:
    ///   - traceLevel: How much to record into ``RunMetadata/stepStats``; `.noTrace` records nothing.
    ///   - timeoutInMs: The deadline for the whole step in milliseconds; `0` or less uses the session's
    ///     default (no deadline unless the session sets one).
    ///   - interOpThreadPool: The index of the session's inter-op pool that runs the step; `-1` runs it on
    ///     the caller's thread. The session rejects an index it does not have.
    ///   - outputPartitionGraphs: Whether ``RunMetadata/partitionGraphs`` is filled.
    public init(
        traceLevel: TraceLevel = .noTrace,
        timeoutInMs: Int64 = 0,
        interOpThreadPool: Int32 = 0,
        outputPartitionGraphs: Bool = false
    ) {
        self.init()
        self.traceLevel = traceLevel
        self.timeoutInMs = timeoutInMs
        self.interOpThreadPool = interOpThreadPool
        self.outputPartitionGraphs = outputPartitionGraphs
    }

    /// Whether these options ask for step statistics: a trace level above `.noTrace` (compared by number,
    /// as TensorFlow does, so an unrecognized level from newer bytes counts when it is positive), or
    /// `reportTensorAllocationsUponOom`. TensorFlow also collects on cost-model steps, which a session
    /// config decides, not the run options.
    ///
    ///     RunOptions().collectsStepStats                              // false
    ///     RunOptions(traceLevel: .softwareTrace).collectsStepStats    // true
    public var collectsStepStats: Bool {
        traceLevel.rawValue > TraceLevel.noTrace.rawValue || reportTensorAllocationsUponOom
    }
}
