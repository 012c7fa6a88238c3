import ActorFlowExecutor
import ActorFlowTracing
import Synchronization

/// One op of a running plan, as an actor: it owns its input slots and its pending-input count (entry
/// `index` of the step's ``PendingCounts`` and of its ``UnsafeValueSlots``, kept in arrays indexed by node id
/// for locality), and it fires — runs its kernel on its inputs and delivers its outputs — when the last
/// input resolves.
///
/// ## How firings enter the actor
/// A firing never awaits: the executor thread that resolved the node's last input calls
/// ``fire(_:in:worker:numaNode:)``, which enters the node's isolation through ``enterIsolation(_:_:)`` — a
/// thin function with an `isolated` parameter — so the firing body is compiler-checked isolated code
/// with no task, job or runtime isolation check on the hot path. Exclusivity comes from the pending-count
/// protocol: the count reaches zero exactly once per step, so exactly one thread fires a node per step,
/// and the session reads a node's trace record only after the step ended. In debug builds
/// (`ACTORFLOW_INTERNAL_CHECKS`) every entry claims the node's executor, which fails loudly if two overlap.
///
/// Nothing outside the step engine can reach a node: the type is internal and has no async methods.
actor NodeActor {
    /// The node's index in its plan.
    nonisolated let index: Int
    /// When the node became ready (``TraceClock`` nanoseconds); written by the producer that made it
    /// ready, only on traced steps.
    nonisolated let readyAt = Atomic<UInt64>(0)
    /// The node's own serial executor, whose jobs run on the work-stealing pool. Firings do not go
    /// through it (see ``enterIsolation(_:_:)``); debug builds claim it around every entry to check
    /// exclusivity at run time.
    nonisolated let executor: NodeSerialExecutor

    nonisolated var unownedExecutor: UnownedSerialExecutor { unsafe executor.asUnownedSerialExecutor() }

    /// The allocation scope installed around every traced firing's kernel (a real scope is made only for
    /// kernels that allocate); made on the first traced firing (three small objects per node, which untraced
    /// sessions never use), see ``allocationScope()``.
    private var allocations: LazyAllocationScope?
    /// What traced firings' kernels split into chunks, armed around them (made on the first; see
    /// NodeActor+IntraOpTally.swift).
    var intraOpTally: IntraOpTally?

    init(index: Int, pool: WorkStealingExecutor) {
        self.index = index
        self.executor = NodeSerialExecutor(pool: pool)
    }

    /// The node's allocation scope, made on its first traced firing and reused by every later one.
    private func allocationScope() -> LazyAllocationScope {
        if let allocations { return allocations }
        let made = LazyAllocationScope()
        allocations = made
        return made
    }

    /// Fires the node of a traced step on the calling thread, inside its isolation; returns when the firing
    /// ended (``TraceClock`` nanoseconds, the time its successors became ready).
    ///
    /// Traced firings also claim the node's executor for their duration, so that code in the firing body
    /// that Swift checks for isolation at run time (closures handed to library functions) finds itself on
    /// the node's executor; untraced firings contain no such code and skip the two atomic operations.
    ///
    /// As for untraced firings, the step is passed borrowed and the node read from the plan's firing table
    /// (`unowned(unsafe)`), so entering touches no reference count of objects every worker shares.
    @inline(__always)
    nonisolated func fireTraced(_ index: Int, in step: StepRun, worker: Int, numaNode: Int) -> UInt64 {
        enterIsolationTraced(step, index, worker, numaNode) { actor, step, index, worker, numaNode in
            actor.fireTraced(
                step.firing[index].node, step: step, tracing: step.tracing!, worker: worker,
                numaNode: numaNode, into: &step.records[index])
        }
    }

    /// Fires the node of an untraced step on the calling thread, inside its isolation, reading what it needs
    /// from the plan's ``FiringTable``.
    ///
    /// `index` is the node's own index, passed rather than read from the actor: reading the actor's memory
    /// would cost a cache miss per firing on large graphs, and the untraced body touches nothing else of it.
    @inline(__always)
    nonisolated func fire(_ index: Int, in step: StepRun) {
        enterIsolation(step, index) { actor, step, index in actor.fireBody(step, index: index) }
    }

    // MARK: Firing bodies

    /// The untraced firing: fed inputs into the node's slots, the kernel on those slots in place, the
    /// outputs checked against the plan and delivered. Nothing is allocated here; a kernel that returns one
    /// value (``Kernel/oneOutput(isExpensive:_:)``) is not even given an array to build.
    private func fireBody(_ step: StepRun, index: Int) {
        if step.isStopping { return }
        let entry = step.firing[index]
        if entry.readsFeeds, !placeFedInputs(entry.node, step: step) { return }
        let base = entry.inputSlotBase
        let count = Int(entry.inputCount)
        let context = step.slots.kernelContext(
            inputsFrom: base, count: count, op: entry.op, state: step.unretainedState, stepID: step.stepID,
            cancellation: step.unretainedCancellation, intraOp: step.unretainedIntraOp)
        do {
            // The body is called from its field of the borrowed kernel object (see `Kernel.Storage`): no
            // reference count is touched between the table entry and the kernel.
            try entry.withKernel { kernel in
                switch kernel.kind {
                case .oneOutput:
                    let output = try kernel.oneOutput!(context)
                    step.slots.clear(from: base, count: count)
                    let node = entry.node
                    if let problem = node.problem(withOnly: output) {
                        step.stop(with: .opFailed(op: node.op.name, underlying: KernelError(problem)))
                        return
                    }
                    deliver(output, of: node, step: step)
                case .outputs:
                    let outputs = try kernel.outputs!(context)
                    step.slots.clear(from: base, count: count)
                    try check(outputs, custom: false, entry: entry, step: step)
                case .custom:
                    // The node's own input array, filled in place (see InputArrays): no array per firing.
                    var inputs = count == 0 ? [] : step.inputArrays.fill(index, from: step.slots, start: base, count: count)
                    let outputs = try kernel.custom!(inputs, context)
                    if count > 0 {
                        inputs = []
                        step.inputArrays.clear(index)
                        step.slots.clear(from: base, count: count)
                    }
                    try check(outputs, custom: true, entry: entry, step: step)
                case .customEffect:
                    var inputs = count == 0 ? [] : step.inputArrays.fill(index, from: step.slots, start: base, count: count)
                    try kernel.customEffect!(inputs, context)
                    if count > 0 {
                        inputs = []
                        step.inputArrays.clear(index)
                        step.slots.clear(from: base, count: count)
                    }
                case .async:
                    preconditionFailure("async kernels start in startAsync (FiringKind.async), not inline")
                }
            }
        } catch {
            if count > 0 { step.inputArrays.clear(index) }
            step.slots.clear(from: base, count: count)
            step.stop(with: Self.sessionError(error, op: step.plan.firing.op(index)))
        }
    }

    /// Checks a kernel's outputs against the plan and delivers them; throws the problem when they do not match.
    @inline(__always)
    private func check(
        _ outputs: [NDArray], custom: Bool, entry: FiringTable.Entry, step: StepRun
    ) throws(KernelError) {
        if outputs.isEmpty && !entry.delivers && entry.node.outputChecks.isEmpty { return }
        let node = entry.node
        if let problem = node.problem(with: outputs) {
            if custom, let message = Kernel.customProblem(with: outputs, of: node.op) {
                throw KernelError("customOp '\(node.op.name)' " + message)
            }
            throw KernelError(problem)
        }
        if entry.delivers { deliver(outputs, of: node, step: step) }
    }

    /// The traced firing: the same, timed and described into `r` (the node's record in the step, written in place),
    /// with LTTng events; returns when it ended.
    private func fireTraced(
        _ node: ExecutionPlan.Node, step: StepRun, tracing: StepTracing, worker: Int, numaNode: Int,
        into r: inout NodeExecRecord
    ) -> UInt64 {
        start(&r, tracing, numaNode: numaNode)
        if node.isNoOp { return fireTracedNoOp(&r, step: step, tracing: tracing, worker: worker, numaNode: numaNode) }
        guard let inputs = self.inputs(node, step: step, keepingSlots: true) else { return tracing.clock.now() }
        if tracing.emitsEvents {
            Tracepoints.opStart(
                stepID: Int(step.stepID), opID: index, name: tracing.names.names[index],
                type: tracing.names.types[index], worker: worker, numaNode: numaNode)
        }
        r.opStartNanos = tracing.clock.now()
        var outputs: [NDArray]?
        // Every NDArray buffer the kernel makes on this thread is tracked by the op's scope (its memory), made
        // when the kernel allocates its first; its loops' chunks by the node's tally, read whether it failed or not.
        let tally = intraOpTally(for: step)
        let allocations = allocationScope()
        (outputs, r.counters) = Self.compute(
            index, step: step, measuringHardware: tracing.measuresHardware, allocations: allocations,
            counting: tally, asWorker: Int(r.worker), numaNode: max(0, numaNode), inputs: inputs,
            events: tracing.emitsEvents ? TracepointAllocationEvents.shared : nil)
        r.opEndNanos = tracing.clock.now()
        r.keepIntraOp(tally)
        // Before delivering: whether each output holds the only reference to its buffer is read now.
        var none: [NDArray] = []
        let (memory, scope) = outputs == nil ? allocations.finish(outputs: &none) : allocations.finish(outputs: &outputs!)
        guard let outputs else {
            // The kernel ran and failed: its record stays, so a flight record shows the op the step died in.
            Self.keep(memory, of: scope, in: &r)
            r.didRun = true
            r.allEndNanos = tracing.clock.now()
            return r.allEndNanos
        }
        deliver(outputs, of: node, step: step)
        var outputBytes = 0
        var described: [OutputRecord] = []
        if !outputs.isEmpty { described.reserveCapacity(outputs.count) }
        for (slot, value) in outputs.enumerated() {
            let allocation = memory.outputs[slot]
            var aliased: Int32 = -1
            for (i, input) in inputs.enumerated() where value.sharesStorage(with: input) { aliased = Int32(i) }
            if allocation.isAllocatedByOp { outputBytes += value.byteCount }
            described.append(OutputRecord(
                dtype: value.dtype, dimensions: value.dimensions, bytes: value.byteCount,
                allocated: allocation.isAllocatedByOp, allocationID: Int64(allocation.allocationID ?? 0),
                hasSingleReference: allocation.hasSingleReference,
                numaNode: Int32(truncatingIfNeeded: allocation.numaNode ?? -1), aliasedInput: aliased))
        }
        r.outputs = described
        Self.keep(memory, of: scope, in: &r)
        if tracing.emitsEvents {
            Tracepoints.opEnd(
                stepID: Int(step.stepID), opID: index, name: tracing.names.names[index], worker: worker,
                numaNode: numaNode, outputBytes: outputBytes)
        }
        r.didRun = true
        r.allEndNanos = tracing.clock.now()
        return r.allEndNanos
    }

    /// Keeps what the op's allocation scope saw in its record: a scope that tracked allocations stays there
    /// (their frees keep reporting to it until the step ends); an op that allocated nothing leaves its summary.
    @inline(__always)
    private static func keep(_ memory: consuming AllocationSummary, of scope: AllocationScope?, in r: inout NodeExecRecord) {
        if let scope { r.allocations = scope } else { r.sealedSummary = memory }
    }

    /// A traced `NoOp`: nothing to read, compute or deliver, so — as in TensorFlow — its start and end
    /// are taken back to back, with its events in between.
    private func fireTracedNoOp(
        _ r: inout NodeExecRecord, step: StepRun, tracing: StepTracing, worker: Int, numaNode: Int
    ) -> UInt64 {
        if step.isStopping { return r.allStartNanos }
        if tracing.emitsEvents {
            Tracepoints.opStart(
                stepID: Int(step.stepID), opID: index, name: tracing.names.names[index],
                type: tracing.names.types[index], worker: worker, numaNode: numaNode)
            Tracepoints.opEnd(
                stepID: Int(step.stepID), opID: index, name: tracing.names.names[index], worker: worker,
                numaNode: numaNode, outputBytes: 0)
        }
        r.opStartNanos = r.allStartNanos
        r.opEndNanos = r.allStartNanos
        r.didRun = true
        r.allEndNanos = tracing.clock.now()
        return r.allEndNanos
    }

    // MARK: Pieces

    /// A traced firing's record as it starts: when the node became ready, now, and where it runs.
    func startedRecord(_ tracing: StepTracing, numaNode: Int) -> NodeExecRecord {
        var r = NodeExecRecord()
        start(&r, tracing, numaNode: numaNode)
        return r
    }

    /// Starts `r` for a new firing (see ``startedRecord(_:numaNode:)``), in place: a record of an earlier firing
    /// that was not taken (its step's end did not collect it) is emptied first.
    @inline(__always)
    func start(_ r: inout NodeExecRecord, _ tracing: StepTracing, numaNode: Int) {
        if r.didRun || r.allStartNanos != 0 { r = NodeExecRecord() }
        let ready = readyAt.load(ordering: .relaxed)
        r.scheduledNanos = ready == 0 ? tracing.startNanos : ready
        r.allStartNanos = tracing.clock.now()
        r.threadID = CurrentWorker.threadID
        r.worker = Int32(truncatingIfNeeded: CurrentWorker.index ?? -1)
        r.numaNode = Int32(truncatingIfNeeded: numaNode)
    }

    /// Copies the fed tensors the node reads into its own input slots, so the kernel finds every input in
    /// one place; `false` when a feed is missing (a partial run that stopped).
    @inline(__always)
    private func placeFedInputs(_ node: ExecutionPlan.Node, step: StepRun) -> Bool {
        for fed in node.fedInputs {
            guard step.slots.copy(from: step.plan.feedSlot(fed.feed), to: node.inputSlotBase + fed.input) else {
                return false
            }
        }
        return true
    }

    /// The input values: moved out of the node's slots (`keepingSlots: false`, async firings), or copies left in
    /// them for the kernel (traced firings, which describe the inputs and let the allocation scope recognise
    /// buffers forwarded from them). `nil` when the step is stopping: a failed, cancelled or timed-out step skips
    /// kernels, and the node's slots are emptied (the rest of the step's when it finishes).
    func inputs(_ node: ExecutionPlan.Node, step: StepRun, keepingSlots: Bool) -> [NDArray]? {
        if step.isStopping { return nil }
        guard placeFedInputs(node, step: step) else { return nil }
        let count = node.inputCount
        if count == 0 { return [] }
        var inputs: [NDArray] = []
        inputs.reserveCapacity(count)
        for i in 0..<count {
            let slot = node.inputSlotBase + i
            guard let value = keepingSlots ? step.slots.load(slot) : step.slots.take(slot) else {
                step.slots.clear(from: node.inputSlotBase, count: count)
                return nil
            }
            inputs.append(value)
        }
        return inputs
    }

    /// Runs the kernel with `allocations` installed and `tally` armed (as `worker`'s) for it, measuring hardware
    /// counters around it when asked: the outputs (see ``compute(_:step:)``) and the counters. The tally is disarmed
    /// on every path: the kernel's errors, a stopped step's, are caught below.
    ///
    /// Static and nonisolated, so that no closure here is isolated to the actor (an isolated closure checks the
    /// current executor when called: a few hundred instructions per traced firing).
    private nonisolated static func compute(
        _ index: Int, step: StepRun, measuringHardware: Bool, allocations: LazyAllocationScope,
        counting tally: IntraOpTally, asWorker worker: Int, numaNode: Int, inputs: [NDArray],
        events: (any AllocationEventSink)?
    ) -> (outputs: [NDArray]?, counters: HardwareCounterValues?) {
        let armed = IntraOpTally.arm(tally, worker: worker)
        defer { IntraOpTally.restore(armed) }
        return allocations.installed(
            numaNode: numaNode, forwarding: inputs, events: events, stepID: step.stepID, opID: index
        ) {
            guard measuringHardware else { return (compute(index, step: step), nil) }
            return HardwareCounters.measure { compute(index, step: step) }
        }
    }

    /// Runs node `index`'s kernel on its input slots in place, as the untraced firing does (the op, the session
    /// state and the kernel borrowed from the firing table), empties the slots and checks the outputs; on
    /// failure stops the step with the error and returns `nil` (traced firings).
    private nonisolated static func compute(_ index: Int, step: StepRun) -> [NDArray]? {
        let entry = step.firing[index]
        let base = entry.inputSlotBase
        let count = Int(entry.inputCount)
        let context = step.slots.kernelContext(
            inputsFrom: base, count: count, op: entry.op, state: step.unretainedState, stepID: step.stepID,
            cancellation: step.unretainedCancellation, intraOp: step.unretainedIntraOp)
        do {
            let outputs = try entry.withKernel { kernel in try kernel.run(context) }
            step.slots.clear(from: base, count: count)
            let node = entry.node
            guard let problem = node.problem(with: outputs) else { return outputs }
            step.stop(with: .opFailed(op: node.op.name, underlying: KernelError(problem)))
        } catch {
            step.slots.clear(from: base, count: count)
            step.stop(with: Self.sessionError(error, op: step.plan.firing.op(index)))
        }
        return nil
    }

    /// A kernel's error as the step reports it: session errors as they are, anything else as the op's failure.
    static func sessionError(_ error: any Error, op: Operation) -> SessionError {
        (error as? SessionError) ?? .opFailed(op: op.name, underlying: error)
    }

    /// Stores the outputs in the slots of their consumers and of the fetches.
    @inline(__always)
    func deliver(_ outputs: [NDArray], of node: ExecutionPlan.Node, step: StepRun) {
        for edge in node.dataEdges { step.slots.store(outputs[edge.output], at: edge.slot) }
        for fetched in node.fetchedOutputs {
            step.slots.store(outputs[fetched.output], at: fetched.fetchSlot)
            step.fetchDelivered(fetched.fetchSlot - step.plan.inputSlotCount)
        }
    }

    /// Stores a one-output kernel's value in the slots of its consumers and of the fetches; the last consumer
    /// gets the value itself rather than a copy, so a chain of ops hands each value on without touching its
    /// reference counts (and a kernel can find its input uniquely referenced).
    @inline(__always)
    private func deliver(_ output: consuming NDArray, of node: ExecutionPlan.Node, step: StepRun) {
        let edges = node.dataEdges
        if node.fetchedOutputs.isEmpty, !edges.isEmpty {
            for i in 0..<edges.count - 1 { step.slots.store(output, at: edges[i].slot) }
            step.slots.store(moving: output, at: edges[edges.count - 1].slot)
            return
        }
        for edge in edges { step.slots.store(output, at: edge.slot) }
        for fetched in node.fetchedOutputs {
            step.slots.store(output, at: fetched.fetchSlot)
            step.fetchDelivered(fetched.fetchSlot - step.plan.inputSlotCount)
        }
    }

    // MARK: Isolation

    /// Whether every entry claims the executor (debug builds: `ACTORFLOW_INTERNAL_CHECKS`).
    #if ACTORFLOW_INTERNAL_CHECKS
    private static let checksIsolation = true
    #else
    private static let checksIsolation = false
    #endif

    /// The engine's single entry into a node's isolation from a synchronous executor thread.
    ///
    /// Calling a function whose first parameter is `isolated NodeActor` normally requires hopping to the
    /// actor's executor. Here the hop is replaced by the pending-count protocol, which guarantees that
    /// only one thread is ever inside a given node at a time: the function is called directly. The two
    /// function types differ only in the `isolated` annotation, which does not change the calling
    /// convention.
    ///
    /// Nothing else can be running on the node's executor: `NodeActor` is internal and has no `async`
    /// members, so no job is ever enqueued on it. Debug builds verify both claims: each entry claims the
    /// executor with `tryAcquire()` (failing loudly if it is held) and holds it while the body runs, so
    /// `preconditionIsolated()` inside the body passes.
    /// ``enterIsolation(_:claimingExecutor:_:)`` for the untraced firing: the step is passed as a borrowed
    /// argument rather than packed into a tuple, which would retain the object every worker shares.
    @inline(__always)
    nonisolated func enterIsolation(
        _ step: StepRun, _ index: Int, _ body: @escaping (isolated NodeActor, StepRun, Int) -> Void
    ) {
        let claim = Self.checksIsolation
        if claim { precondition(executor.tryAcquire(), "node \(index) entered while its executor is held") }
        defer { if claim { executor.release() } }
        let direct = unsafe unsafeBitCast(body, to: ((NodeActor, StepRun, Int) -> Void).self)
        direct(self, step, index)
    }

    /// The traced firing's entry (see ``fireTraced(_:in:worker:numaNode:)``): the node's executor is claimed for
    /// the firing, as by ``enterIsolation(_:claimingExecutor:_:)``, with plain arguments instead of a generic tuple
    /// (whose references would be retained to build it).
    @inline(__always)
    nonisolated func enterIsolationTraced(
        _ step: StepRun, _ index: Int, _ worker: Int, _ numaNode: Int,
        _ body: @escaping (isolated NodeActor, StepRun, Int, Int, Int) -> UInt64
    ) -> UInt64 {
        precondition(executor.tryAcquire(), "node \(index) entered while its executor is held")
        defer { executor.release() }
        let direct = unsafe unsafeBitCast(body, to: ((NodeActor, StepRun, Int, Int, Int) -> UInt64).self)
        return direct(self, step, index, worker, numaNode)
    }

    @inline(__always)
    nonisolated func enterIsolation<A, R>(
        _ argument: A, claimingExecutor: Bool = false, _ body: @escaping (isolated NodeActor, A) -> R
    ) -> R {
        let claim = claimingExecutor || Self.checksIsolation
        if claim { precondition(executor.tryAcquire(), "node \(index) entered while its executor is held") }
        defer { if claim { executor.release() } }
        // `body` captures nothing (callers pass non-capturing closures), so it carries no context to retain.
        let direct = unsafe unsafeBitCast(body, to: ((NodeActor, A) -> R).self)
        return direct(self, argument)
    }
}
