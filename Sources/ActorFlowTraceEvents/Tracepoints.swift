import CActorFlowTracepoints

/// The one Swift door to the `actorflow` LTTng-UST tracepoint provider (Tracing/README.md lists every event).
///
/// Each function first reads its event's enabled flag, which lttng-ust sets while a tracing session has the event
/// enabled (`lttng enable-event -u 'actorflow:*'`). When no session listens, a call costs that one relaxed load and
/// a not-taken branch, inlined into the caller: no function call, no allocation, no `String` bridging. Only then
/// are the integers narrowed to the event's field widths and the C wrapper called (about 0.2–0.3 µs per event
/// recorded). Without a session daemon, or without any session, every call stays a no-op.
///
/// ```swift
/// let name = InternedCString("y"), type = InternedCString("MatMul")
/// Tracepoints.stepBegin(stepID: 7, nodeCount: 4)
/// Tracepoints.opStart(stepID: 7, opID: 2, name: name, type: type, worker: 1, numaNode: 0)
/// Tracepoints.opEnd(stepID: 7, opID: 2, name: name, worker: 1, numaNode: 0, outputBytes: 64)
/// Tracepoints.stepEnd(stepID: 7, status: .ok)
/// ```
///
/// Integer parameters are `Int`; they are converted after the enabled check with `truncatingIfNeeded`, so a value
/// outside the field's range (Tracing/README.md gives each width) wraps instead of trapping.
///
/// A build for measuring what the door itself costs can compile it out: with `-Xswiftc -DACTORFLOW_NO_TRACEPOINTS`
/// (for example `swift build -c release -Xswiftc -DACTORFLOW_NO_TRACEPOINTS --scratch-path .build-notp`) every event
/// function's body is empty, ``isEnabled(_:)``, ``anyEnabled``, ``isProviderRegistered`` and ``isCompiledIn`` are
/// false, and no session ever receives an event from the process. The C provider is still linked and registers with
/// lttng-ust at start; only the Swift calls into it are gone.
///
/// Thread safety: every function may be called from any thread at any time.
public enum Tracepoints {
    /// How a step ended: the `status` field of `actorflow:step_end`, an LTTng enumeration whose labels are the
    /// case names in snake case (`ok`, `failed`, `cancelled`, `deadline_exceeded`).
    public enum StepStatus: Int32, Sendable, CaseIterable {
        /// Every fetch and target completed.
        case ok = 0
        /// An op failed; the step's error names it.
        case failed = 1
        /// The step was cancelled before it completed.
        case cancelled = 2
        /// The step ran past its `RunOptions.timeoutInMs`.
        case deadlineExceeded = 3
    }

    // MARK: Status

    /// The provider's events, for asking which ones a session currently records.
    public enum Event: String, Sendable, CaseIterable {
        /// A step started.
        case stepBegin = "step_begin"
        /// A step finished.
        case stepEnd = "step_end"
        /// An op became ready and was handed to the executor.
        case opScheduled = "op_scheduled"
        /// An op's kernel is about to run.
        case opStart = "op_start"
        /// An op's kernel returned.
        case opEnd = "op_end"
        /// An async op's kernel suspended, giving its thread back.
        case opSuspend = "op_suspend"
        /// A suspended async op's kernel runs again.
        case opResume = "op_resume"
        /// A worker stole work from another.
        case steal = "steal"
        /// A worker went to sleep.
        case workerPark = "worker_park"
        /// A worker woke up.
        case workerWake = "worker_wake"
        /// This process (a cluster task) runs its part of a cluster step; its next `step_begin` is that part.
        case clusterStep = "cluster_step"
        /// An op's kernel created an `NDArray` with a new buffer (an output or a temporary).
        case alloc = "alloc"
        /// The last value sharing a buffer recorded by `alloc` was dropped.
        case free = "free"

        /// The full LTTng event name, as `lttng enable-event -u` and `babeltrace2` spell it.
        ///
        /// ```swift
        /// print(Tracepoints.Event.opStart.lttngName)   // actorflow:op_start
        /// ```
        public var lttngName: String { "actorflow:" + rawValue }
    }

    /// Whether some tracing session currently records `event` in this process.
    ///
    /// ```swift
    /// if Tracepoints.isEnabled(.opStart) { print("op_start is being recorded") }
    /// ```
    ///
    /// Cost: one relaxed load (plus the switch).
    @inlinable
    public static func isEnabled(_ event: Event) -> Bool {
        #if ACTORFLOW_NO_TRACEPOINTS
        return false
        #else
        switch event {
        case .stepBegin: CActorFlowTracepoints_step_begin_enabled()
        case .stepEnd: CActorFlowTracepoints_step_end_enabled()
        case .opScheduled: CActorFlowTracepoints_op_scheduled_enabled()
        case .opStart: CActorFlowTracepoints_op_start_enabled()
        case .opEnd: CActorFlowTracepoints_op_end_enabled()
        case .opSuspend: CActorFlowTracepoints_op_suspend_enabled()
        case .opResume: CActorFlowTracepoints_op_resume_enabled()
        case .steal: CActorFlowTracepoints_steal_enabled()
        case .workerPark: CActorFlowTracepoints_worker_park_enabled()
        case .workerWake: CActorFlowTracepoints_worker_wake_enabled()
        case .clusterStep: CActorFlowTracepoints_cluster_step_enabled()
        case .alloc: CActorFlowTracepoints_alloc_enabled()
        case .free: CActorFlowTracepoints_free_enabled()
        }
        #endif
    }

