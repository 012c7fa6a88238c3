import CActorFlowTracepoints

extension Tracepoints {
    /// Records that this process, task `task` of a cluster of `tasks`, starts its part of cluster step
    /// `clusterStep`: `actorflow:cluster_step`. Each task's part is a step of its own, so the process's next
    /// `step_begin` is that part, and the event ties the process (its `vpid` context) to its task and its steps to
    /// the cluster's: in a trace of several ranks, every process's events are placed by the last `cluster_step`
    /// before them.
    ///
    /// - Parameters:
    ///   - clusterStep: The cluster step's number, the same on every task (field `cluster_step`, uint64).
    ///   - task: This process's task, its MPI rank (field `task`, int32).
    ///   - tasks: How many tasks the cluster has (field `tasks`, int32).
    ///
    /// ```swift
    /// Tracepoints.clusterStep(clusterStep: 3, task: 1, tasks: 2)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func clusterStep(clusterStep: Int, task: Int, tasks: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_cluster_step_enabled()) else { return }
        CActorFlowTracepoints_cluster_step(
            UInt64(truncatingIfNeeded: clusterStep), Int32(truncatingIfNeeded: task), Int32(truncatingIfNeeded: tasks))
        #endif
    }
}
