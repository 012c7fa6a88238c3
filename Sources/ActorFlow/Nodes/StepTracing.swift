import ActorFlowTracing

/// What a traced step records, decided per run from `RunOptions`: `nil` at `.noTrace` (the engine then
/// pays one branch per node), otherwise step statistics and, from `.softwareTrace` up, LTTng events.
final class StepTracing: Sendable {
    /// Fill `NodeExecRecord`s for `RunMetadata.stepStats`.
    let collectsStats: Bool
    /// Emit `actorflow:*` LTTng tracepoints (each still checks its own enabled flag first).
    let emitsEvents: Bool
    /// Include allocation records (`.fullTrace`).
    let recordsAllocations: Bool
    /// Read hardware counters around each kernel (`.hardwareTrace` and `.fullTrace`, where available).
    let measuresHardware: Bool
    /// Fill `RunMetadata.costGraph` (`.hardwareTrace` and `.fullTrace`).
    let buildsCostGraph: Bool
    /// Interned op names and types for the events, indexed by plan node.
    let names: PlanTraceNames
    /// When the step started, on ``TraceClock``; the scheduled time of root nodes.
    let startNanos: UInt64

    init(options: RunOptions, names: PlanTraceNames) {
        let level = options.traceLevel.rawValue
        collectsStats = options.collectsStepStats
        emitsEvents = level >= RunOptions.TraceLevel.softwareTrace.rawValue
        recordsAllocations = level >= RunOptions.TraceLevel.fullTrace.rawValue
        buildsCostGraph = level >= RunOptions.TraceLevel.hardwareTrace.rawValue
        measuresHardware = buildsCostGraph && HardwareCounters.availability.isAvailable
        self.names = names
        startNanos = TraceClock.now()
    }
}

/// The C strings LTTng events carry for each node of a plan, made once per plan on its first traced run.
final class PlanTraceNames: Sendable {
    let names: [InternedCString]
    let types: [InternedCString]

    init(_ plan: ExecutionPlan) {
        names = plan.nodes.map { InternedCString($0.op.name) }
        types = plan.nodes.map { InternedCString($0.op.type) }
    }
}
