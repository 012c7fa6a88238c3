@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing
import Dispatch
import Synchronization

/// One run of a step: the per-run inputs (feeds, session state, deadline, tracing), the completion count
/// and the first error, around a pooled ``StepState`` (node actors and value slots).
///
/// As a ``WorkTarget`` its items are node ids: running item `n` fires node `n`, delivers its outputs,
/// decrements its successors' pending counts, keeps one newly ready successor to fire next on the same
/// thread and pushes the others to the scheduler, where idle workers can steal them.
///
/// Everything a firing reads is a `let` of this object, so the hot path has no runtime exclusivity checks.
/// A full step's work items borrow it (``WorkItem/init(borrowing:index:)``: no reference counting on an object
/// all workers share): the session holds the step until its latch opens, and the firing that opens it keeps the
/// step alive until it is done with it. A partial run's items own it (see ``item(_:)``).
@safe final class StepRun: WorkTarget, Sendable {
    let step: StepState
    let plan: ExecutionPlan
    /// The plan's firing table, read without retaining the table (``plan`` keeps it alive).
    let firing: FiringTable.View
    let nodes: NodeActors
    let slots: UnsafeValueSlots
    /// The step state's custom-op input arrays (see ``InputArrays``).
    let inputArrays: InputArrays
    let pending: PendingCounts
    let records: NodeRecordTable
    let sessionState: SessionState
    let stepID: Int64
    let cancellation: StepCancellation
    /// ``sessionState`` and ``cancellation`` unretained, for the kernel contexts of untraced firings (the step
    /// holds both for its whole life).
    @safe let unretainedState: Unmanaged<SessionState>
    @safe let unretainedCancellation: Unmanaged<StepCancellation>
    /// Runs kernels' `parallelFor` chunks on the pool (`nil`: on the firing thread); `unretainedIntraOp` for
    /// untraced firings, borrowed like ``unretainedState``.
    let intraOp: IntraOpRunner?
    @safe let unretainedIntraOp: Unmanaged<IntraOpRunner>?
    /// What this run traces; `nil` at `.noTrace`.
    let tracing: StepTracing?
    /// `CLOCK_MONOTONIC` nanoseconds after which the step is cancelled; 0 for no deadline.
    let deadline: UInt64
    let timeoutInMs: Int64
    /// Where nodes made ready by an async kernel's completion go (the step's scheduler).
    let scheduler: any WorkScheduler
    /// Steps with async kernels only: the tasks of the kernels still running, by node, to cancel when the step
    /// stops; what their tasks prefer as executor; and, for a full `.callerThread` step, the caller's loop that
    /// runs their jobs (``CallerRunLoop``).
    let asyncTasks: Locked<[Int: Task<Void, Never>]>?
    let asyncExecutor: (any TaskExecutor)?
    let callerLoop: CallerRunLoop?

    /// Nodes of the step that have not finished (fired, failed or been skipped).
    private let outstanding = Atomic<Int>(0)
    /// Opened once, by the thread that finishes the last node.
    let done = CompletionLatch(count: 1)
    /// Opened when the caller may stop waiting: the step finished, or it was stopped (deadline, failure,
    /// `close()`), in which case its remaining nodes may still be draining.
    let callerWake = CompletionLatch(count: 1)
    /// The step itself and what to do with its records, from when its caller returned before it drained until
    /// its last node ended (see ``abandon(whenDrained:)``).
    let abandoned = Locked<(step: StepRun, whenDrained: @Sendable (StepRun, NodeRecordTable?) -> Void)?>(nil)
    /// The first error of the step; later ones are dropped (TensorFlow: "the first error wins").
    private let firstError = Locked<SessionError?>(nil)
    /// Partial runs only: one latch per fetch, opened when its value is delivered (or the step stops).
    private let fetchArrivals: [CompletionLatch]?

