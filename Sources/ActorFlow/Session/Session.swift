@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowProto
import ActorFlowTracing
import Synchronization

/// Runs a ``Graph``: the TensorFlow 1 `Session`.
///
/// A session owns per-session state (variable values, stored tensors), a cache of execution plans and
/// the schedulers its steps run on. `run` fetches values, optionally feeding tensors:
///
///     let g = Graph()
///     let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
///     let y = g.matMul(x, g.constant([[1], [2]] as [[Float]]))
///     let session = Session(graph: g)
///     let v = try session.run(y, feeds: [x: [[1, 2], [3, 4]] as [[Float]]])   // [[5.0], [11.0]]
///     session.close()
///
/// Any number of threads may call `run` at once. Every error is a ``SessionError`` naming the culprit,
/// and the session keeps working after it.
public final class Session: Sendable {
    /// The graph this session runs. It may keep growing; new ops are visible to later runs.
    public let graph: Graph
    /// The options the session was created with.
    public let options: SessionOptions
    /// Variable values and stored tensors of this session.
    public let state = SessionState()

    let plans: PlanCache
    /// Checked fetch structures and their plans, per run signature (see ``resolvedRun(_:fed:)``).
    private let resolvedRuns = Locked<[RunSignature: ResolvedRun]>([:])
    /// The pool behind the `.workStealing` and `.globalQueue` policies.
    let pool: WorkStealingExecutor
    private let lifecycle = Locked(Lifecycle())
    private let schedulers: [any WorkScheduler]
    /// The last steps' records, when ``SessionOptions/flightRecorderSteps`` is positive.
    let flightRecorder: FlightRecorder?
    /// Runs the chunks of kernels' `parallelFor` on ``pool`` (steps under the pool policies only).
    private let intraOp: IntraOpRunner
    /// `.swiftDefault` for runs called from a task: the firings' tasks prefer ``pool`` as their executor.
    private let swiftDefaultFromTasks: SwiftDefaultScheduler
    /// The client's side of ``SessionOptions/cluster``: steps run across its tasks.
    private let clusterClient: ClusterClient?

    /// Open or closed, the steps in flight (so `close()` can cancel them) and the partial runs.
    private struct Lifecycle {
        var isClosed = false
        var active: [ObjectIdentifier: StepRun] = [:]
        var partialRuns: [String: PartialRun] = [:]
        var partialRunCount = 0
    }

    static let nextStepID = Atomic<Int64>(1)

    /// Creates a session for `graph`.
    public init(graph: Graph, options: SessionOptions = SessionOptions()) {
        self.graph = graph
        self.options = options
        let pool = options.executor ?? .shared
        self.pool = pool
        self.plans = PlanCache(pool: pool)
        self.schedulers = options.interOpPolicies.map { SchedulerDirectory.scheduler(for: $0, on: pool) }
        self.swiftDefaultFromTasks = SwiftDefaultScheduler(taskExecutor: pool)
        self.flightRecorder = options.flightRecorderSteps > 0 ? FlightRecorder(capacity: options.flightRecorderSteps) : nil
        self.intraOp = IntraOpRunner(pool: PoolIntraOp(pool: pool), limit: options.intraOpParallelism)
        self.clusterClient = options.cluster.map { ClusterClient(graph: graph, transport: $0, options: options) }
    }

    /// The step statistics of the session's last ``SessionOptions/flightRecorderSteps`` steps, oldest first,
    /// whatever their runs' trace levels were: one ``RunMetadata`` per step, its `stepStats` built when read.
    /// Steps that failed, were cancelled or timed out are there too, with the ops that ran before they stopped; a
    /// step whose run returned at its deadline while a kernel still ran is added when that kernel returns.
    /// Empty when the recorder is off (the default).
    ///
    ///     let s = Session(graph: g, options: SessionOptions(flightRecorderSteps: 16))
    ///     _ = try? s.run(z)
    ///     let last = s.flightRecord().last!                       // the step that just ran
    ///     last.stepStats.devStats[0].nodeStats.map(\.nodeName)
    public func flightRecord() -> [RunMetadata] {
        flightRecorder?.steps() ?? []
    }

