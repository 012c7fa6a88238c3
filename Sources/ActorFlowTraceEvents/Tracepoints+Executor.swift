import CActorFlowTracepoints

/// The executor's events: steals and workers parking and waking.
extension Tracepoints {
    /// Records that an idle worker took work from another worker's deque: `actorflow:steal`.
    ///
    /// - Parameters:
    ///   - thief: The worker that stole (field `thief`, int32).
    ///   - victim: The worker it stole from (field `victim`, int32).
    ///   - sameNode: Whether both are on the same NUMA node (field `same_node`, uint8, 1 or 0).
    ///
    /// ```swift
    /// Tracepoints.steal(thief: 3, victim: 0, sameNode: false)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func steal(thief: Int, victim: Int, sameNode: Bool) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_steal_enabled()) else { return }
        CActorFlowTracepoints_steal(
            Int32(truncatingIfNeeded: thief),
            Int32(truncatingIfNeeded: victim),
            sameNode ? 1 : 0
        )
        #endif
    }

    /// Records that a worker found no work anywhere and is going to sleep: `actorflow:worker_park`.
    ///
    /// - Parameter worker: The worker (field `worker`, int32).
    ///
    /// ```swift
    /// Tracepoints.workerPark(worker: 3)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func workerPark(worker: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_worker_park_enabled()) else { return }
        CActorFlowTracepoints_worker_park(Int32(truncatingIfNeeded: worker))
        #endif
    }

    /// Records that a parked worker woke up: `actorflow:worker_wake`.
    ///
    /// - Parameter worker: The worker (field `worker`, int32).
    ///
    /// ```swift
    /// Tracepoints.workerWake(worker: 3)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func workerWake(worker: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_worker_wake_enabled()) else { return }
        CActorFlowTracepoints_worker_wake(Int32(truncatingIfNeeded: worker))
        #endif
    }
}