    init(
        step: StepState, state: SessionState, stepID: Int64, timeoutInMs: Int64, tracing: StepTracing?,
        scheduler: any WorkScheduler, partial: Bool = false, intraOp: IntraOpRunner? = nil
    ) {
        self.scheduler = scheduler
        if step.plan.hasAsyncNodes {
            asyncTasks = Locked([:])
            let loop = !partial && scheduler.policy == .callerThread ? CallerRunLoop(handingOffTo: step.pool) : nil
            callerLoop = loop
            // Under every policy but a full `.callerThread` step, async kernels run on the session's pool: its workers
            // are the threads nothing else blocks (`.swiftDefault` callers may block Swift's cooperative threads).
            asyncExecutor = loop ?? step.pool
        } else {
            (asyncTasks, asyncExecutor, callerLoop) = (nil, nil, nil)
        }
        self.cancellation = StepCancellation(timeoutInMs: timeoutInMs)
        self.intraOp = intraOp
        self.unretainedIntraOp = unsafe intraOp.map { unsafe Unmanaged.passUnretained($0) }
        self.step = step
        self.plan = step.plan
        self.firing = step.plan.firing.view
        self.nodes = step.nodes
        self.slots = step.slots
        self.inputArrays = step.inputArrays
        self.pending = step.pending
        self.records = step.records(traced: tracing != nil)
        self.sessionState = state
        self.unretainedState = unsafe Unmanaged.passUnretained(state)
        self.unretainedCancellation = unsafe Unmanaged.passUnretained(cancellation)
        self.stepID = stepID
        self.tracing = tracing
        self.timeoutInMs = timeoutInMs
        self.deadline = timeoutInMs > 0 ? Self.deadline(afterMilliseconds: timeoutInMs) : 0
        self.fetchArrivals = partial ? step.plan.fetchTensors.map { _ in CompletionLatch(count: 1) } : nil
    }

    /// `CLOCK_MONOTONIC` nanoseconds `milliseconds` from now, saturating: a timeout too large to represent (up to
    /// `Int64.max` ms) is a deadline that never comes, not an overflow.
    private static func deadline(afterMilliseconds milliseconds: Int64) -> UInt64 {
        let (nanoseconds, overflow) = UInt64(milliseconds).multipliedReportingOverflow(by: 1_000_000)
        let (sum, later) = DispatchTime.now().uptimeNanoseconds.addingReportingOverflow(nanoseconds)
        return overflow || later ? UInt64.max : sum
    }

    /// A work item for node `index`. A full step's items borrow the step: its session holds it until its latch
    /// opens. A partial run's items keep it alive, because a partial run can be dropped (it failed, or the
    /// session closed) while nodes it made ready are still queued.
    @inline(__always)
    private func item(_ index: Int) -> WorkItem {
        fetchArrivals == nil ? WorkItem(borrowing: self, index: index) : WorkItem(target: self, index: index)
    }

    /// The most nodes a step may have to start on the caller's thread.
    static let callerStartLimit = 256

    /// Whether nodes should skip their kernels: the step failed, timed out or was cancelled.
    var isStopping: Bool { cancellation.isCancelled }

    /// The value of fed tensor `index`.
    @inline(__always)
    func feedValue(_ index: Int) -> NDArray? { slots.load(plan.feedSlot(index)) }

    /// Stores the feeds, resets the pending counts and submits the root nodes.
    func start(feeds: [NDArray], scheduler: any WorkScheduler) {
        for (i, value) in feeds.enumerated() { slots.store(value, at: plan.feedSlot(i)) }
        for (i, count) in plan.initialPending.enumerated() { pending.set(i, to: count) }
        if tracing != nil {
            for root in plan.roots { nodes.withActor(root) { $0.readyAt.store(0, ordering: .relaxed) } }
        }
        outstanding.store(plan.nodes.count, ordering: .relaxed)
        routeAsyncNodes(to: callerLoop)
        if let tracing, tracing.emitsEvents {
            ExecutorTraceGate.enter()
            Tracepoints.stepBegin(stepID: Int(stepID), nodeCount: plan.nodes.count)
        }
        if plan.nodes.isEmpty {
            done.countDown()
            return
        }
        // Small untraced steps start on the caller's thread (work-first: they never wait for a worker to wake).
        // Large ones start on the pool, whose workers hand work to each other through their deques; traced ones
        // too, so that every op's thread and NUMA node are a worker's.
        // A step with a deadline does not: its caller must stay free to return when the deadline passes.
        let roots = plan.roots.map { item($0) }
        if tracing == nil, deadline == 0, plan.nodes.count <= Self.callerStartLimit {
            scheduler.start(roots)
        } else {
            scheduler.submit(roots)
        }
    }