    /// The intra-op runner for steps on `scheduler`: the pool's for the pool policies; none (every op on one
    /// thread) for `.callerThread` and `.swiftDefault`, which have no workers to lend.
    func intraOpRunner(for scheduler: any WorkScheduler) -> IntraOpRunner? {
        switch scheduler.policy {
        case .workStealing, .globalQueue: intraOp
        case .callerThread, .swiftDefault: nil
        }
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { lifecycle.withLock { $0.isClosed } }

    /// Closes the session: steps in flight are cancelled (their runs throw ``SessionError/cancelled``),
    /// variables and stored tensors are released, and later runs throw ``SessionError/closed``.
    /// Closing twice does nothing.
    public func close() {
        let inFlight = lifecycle.withLock { life -> [StepRun] in
            guard !life.isClosed else { return [] }
            life.isClosed = true
            defer { life.partialRuns.removeAll() }
            return Array(life.active.values) + life.partialRuns.values.map(\.run)
        }
        for step in inFlight { step.stop(with: .cancelled) }
        clusterClient?.close()
        plans.removeAll()
        resolvedRuns.withLock { $0.removeAll() }
        state.reset()
    }

    /// The number of cached execution plans (one per distinct feed/fetch/target signature).
    public var cachedPlanCount: Int { plans.count }

    /// A cluster session's estimate of each other task's clock against this one's (see ``ClusterClockOffset``),
    /// made when its first step started; empty before that and for a session without ``SessionOptions/cluster``.
    /// A traced step's statistics from other tasks are already mapped onto this task's clock with it.
    ///
    ///     _ = try session.run(z)
    ///     session.clusterClockOffsets.map(\.uncertaintyNanos)   // e.g. [21450]: ±21 µs
    public var clusterClockOffsets: [ClusterClockOffset] { clusterClient?.clockOffsets ?? [] }

    // MARK: Partial runs

    /// Registers a partial run and returns its handle (TensorFlow's string form).
    func registerPartialRun(
        _ run: PartialRun, feeds: [Tensor], fetches: [Tensor], targets: [Operation]
    ) throws(SessionError) -> PartialRunHandle {
        try lifecycle.withLock { (life: inout Lifecycle) throws(SessionError) -> PartialRunHandle in
            guard !life.isClosed else { throw .closed }
            let text = feeds.map(\.name).sorted().joined(separator: ",") + "->"
                + fetches.map(\.name).sorted().joined(separator: ",") + "/"
                + targets.map(\.name).sorted().joined(separator: ",") + "/1/;\(life.partialRunCount)"
            life.partialRunCount += 1
            life.partialRuns[text] = run
            return PartialRunHandle(handle: text)
        }
    }

    func partialRun(for handle: PartialRunHandle) -> PartialRun? {
        lifecycle.withLock { $0.partialRuns[handle.handle] }
    }

    /// Forgets a partial run that completed or failed.
    func endPartialRun(_ handle: PartialRunHandle, _ run: PartialRun) {
        lifecycle.withLock { life in
            if life.partialRuns[handle.handle] === run { life.partialRuns[handle.handle] = nil }
        }
    }

    /// The number of partial runs in flight.
    public var partialRunCount: Int { lifecycle.withLock { $0.partialRuns.count } }

    // MARK: Running

    /// The scheduler for `RunOptions.interOpThreadPool` (TensorFlow's rules: `-1` is the caller's thread).
    func scheduler(forPool index: Int32) throws(SessionError) -> any WorkScheduler {
        if index == -1 { return SchedulerDirectory.callerThread }
        guard index >= 0, Int(index) < schedulers.count else {
            throw .invalidRunOptions(reason: "Invalid inter_op_thread_pool: \(index)")
        }
        return schedulers[Int(index)]
    }

    /// Runs `fetch` with `feeds`: the whole of `Session.run` below the typed overloads.
    ///
    /// `metadata` is `nil` when the caller passed none; otherwise it is overwritten with the step's metadata
    /// once the step completed, and left as it was when the run fails before.
    func execute(
        _ fetch: Fetch, feeds: FeedDict, options: RunOptions, metadata: inout RunMetadata?
    ) throws(SessionError) -> FetchedValue {
        // TensorFlow's validation order: closed, empty graph, feeds, fetches.
        guard !isClosed else { throw .closed }
        guard !graph.isEmpty else { throw .emptyGraph }
        if case .UNRECOGNIZED(let level) = options.traceLevel {
            throw .invalidRunOptions(
                reason: "Unknown trace_level \(level): expected NO_TRACE (0), SOFTWARE_TRACE (1), HARDWARE_TRACE (2) "
                    + "or FULL_TRACE (3)")
        }
        let fed = try FeedResolver(graph: graph, state: state).resolve(feeds)
        let resolved = try resolvedRun(fetch, fed: fed)

        var values = [NDArray?](repeating: nil, count: resolved.tensors.count)
        for (i, t) in resolved.tensors.enumerated() { values[i] = fed[t] }
        if let prepared = resolved.prepared {
            let computed: [NDArray]
            if let clusterClient {
                computed = try clusterClient.runStep(
                    prepared.plan, fetches: resolved.toCompute, fed: fed, options: options, metadata: &metadata)
            } else {
                let scheduler = try scheduler(forPool: options.interOpThreadPool)
                computed = try runStep(
                    prepared, fetches: resolved.toCompute, fed: fed, scheduler: scheduler, options: options,
                    metadata: &metadata)
            }
            var next = 0
            for i in values.indices where values[i] == nil {
                values[i] = computed[next]
                next += 1
            }
        } else if metadata != nil {
            metadata = RunMetadata()
        }
        var handles: [Int: TensorHandle] = [:]
        return try FetchResolver.build(resolved.template, values: values.map { $0! }, state: state, handles: &handles)
    }

    /// The checked fetch structure and plan for `fetch` with these fed tensors, cached per signature: a run
    /// that fetches 65,536 ops pays for checking and hashing them once, not on every step. Failures are not
    /// cached (a name that is unknown now may exist later).
    private func resolvedRun(_ fetch: Fetch, fed: [Tensor: NDArray]) throws(SessionError) -> ResolvedRun {
        let signature = RunSignature(fetch: fetch, fed: Set(fed.keys))
        let version = graph.fetchRestrictionsVersion
        if let cached = resolvedRuns.withLock({ $0[signature] }), cached.fetchRestrictionsVersion == version {
            return cached
        }
        var resolver = FetchResolver(graph: graph)
        let template = try resolver.resolve(fetch)
        let toCompute = resolver.tensors.filter { fed[$0] == nil }
        var prepared: PreparedPlan?
        if !toCompute.isEmpty || !resolver.targets.isEmpty {
            prepared = try plans.plan(fed: Set(fed.keys), fetches: toCompute, targets: resolver.targets)
        }
        let resolved = ResolvedRun(
            template: template, tensors: resolver.tensors, toCompute: toCompute, prepared: prepared,
            fetchRestrictionsVersion: version)
        resolvedRuns.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[signature] = resolved
        }
        return resolved
    }