    /// Whether any `actorflow` event is currently recorded in this process: a cheap test before work that only
    /// tracing needs (such as computing output sizes).
    ///
    /// ```swift
    /// if Tracepoints.anyEnabled { /* gather what the events will carry */ }
    /// ```
    ///
    /// Cost: thirteen relaxed loads.
    @inlinable
    public static var anyEnabled: Bool {
        Event.allCases.contains { isEnabled($0) }
    }

    /// Whether this process loaded lttng-ust's tracepoint library and registered the `actorflow` tracepoints
    /// with it. It is true whenever lttng-ust is installed, with or without a session daemon; when false, no
    /// session can ever enable the events in this process.
    ///
    /// ```swift
    /// print(Tracepoints.isProviderRegistered)   // true
    /// ```
    public static var isProviderRegistered: Bool {
        #if ACTORFLOW_NO_TRACEPOINTS
        false
        #else
        CActorFlowTracepoints_provider_registered()
        #endif
    }

    /// Whether this build can emit events at all: `false` in a build compiled with `-DACTORFLOW_NO_TRACEPOINTS`
    /// (see the type's discussion), where every event function is empty and no session ever receives an event.
    ///
    /// ```swift
    /// print(Tracepoints.isCompiledIn)   // true in a normal build
    /// ```
    public static var isCompiledIn: Bool {
        #if ACTORFLOW_NO_TRACEPOINTS
        false
        #else
        true
        #endif
    }

    // MARK: Steps