    // MARK: Partial runs

    /// Starts the step of a partial run: no tensor is fed yet, so nodes that read fed tensors wait for
    /// ``provideFeed(_:_:scheduler:)`` as they wait for their producers; nodes that need no feed start now.
    func startPartial(scheduler: any WorkScheduler) {
        var ready: [WorkItem] = []
        for (i, planNode) in plan.nodes.enumerated() {
            let count = planNode.initialPending + plan.feedInputCount[i]
            pending.set(i, to: count)
            if count == 0 { ready.append(item(i)) }
        }
        outstanding.store(plan.nodes.count, ordering: .relaxed)
        if plan.nodes.isEmpty { done.countDown() }
        if !ready.isEmpty { scheduler.submit(ready) }
    }

    /// Feeds tensor `index` of a partial run and starts the nodes that were waiting only for it.
    func provideFeed(_ index: Int, _ value: NDArray, scheduler: any WorkScheduler) {
        slots.store(value, at: plan.feedSlot(index))
        var ready: [WorkItem] = []
        for consumer in plan.feedConsumers[index]
        where pending.resolveOne(consumer) {
            ready.append(item(consumer))
        }
        if !ready.isEmpty { scheduler.submit(ready) }
    }

    /// Called by the node that delivered fetch `index` (partial runs wait for single fetches).
    @inline(__always)
    func fetchDelivered(_ index: Int) {
        fetchArrivals?[index].countDown()
    }

    /// Waits until fetch `index` of a partial run arrived, and returns it, or the step's error.
    func waitForFetch(_ index: Int, helping pool: WorkStealingExecutor) -> Result<NDArray, SessionError> {
        if let latch = fetchArrivals?[index] { pool.waitHelping(for: latch) }
        if let error = firstError.withLock({ $0 }) { return .failure(error) }
        guard let value = slots.load(plan.inputSlotCount + index) else {
            return .failure(.invalidValue(reason: "fetch \(plan.fetchTensors[index].name) produced no value"))
        }
        return .success(value)
    }

    /// Whether every node of the step finished.
    var isDone: Bool { done.isReleased }

    /// How long a stopped step's caller waits for its remaining nodes to drain before returning without them.
    /// Nodes of a stopped step skip their kernels, so a step drains at once unless a kernel is still running.
    static let drainGrace: Duration = .milliseconds(10)

    /// Blocks until every node finished, or until the step was stopped (deadline, failure, `close()`) and had a
    /// short grace (``drainGrace``) to drain. Returns whether it drained; when it did not, a kernel that ignores
    /// cancellation is still running, and the caller returns the step's error at once and calls ``abandon()``
    /// instead of ``finish()``: the deadline holds even against a kernel that never checks it.
    ///
    /// A step that finished after its deadline fails the same way whatever the policy: on the caller's
    /// thread (`.callerThread`) a kernel cannot be interrupted, but its late result is not returned either. On a
    /// pool worker (a run from inside a kernel) the worker keeps running queued work while it waits, so nested
    /// runs cannot deadlock the pool; the deadline is then enforced as nodes fire.
    func waitUntilDone(helping pool: WorkStealingExecutor) -> Bool {
        if let callerLoop { return waitRunning(callerLoop) }
        if CurrentWorker.index != nil {
            pool.waitHelping(for: done)
        } else {
            if deadline == 0 {
                callerWake.wait()
            } else {
                let now = DispatchTime.now().uptimeNanoseconds
                let remaining = deadline > now ? deadline - now : 0
                if !callerWake.wait(timeout: .nanoseconds(Int64(clamping: remaining))) {
                    stop(with: .deadlineExceeded(timeoutInMs: timeoutInMs))
                }
            }
            if !done.isReleased, !done.wait(timeout: Self.drainGrace) { return false }
        }
        if deadline != 0, DispatchTime.now().uptimeNanoseconds > deadline {
            stop(with: .deadlineExceeded(timeoutInMs: timeoutInMs))
        }
        return true
    }