    /// The scheduler for a step whose caller blocks on a thread of Swift's cooperative pool.
    ///
    /// Under `.swiftDefault`, tasks queued on that same pool could wait forever for the blocked thread; such
    /// steps' tasks prefer this session's worker pool as their executor instead: still one task per firing,
    /// on threads nothing here blocks. Other policies run on threads of their own already.
    func scheduler(blockingFromTask scheduler: any WorkScheduler) -> any WorkScheduler {
        scheduler.policy == .swiftDefault ? swiftDefaultFromTasks : scheduler
    }

    /// Runs one step of the plan for this signature and returns the fetched values in `fetches` order.
    private func runStep(
        _ prepared: PreparedPlan, fetches: [Tensor], fed: [Tensor: NDArray], scheduler: any WorkScheduler,
        options: RunOptions, metadata: inout RunMetadata?
    ) throws(SessionError) -> [NDArray] {
        let inTask = unsafe withUnsafeCurrentTask { unsafe $0 != nil }
        let scheduler = inTask ? self.scheduler(blockingFromTask: scheduler) : scheduler
        let plan = prepared.plan
        let step = prepared.acquireStep()
        let timeout = options.timeoutInMs > 0 ? options.timeoutInMs : self.options.operationTimeoutInMs
        let tracing = StepTracing.forStep(
            options: options, flightRecording: flightRecorder != nil, names: { prepared.names })
        let run = StepRun(
            step: step, state: state, stepID: Session.nextStepID.add(1, ordering: .relaxed).oldValue,
            timeoutInMs: timeout, tracing: tracing, scheduler: scheduler, intraOp: intraOpRunner(for: scheduler))
        let id = ObjectIdentifier(run)
        do {
            try lifecycle.withLock { (life: inout Lifecycle) throws(SessionError) in
                guard !life.isClosed else { throw .closed }
                life.active[id] = run
            }
        } catch {
            prepared.releaseStep(step)
            throw error
        }
        // A run from inside a traced kernel is not that kernel's allocation, nor its loops: its nodes (run inline on
        // this thread by some policies, or by this worker while it helps) are tracked by their own scopes and
        // tallies, or not at all.
        let drained = AllocationScope.suspended {
            IntraOpTally.suspended {
                run.start(feeds: plan.feedTensors.map { fed[$0]! }, scheduler: scheduler)
                return run.waitUntilDone(helping: pool)
            }
        }
        lifecycle.withLock { _ = $0.active.removeValue(forKey: id) }
        guard drained else {
            // Stopped (deadline, failure, close) with a kernel still running: return now; the step finishes and
            // frees itself when that kernel ends (reaching the flight recorder then), and is not reused.
            run.abandon { [flightRecorder] run, records in
                guard let flightRecorder, let tracing = run.tracing, let records else { return }
                for i in records.indices { records[i].sealAllocations() }
                let source = self.statsSource(records, of: prepared, step: run.step, tracing: tracing, policy: scheduler.policy)
                flightRecorder.record(RunMetadata(Tensorflow_RunMetadata(), statsFrom: source))
            }
            throw run.error ?? .deadlineExceeded(timeoutInMs: timeout)
        }
        let (result, records) = run.finish()
        defer { prepared.releaseStep(step) }
        var source: StepStatsSource?
        if let tracing = run.tracing, let records {
            // What the metadata reports is what the allocation scopes saw by the step's end: later frees reach only
            // the LTTng `free` events and the process's live counts. Sealed in place, in the step's own table.
            for i in records.indices { records[i].sealAllocations() }
            source = statsSource(records, of: prepared, step: step, tracing: tracing, policy: scheduler.policy)
        }
        if let flightRecorder, let source {
            // Failed, cancelled and timed-out steps too: what ran before the step stopped.
            flightRecorder.record(RunMetadata(Tensorflow_RunMetadata(), statsFrom: source))
        }
        let values = try result.get()
        if metadata != nil {
            // Each run overwrites the metadata (TensorFlow); its step statistics are built when read.
            var filled = Tensorflow_RunMetadata()
            if options.outputPartitionGraphs {
                filled.partitionGraphs = PartitionGraph.graphDefs(of: plan)
            }
            metadata = RunMetadata(filled, statsFrom: run.tracing?.reportsStats == true ? source : nil)
        }
        return fetches.map { values[plan.fetchSlot[$0]! - plan.inputSlotCount] }
    }

    /// The sealed records of a traced step, as the source of its step statistics.
    private func statsSource(
        _ records: NodeRecordTable, of prepared: PreparedPlan, step: StepState, tracing: StepTracing,
        policy: SchedulingPolicy
    ) -> StepStatsSource {
        StepStatsSource(
            records: records, returningTo: step.spareRecords, policy: policy,
            builder: StepStatsBuilder(
                includeAllocationRecords: tracing.recordsAllocations, numaNodeCount: pool.topology.nodes.count),
            costGraph: tracing.buildsCostGraph ? HardwareCounters.availability : nil, plan: prepared.statsPlan,
            recycler: step.statsRecycler)
    }
}

/// What identifies a run for caching: the fetch structure and the set of fed tensors.
struct RunSignature: Hashable, Sendable {
    let fetch: Fetch
    let fed: Set<Tensor>
}

/// A checked fetch structure: its leaves, which of them a step computes, and the plan that does.
struct ResolvedRun: Sendable {
    let template: FetchResolver.Template
    let tensors: [Tensor]
    let toCompute: [Tensor]
    /// `nil` when nothing runs (every fetch is fed and there are no targets).
    let prepared: PreparedPlan?
    let fetchRestrictionsVersion: Int
}
