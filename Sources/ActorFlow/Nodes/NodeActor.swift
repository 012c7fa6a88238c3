import Synchronization

/// One op of a running plan, as an actor: it holds its pending-input count and owns its input slots,
/// and it fires — runs its kernel on its inputs — when the last input resolves.
///
/// ## How firings enter the actor
/// A firing never awaits: the executor thread that resolved the node's last input calls ``fire(in:)``,
/// which enters the node's isolation through ``enterIsolation(_:_:)`` — a thin function with an
/// `isolated` parameter — so the firing body is compiler-checked isolated code with no task, job or
/// runtime isolation check on the hot path. Exclusivity comes from the pending-count protocol: the
/// count reaches zero exactly once per step, so exactly one thread fires a node per step. In debug builds
/// (`ACTORFLOW_INTERNAL_CHECKS`) a per-node flag checks that no two firings overlap.
///
/// Nothing outside the step engine can reach a node: the type is internal and has no async methods.
actor NodeActor {
    /// The node's index in its plan.
    nonisolated let index: Int
    /// Inputs not yet resolved in the current step; the producer that brings it to zero fires the node.
    nonisolated let pending: Atomic<Int>
    #if ACTORFLOW_INTERNAL_CHECKS
    /// Set while a firing runs (debug builds only).
    nonisolated let firing = Atomic<Bool>(false)
    #endif

    /// How many times this node fired (across the steps that reused it).
    private(set) var firings = 0

    init(index: Int) {
        self.index = index
        self.pending = Atomic(0)
    }

    /// The firing body: takes the inputs out of the node's slots, runs the kernel, and returns its outputs
    /// (or `nil` when the step was cancelled, or the error the kernel threw).
    func fireBody(_ node: ExecutionPlan.Node, step: StepState) -> Result<[NDArray], SessionError>? {
        firings += 1
        // A stopping step skips kernels; its unread input slots are emptied when the step finishes.
        if step.isStopping { return nil }
        var inputs: [NDArray] = []
        inputs.reserveCapacity(node.inputs.count)
        for (i, source) in node.inputs.enumerated() {
            switch source {
            case .feed(let f): inputs.append(step.feeds[f])
            case .node:
                guard let value = step.slots.take(node.inputSlotBase + i) else { return nil }
                inputs.append(value)
            }
        }
        let context = KernelContext(
            op: node.op, inputs: inputs, state: step.sessionState, stepID: step.stepID,
            cancellation: step.cancellation)
        do {
            let outputs = try node.kernel.compute(context)
            if let problem = Self.validate(outputs, of: node.op) {
                return .failure(.opFailed(op: node.op.name, underlying: KernelError(problem)))
            }
            return .success(outputs)
        } catch let error as SessionError {
            return .failure(error)
        } catch {
            return .failure(.opFailed(op: node.op.name, underlying: error))
        }
    }

    /// Why `outputs` cannot be the outputs of `op`, or `nil` when they match its declared dtypes and shapes.
    nonisolated static func validate(_ outputs: [NDArray], of op: Operation) -> String? {
        guard outputs.count == op.outputCount else {
            return "kernel returned \(outputs.count) outputs, the op declares \(op.outputCount)"
        }
        for (i, value) in outputs.enumerated() {
            if value.dtype != op.outputDTypes[i] {
                return "output \(i) has dtype \(value.dtype), the op declares \(op.outputDTypes[i])"
            }
            if !op.outputShapes[i].isCompatible(with: value.dimensions) {
                return "output \(i) has shape \(value.dimensions.shapeDescription), the op declares \(op.outputShapes[i])"
            }
        }
        return nil
    }

    /// Fires the node on the calling thread, inside its isolation.
    nonisolated func fire(_ node: ExecutionPlan.Node, in step: StepState) -> Result<[NDArray], SessionError>? {
        enterIsolation(step) { actor, step in actor.fireBody(node, step: step) }
    }

    /// The engine's single entry into a node's isolation from a synchronous executor thread.
    ///
    /// Calling a function whose first parameter is `isolated NodeActor` normally requires hopping to the
    /// actor's executor. Here the hop is replaced by the pending-count protocol, which guarantees that
    /// only one thread is ever inside a given node at a time: the function is called directly. The two
    /// function types differ only in the `isolated` annotation, which does not change the calling
    /// convention.
    @inline(__always)
    nonisolated func enterIsolation<R>(
        _ step: StepState,
        _ body: (isolated NodeActor, StepState) -> R
    ) -> R {
        #if ACTORFLOW_INTERNAL_CHECKS
        precondition(!firing.exchange(true, ordering: .acquiring), "node \(index) fired twice at once")
        defer { firing.store(false, ordering: .releasing) }
        #endif
        return withoutActuallyEscaping(body) { escapable in
            let direct = unsafe unsafeBitCast(escapable, to: ((NodeActor, StepState) -> R).self)
            return direct(self, step)
        }
    }
}
