import ActorFlow
import ActorFlowExecutor
import ActorFlowWorkloads

/// What the steps of an `actorflow run` measured.
struct RunOutcome {
    /// The wall time of each step's `Session.run`, in order (nanoseconds).
    var stepNanos: [UInt64]
    /// The last step's fetched values, in the workload's `fetches` order.
    var fetched: [NDArray]
    /// The last step's metadata (step statistics when traced).
    var lastMetadata: RunMetadata
    /// Every traced step's statistics; `nil` at `--trace none`. Keeps node records only when a timeline is wanted.
    var accumulator: StepStatsAccumulator?
    /// Whether some LTTng session had `actorflow` events enabled when the steps ended.
    var tracepointsRecorded: Bool
    /// How many threads the policy can run the step's ops on (`nil` when Swift's pool decides).
    var threads: Int?
    /// The NUMA nodes of the pool's machine description.
    var numaNodes: Int
}

/// Runs a built workload step after step in one session, timing each `Session.run`.
enum RunMeasurement {
    /// Runs `settings.steps` steps of `built` under the settings' policy and trace level.
    ///
    /// Every step goes through the same `run(fetch:feeds:options:metadata:)` call whatever the level, so the times
    /// of different levels differ only by what tracing does. The accumulator is fed between the timed calls.
    ///
    /// - Throws: ``CommandLineError`` naming the step that failed and the session's error.
    static func measure(_ built: BuiltWorkload, settings: RunSettings) throws(CommandLineError) -> RunOutcome {
        let session = Session(graph: built.graph, options: SessionOptions(policy: settings.policy))
        defer { session.close() }
        let fetch = Fetch.list(built.fetches.map(Fetch.tensor) + built.targets.map(Fetch.operation))
        let options = RunOptions(traceLevel: settings.traceLevel)
        var accumulator = settings.isTraced ? StepStatsAccumulator(keepingNodeStats: settings.timeline != nil) : nil
        var stepNanos: [UInt64] = []
        stepNanos.reserveCapacity(min(settings.steps, 1 << 16))
        var metadata = RunMetadata()
        var fetched: [NDArray] = []
        let clock = ContinuousClock()

        for step in 1...settings.steps {
            let value: FetchedValue
            let start = clock.now
            do {
                value = try session.run(fetch: fetch, feeds: built.feeds, options: options, metadata: &metadata)
            } catch {
                throw CommandLineError("step \(step) of \(settings.steps) failed: \(error)")
            }
            stepNanos.append(nanoseconds(clock.now - start))
            accumulator?.add(metadata)
            if step == settings.steps {
                fetched = Self.tensors(in: value, count: built.fetches.count)
            }
        }
        return RunOutcome(
            stepNanos: stepNanos, fetched: fetched, lastMetadata: metadata, accumulator: accumulator,
            tracepointsRecorded: Tracepoints.isEnabled(.opStart), threads: threads(for: settings.policy),
            numaNodes: WorkStealingExecutor.shared.topology.nodes.count)
    }

    /// The first `count` values of a fetched list: the tensors (the ops that follow yield `none`).
    private static func tensors(in value: FetchedValue, count: Int) -> [NDArray] {
        guard case .list(let values) = value else { return [] }
        return values.prefix(count).compactMap { element in
            if case .tensor(let array) = element { array } else { nil }
        }
    }

    private static func threads(for policy: SchedulingPolicy) -> Int? {
        switch policy {
        case .workStealing, .globalQueue: WorkStealingExecutor.shared.parallelism
        case .callerThread: 1
        case .swiftDefault: nil
        }
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
