@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing

/// A node's async firing (``Kernel/async(isExpensive:_:)``): the kernel runs in a task isolated to the node actor,
/// started on the worker that fired the node, resumed as jobs of the node's ``NodeSerialExecutor``, and ending on
/// the actor, where it delivers its outputs and finishes the node. Synchronous firings are in NodeActor.swift.
extension NodeActor {
    /// Starts the node's async kernel, inside its isolation, on the thread that made it ready: takes its inputs
    /// and starts the kernel's task, which runs here until the kernel first suspends, and delivers the outputs and
    /// finishes the node when the kernel returns (``completeAsync(_:result:inputs:clock:)``). Returns `false` when
    /// the step is stopping: nothing started, and the caller finishes the node as a skipped one.
    ///
    /// The entry claims the node's executor, so that Swift sees the task start on it (`Task.immediate` runs
    /// synchronously only on its actor's executor); jobs that arrive meanwhile (a resumption) are drained after.
    /// The executor may still be held by the end of the previous step's task (its completion runs on the actor
    /// after the node finished): then the task's first stretch is queued behind it instead of run here.
    nonisolated func startAsync(_ index: Int, in step: StepRun, worker: Int, numaNode: Int) -> Bool {
        enterIsolationClaimingIfFree((step, worker, numaNode)) { actor, a, claimed in
            actor.startAsyncBody(a.0, worker: a.1, numaNode: a.2, runsHere: claimed)
        }
    }

    /// Starts the kernel's task (see ``startAsync(_:in:worker:numaNode:)``).
    ///
    /// The task is isolated to this actor and starts immediately, on this thread: the kernel runs until it first
    /// suspends, then this worker goes back to other ops. Each resumption is a job on the node's
    /// ``NodeSerialExecutor``, drained on the pool (on the NUMA node of the thread that resumed it) or on the
    /// caller's thread of a `.callerThread` step. Nonisolated async code the kernel calls runs on the step's
    /// async executor (the same pool, or loop). The task ends here too, delivering the outputs.
    private func startAsyncBody(_ step: StepRun, worker: Int, numaNode: Int, runsHere: Bool) -> Bool {
        let node = step.plan.nodes[index]
        // (No closure here: an isolated closure checks its executor, which a queued first stretch does not hold.)
        var r = NodeExecRecord()
        if let tracing = step.tracing { r = startedRecord(tracing, numaNode: numaNode) }
        guard let inputs = self.inputs(node, step: step, keepingSlots: false) else {
            if let tracing = step.tracing {
                r.allEndNanos = tracing.clock.now()
                step.records[index] = r
            }
            return false
        }
        var clock: AsyncKernelClock?
        if let tracing = step.tracing {
            if tracing.emitsEvents {
                Tracepoints.opStart(
                    stepID: Int(step.stepID), opID: index, name: tracing.names.names[index],
                    type: tracing.names.types[index], worker: worker, numaNode: numaNode)
            }
            let timing = AsyncKernelClock(stepID: step.stepID, opID: index, tracing: tracing)
            executor.observeJobs(with: timing)
            clock = timing
            r.opStartNanos = tracing.clock.now()
            step.records[index] = r
        }
        let kernel = node.kernel.storage.async!
        // When the executor could not be claimed, the first stretch is a queued job, timed by the drain that runs it.
        let timesHere = runsHere ? clock : nil
        timesHere?.jobWillRun()
        let task = Task.immediate(executorPreference: step.asyncExecutor) { [clock] in
            let result: Result<[NDArray], any Error>
            do {
                let context = KernelContext(
                    op: node.op, inputs: inputs, state: step.sessionState, stepID: step.stepID,
                    cancellation: step.cancellation, intraOp: step.intraOp)
                result = .success(try await kernel(context))
            } catch {
                result = .failure(error)
            }
            clock?.kernelReturned()
            self.completeAsync(step, result: result, inputs: clock == nil ? [] : inputs, clock: clock)
        }
        timesHere?.jobDidRun()
        step.track(task, of: index)
        return true
    }

    /// Ends an async firing on the node actor (a job of its executor): checks and delivers the kernel's outputs,
    /// or stops the step with its error (a late result of a step that stopped meanwhile is dropped), completes the
    /// trace record, and finishes the node.
    private func completeAsync(
        _ step: StepRun, result: Result<[NDArray], any Error>, inputs: [NDArray], clock: AsyncKernelClock?
    ) {
        let node = step.plan.nodes[index]
        var delivered: [NDArray]?
        if !step.isStopping {
            switch result {
            case .success(let outputs):
                if let problem = node.problem(with: outputs) {
                    step.stop(with: .opFailed(op: node.op.name, underlying: KernelError(problem)))
                } else {
                    deliver(outputs, of: node, step: step)
                    delivered = outputs
                }
            case .failure(let error):
                step.stop(with: Self.sessionError(error, op: node.op))
            }
        }
        var readyAt: UInt64 = 0
        if let tracing = step.tracing, let clock {
            executor.observeJobs(with: nil)
            var r = step.records[index]
            let measured = clock.measured
            r.opEndNanos = measured.end
            r.suspendedNanos = measured.suspendedNanos
            r.suspensions = measured.suspensions
            var outputBytes = 0
            r.outputs = (delivered ?? []).map { value in
                let aliased = inputs.firstIndex { value.sharesStorage(with: $0) }
                if aliased == nil { outputBytes += value.byteCount }
                return OutputRecord(
                    dtype: value.dtype, dimensions: value.dimensions, bytes: value.byteCount,
                    allocated: aliased == nil, allocationID: 0, hasSingleReference: false, numaNode: -1,
                    aliasedInput: Int32(aliased ?? -1))
            }
            if tracing.emitsEvents {
                Tracepoints.opEnd(
                    stepID: Int(step.stepID), opID: index, name: tracing.names.names[index],
                    worker: CurrentWorker.index ?? -1, numaNode: CurrentWorker.numaNode ?? -1, outputBytes: outputBytes)
            }
            r.didRun = true
            r.allEndNanos = tracing.clock.now()
            step.records[index] = r
            readyAt = r.allEndNanos
        }
        step.asyncNodeEnded(index, readyAt: readyAt)
    }

    // MARK: Isolation

    /// ``enterIsolation(_:claimingExecutor:_:)`` for async nodes: claims the executor when it is free and says
    /// whether it did. It can be held only by the tail of the node's previous task (which touches no node state
    /// once the node finished), never by another firing: the pending-count protocol still gives one firing per step.
    @inline(__always)
    nonisolated func enterIsolationClaimingIfFree<A, R>(
        _ argument: A, _ body: @escaping (isolated NodeActor, A, Bool) -> R
    ) -> R {
        let claimed = executor.tryAcquire()
        defer { if claimed { executor.release() } }
        let direct = unsafe unsafeBitCast(body, to: ((NodeActor, A, Bool) -> R).self)
        return direct(self, argument, claimed)
    }
}