    /// ``waitUntilDone(helping:)`` for a `.callerThread` step with async kernels: the caller's thread runs their
    /// jobs until the step ends, and through the drain grace after a stop; when it gives up, the jobs still to
    /// come go to the pool, so the late kernels end there.
    private func waitRunning(_ loop: CallerRunLoop) -> Bool {
        if !loop.run(until: { callerWake.isReleased }, deadline: deadline) {
            stop(with: .deadlineExceeded(timeoutInMs: timeoutInMs))
        }
        let grace = DispatchTime.now().uptimeNanoseconds + UInt64(Self.drainGrace.components.attoseconds / 1_000_000_000)
        guard loop.run(until: { done.isReleased }, deadline: done.isReleased ? 0 : grace) else {
            loop.handOff()
            return false
        }
        if deadline != 0, DispatchTime.now().uptimeNanoseconds > deadline {
            stop(with: .deadlineExceeded(timeoutInMs: timeoutInMs))
        }
        return true
    }

    /// Sends the drains of the async nodes' executors to `loop` (`nil`: back to the pool).
    private func routeAsyncNodes(to loop: CallerRunLoop?) {
        guard plan.hasAsyncNodes else { return }
        for (i, kind) in plan.firingKind.enumerated() where kind == .async {
            nodes.withActor(i) { $0.executor.route(to: loop) }
        }
    }

    /// The error that stopped the step, if any.
    var error: SessionError? { firstError.withLock { $0 } }

    /// Hands the step over to its last node, for a caller that returns before the step drained: the step keeps
    /// itself (and its values) alive until the kernels still running end, then the thread that finishes the
    /// last node empties it (``finish()``), passes its trace records to `whenDrained` and lets it go. Such a
    /// step is not reused.
    func abandon(whenDrained: @escaping @Sendable (StepRun, NodeRecordTable?) -> Void = { _, _ in }) {
        abandoned.withLock { $0 = (self, whenDrained) }
        if done.isReleased { finishIfAbandoned() }
    }

    /// Finishes an abandoned step once it drained (called by ``abandon(whenDrained:)`` and by the last node's
    /// thread; only the first call finds the step).
    func finishIfAbandoned() {
        guard let (step, whenDrained) = abandoned.withLock({ $0.take() }) else { return }
        let (_, records) = step.finish()
        whenDrained(step, records)
    }

    /// Cancels the step with `error` unless it already failed.
    func stop(with error: SessionError) {
        firstError.withLock { if $0 == nil { $0 = error } }
        cancellation.cancel()
        callerWake.countDown()
        if let asyncTasks {
            for task in asyncTasks.withLock({ Array($0.values) }) { task.cancel() }
            callerLoop?.wake()
        }
        for latch in fetchArrivals ?? [] { latch.countDown() }
    }

    /// The fetched values in fetch-slot order, or the step's first error, with the table of the nodes' trace
    /// records on traced steps (handed over: nothing writes it any more). Leaves the step ready for reuse.
    func finish() -> (result: Result<[NDArray], SessionError>, records: NodeRecordTable?) {
        defer { slots.clear() }
        if let callerLoop {
            // The kernels' tasks end with one more job (their return from the node actor), which may come after the
            // caller stopped running the loop: it and anything later run on the pool.
            routeAsyncNodes(to: nil)
            callerLoop.handOff()
        }
        let error = firstError.withLock { $0 }
        var taken: NodeRecordTable?
        if let tracing {
            taken = records
            if tracing.emitsEvents {
                // (`free` events come from the buffers themselves, when their last sharer is dropped.)
                let status: Tracepoints.StepStatus =
                    switch error {
                    case nil: .ok
                    case .deadlineExceeded?: .deadlineExceeded
                    case .cancelled?: .cancelled
                    default: .failed
                    }
                Tracepoints.stepEnd(stepID: Int(stepID), status: status)
                ExecutorTraceGate.leave()
            }
        }
        if let error { return (.failure(error), taken) }
        var values: [NDArray] = []
        values.reserveCapacity(plan.fetchTensors.count)
        for i in plan.fetchTensors.indices {
            guard let value = slots.take(plan.inputSlotCount + i) else {
                return (.failure(.invalidValue(reason: "fetch \(plan.fetchTensors[i].name) produced no value")), taken)
            }
            values.append(value)
        }
        return (.success(values), taken)
    }

    // MARK: Firing

