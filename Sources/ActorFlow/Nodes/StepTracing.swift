import ActorFlowTracing

/// What a traced step records, decided per run: `nil` when nothing asks for a trace (the engine then pays one
/// branch per node), otherwise per-op records and, when asked, LTTng events.
///
/// Three things ask, each checked once per step: `RunOptions` (a trace level, or
/// `reportTensorAllocationsUponOom`), the session's flight recorder, and an LTTng session that has enabled
/// `actorflow:*` events (then every step emits them, even under `.noTrace`). What goes into the caller's
/// `RunMetadata` stays `RunOptions`' decision (``reportsStats``).
final class StepTracing: Sendable {
    /// Build the caller's `RunMetadata.stepStats` from the records (`RunOptions` asked for step statistics).
    let reportsStats: Bool
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
    /// The clock every record of the step is read on (`CLOCK_MONOTONIC` nanoseconds; see ``StepClock``).
    let clock: StepClock
    /// When the step started, on ``TraceClock``; the scheduled time of root nodes.
    var startNanos: UInt64 { clock.startNanos }

    /// What a step with these options traces, or `nil` when it traces nothing.
    ///
    /// - Parameters:
    ///   - flightRecording: The session keeps its steps' records (``SessionOptions/flightRecorderSteps``).
    ///   - names: The plan's interned names, made on first use.
    static func forStep(options: RunOptions, flightRecording: Bool, names: () -> PlanTraceNames) -> StepTracing? {
        let asked = options.traceLevel != .noTrace || options.collectsStepStats
        // One check per step, not per op: a listening LTTng session makes even an untraced step emit events.
        let listening = !asked && Tracepoints.anyEnabled
        guard asked || flightRecording || listening else { return nil }
        return StepTracing(options: options, lttngListening: listening, names: names())
    }

    init(options: RunOptions, lttngListening: Bool = false, names: PlanTraceNames) {
        let level = options.traceLevel.rawValue
        reportsStats = options.collectsStepStats
        emitsEvents = level >= RunOptions.TraceLevel.softwareTrace.rawValue || lttngListening
        recordsAllocations = level >= RunOptions.TraceLevel.fullTrace.rawValue
        buildsCostGraph = level >= RunOptions.TraceLevel.hardwareTrace.rawValue
        measuresHardware = buildsCostGraph && HardwareCounters.availability.isAvailable
        self.names = names
        // While an LTTng session records, records read CLOCK_MONOTONIC itself, so they interleave with its events.
        clock = StepClock.starting(exact: Tracepoints.anyEnabled)
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