    /// Records that a step started: `actorflow:step_begin`.
    ///
    /// - Parameters:
    ///   - stepID: The step's id (field `step_id`, uint64).
    ///   - nodeCount: How many nodes the step will run (field `node_count`, uint32).
    ///
    /// ```swift
    /// Tracepoints.stepBegin(stepID: 7, nodeCount: plan.nodeCount)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func stepBegin(stepID: Int, nodeCount: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_step_begin_enabled()) else { return }
        CActorFlowTracepoints_step_begin(UInt64(truncatingIfNeeded: stepID), UInt32(truncatingIfNeeded: nodeCount))
        #endif
    }

    /// Records that a step finished: `actorflow:step_end`.
    ///
    /// - Parameters:
    ///   - stepID: The id passed to ``stepBegin(stepID:nodeCount:)`` (field `step_id`, uint64).
    ///   - status: How it ended (field `status`, int32 enumeration).
    ///
    /// ```swift
    /// Tracepoints.stepEnd(stepID: 7, status: .ok)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func stepEnd(stepID: Int, status: StepStatus) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_step_end_enabled()) else { return }
        CActorFlowTracepoints_step_end(UInt64(truncatingIfNeeded: stepID), status.rawValue)
        #endif
    }

    // MARK: Ops

    /// Records that an op became ready (all inputs resolved) and was handed to the executor:
    /// `actorflow:op_scheduled`.
    ///
    /// - Parameters:
    ///   - stepID: The step (field `step_id`, uint64).
    ///   - opID: The op's node id in the execution plan (field `op_id`, uint32).
    ///
    /// ```swift
    /// Tracepoints.opScheduled(stepID: 7, opID: 2)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func opScheduled(stepID: Int, opID: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_op_scheduled_enabled()) else { return }
        CActorFlowTracepoints_op_scheduled(UInt64(truncatingIfNeeded: stepID), UInt32(truncatingIfNeeded: opID))
        #endif
    }

    /// Records that an op's kernel is about to run: `actorflow:op_start`.
    ///
    /// - Parameters:
    ///   - stepID: The step (field `step_id`, uint64).
    ///   - opID: The op's node id in the execution plan (field `op_id`, uint32).
    ///   - name: The op's name, interned once per plan (field `op_name`, string).
    ///   - type: The op's type, such as `MatMul`, interned once per plan (field `op_type`, string).
    ///   - worker: The executor worker running it, or -1 off the pool (field `worker`, int32).
    ///   - numaNode: That worker's NUMA node, or -1 if unknown (field `numa_node`, int32).
    ///
    /// ```swift
    /// Tracepoints.opStart(stepID: 7, opID: 2, name: plan.names[2], type: plan.types[2], worker: 1, numaNode: 0)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch (the strings are not even read:
    /// `name` and `type` are evaluated only when the event is on).
    @inlinable @inline(__always)
    public static func opStart(
        stepID: Int,
        opID: Int,
        name: @autoclosure () -> InternedCString,
        type: @autoclosure () -> InternedCString,
        worker: Int,
        numaNode: Int
    ) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_op_start_enabled()) else { return }
        let (name, type) = (name(), type())
        unsafe CActorFlowTracepoints_op_start(
            UInt64(truncatingIfNeeded: stepID),
            UInt32(truncatingIfNeeded: opID),
            name.pointer,
            type.pointer,
            Int32(truncatingIfNeeded: worker),
            Int32(truncatingIfNeeded: numaNode)
        )
        // The pointers are only valid while their owners live; once inlined, nothing else would keep them alive.
        extendLifetime(name)
        extendLifetime(type)
        #endif
    }

    /// Records that an op's kernel returned and its outputs were delivered: `actorflow:op_end`.
    ///
    /// - Parameters:
    ///   - stepID: The step (field `step_id`, uint64).
    ///   - opID: The op's node id in the execution plan (field `op_id`, uint32).
    ///   - name: The op's name, the same instance passed to `opStart` (field `op_name`, string).
    ///   - worker: The executor worker that ran it, or -1 off the pool (field `worker`, int32).
    ///   - numaNode: That worker's NUMA node, or -1 if unknown (field `numa_node`, int32).
    ///   - outputBytes: The total size of the op's outputs (field `output_bytes`, uint64).
    ///
    /// ```swift
    /// Tracepoints.opEnd(stepID: 7, opID: 2, name: plan.names[2], worker: 1, numaNode: 0, outputBytes: 4096)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func opEnd(
        stepID: Int,
        opID: Int,
        name: @autoclosure () -> InternedCString,
        worker: Int,
        numaNode: Int,
        outputBytes: Int
    ) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_op_end_enabled()) else { return }
        let name = name()
        unsafe CActorFlowTracepoints_op_end(
            UInt64(truncatingIfNeeded: stepID),
            UInt32(truncatingIfNeeded: opID),
            name.pointer,
            Int32(truncatingIfNeeded: worker),
            Int32(truncatingIfNeeded: numaNode),
            UInt64(truncatingIfNeeded: outputBytes)
        )
        extendLifetime(name)
        #endif
    }

    /// Records that an async op's kernel suspended, giving its thread back: `actorflow:op_suspend`.
    ///
    /// - Parameters:
    ///   - stepID: The step (field `step_id`, uint64).
    ///   - opID: The op's node id in the execution plan (field `op_id`, uint32).
    ///   - name: The op's name, the same instance passed to `opStart` (field `op_name`, string).
    ///   - worker: The executor worker it suspended on, or -1 off the pool (field `worker`, int32).
    ///   - numaNode: That worker's NUMA node, or -1 if unknown (field `numa_node`, int32).
    ///
    /// ```swift
    /// Tracepoints.opSuspend(stepID: 7, opID: 2, name: plan.names[2], worker: 1, numaNode: 0)
    /// ```
    @inlinable @inline(__always)
    public static func opSuspend(stepID: Int, opID: Int, name: InternedCString, worker: Int, numaNode: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_op_suspend_enabled()) else { return }
        unsafe CActorFlowTracepoints_op_suspend(
            UInt64(truncatingIfNeeded: stepID), UInt32(truncatingIfNeeded: opID), name.pointer,
            Int32(truncatingIfNeeded: worker), Int32(truncatingIfNeeded: numaNode))
        extendLifetime(name)
        #endif
    }

    /// Records that a suspended async op's kernel runs again: `actorflow:op_resume`, with the worker that
    /// resumed it (any worker may).
    ///
    /// - Parameters:
    ///   - stepID: The step (field `step_id`, uint64).
    ///   - opID: The op's node id in the execution plan (field `op_id`, uint32).
    ///   - name: The op's name, the same instance passed to `opStart` (field `op_name`, string).
    ///   - worker: The executor worker that resumed it, or -1 off the pool (field `worker`, int32).
    ///   - numaNode: That worker's NUMA node, or -1 if unknown (field `numa_node`, int32).
    ///
    /// ```swift
    /// Tracepoints.opResume(stepID: 7, opID: 2, name: plan.names[2], worker: 0, numaNode: 0)
    /// ```
    @inlinable @inline(__always)
    public static func opResume(stepID: Int, opID: Int, name: InternedCString, worker: Int, numaNode: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_op_resume_enabled()) else { return }
        unsafe CActorFlowTracepoints_op_resume(
            UInt64(truncatingIfNeeded: stepID), UInt32(truncatingIfNeeded: opID), name.pointer,
            Int32(truncatingIfNeeded: worker), Int32(truncatingIfNeeded: numaNode))
        extendLifetime(name)
        #endif
    }
}