    func run(_ index: Int, in context: inout WorkerContext) {
        var current = index
        var fired = 0
        while current >= 0 {
            current = fire(current, in: &context)
            // A node whose async kernel started is finished by its task (``asyncNodeEnded(_:readyAt:)``).
            if current != Self.suspended { fired += 1 }
            if current >= 0 { context.recordInlineContinuation() }
        }
        // One subtraction per chain of inline firings rather than per node: every worker writes this count.
        // The step cannot end early: the nodes counted here are outstanding until they are subtracted.
        if fired > 0, outstanding.subtract(fired, ordering: .acquiringAndReleasing).newValue == 0 {
            openLatchKeepingAlive(done)
        }
    }

    /// What ``fire(_:in:)`` returns for a node whose async kernel started: no successor, and the node is not
    /// finished yet.
    static let suspended = -2

    /// Fires node `id`, delivers its outputs and returns the ready successor to fire next (or -1); the caller
    /// counts the node as finished. A node whose async kernel started returns ``suspended``.
    @inline(__always)
    private func fire(_ id: Int, in context: inout WorkerContext) -> Int {
        if deadline != 0, !isStopping, DispatchTime.now().uptimeNanoseconds > deadline {
            stop(with: .deadlineExceeded(timeoutInMs: timeoutInMs))
        }
        // TensorFlow's NoOp fast path: an untraced NoOp has nothing to read, compute or deliver, so its
        // actor is not entered at all.
        var readyAt: UInt64 = 0
        let kind = plan.firingKind[id]
        if kind == .async {
            let (worker, numaNode) = (context.workerIndex, context.numaNode)
            let started = nodes.withActor(id) { actor in
                actor.startAsync(id, in: self, worker: worker, numaNode: numaNode)
            }
            if started { return Self.suspended }
            if let tracing { readyAt = tracing.clock.now() }
        } else if tracing != nil {
            // On traced steps, successors become ready when this node's firing ended.
            let (worker, numaNode) = (context.workerIndex, context.numaNode)
            readyAt = nodes.withActor(id) { $0.fireTraced(id, in: self, worker: worker, numaNode: numaNode) }
        } else if kind == .inline {
            nodes.withActor(id) { $0.fire(id, in: self) }
        }
        var next = -1
        for k in plan.successorStart[id]..<plan.successorStart[id + 1] {
            resolveInput(of: Int(plan.successors[k]), readyAt: readyAt, next: &next, context: &context)
        }
        return next
    }

    /// Counts one resolved input of `consumer`; when it was the last, keeps the consumer as `next` (the
    /// first one) or pushes it for another worker.
    @inline(__always)
    private func resolveInput(of consumer: Int, readyAt: UInt64, next: inout Int, context: inout WorkerContext) {
        guard pending.resolveOne(consumer) else { return }
        if let tracing {
            nodes.withActor(consumer) { $0.readyAt.store(readyAt, ordering: .relaxed) }
            if tracing.emitsEvents { Tracepoints.opScheduled(stepID: Int(stepID), opID: consumer) }
        }
        if next < 0 {
            next = consumer
        } else {
            context.push(item(consumer))
        }
    }
}

// MARK: Async kernels

extension StepRun {
    /// Keeps the task of node `index`'s async kernel, to cancel it if the step stops (at once, if it already did).
    func track(_ task: Task<Void, Never>, of index: Int) {
        asyncTasks?.withLock { $0[index] = task }
        if isStopping { task.cancel() }
    }

    /// Finishes node `id` whose async kernel ended (its outputs delivered, or the step stopped): resolves its
    /// successors, hands the ready ones to the step's scheduler, and counts the node as finished.
    func asyncNodeEnded(_ id: Int, readyAt: UInt64) {
        asyncTasks?.withLock { _ = $0.removeValue(forKey: id) }
        var ready: [WorkItem] = []
        for k in plan.successorStart[id]..<plan.successorStart[id + 1] {
            let consumer = Int(plan.successors[k])
            guard pending.resolveOne(consumer) else { continue }
            if let tracing {
                nodes.withActor(consumer) { $0.readyAt.store(readyAt, ordering: .relaxed) }
                if tracing.emitsEvents { Tracepoints.opScheduled(stepID: Int(stepID), opID: consumer) }
            }
            ready.append(WorkItem(target: self, index: consumer))
        }
        if !ready.isEmpty { scheduler.submit(ready) }
        if outstanding.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            openLatchKeepingAlive(done)
        }
    }
}
