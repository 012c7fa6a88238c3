import CActorFlowTracepoints

/// The memory events: buffers made by kernels and released.
extension Tracepoints {
    /// Records that an op's kernel created an `NDArray` with a new buffer, an output or a temporary:
    /// `actorflow:alloc`. Traced steps emit it through ``TracepointAllocationEvents`` as the buffer is made.
    ///
    /// - Parameters:
    ///   - stepID: The step (field `step_id`, uint64).
    ///   - opID: The allocating op (field `op_id`, uint32).
    ///   - bytes: The buffer's size (field `bytes`, uint64).
    ///   - allocationID: An id unique among live allocations, repeated by ``free(allocationID:bytes:)``
    ///     (field `allocation_id`, uint64).
    ///   - numaNode: The node whose memory holds it, or -1 if unknown (field `numa_node`, int32).
    ///
    /// ```swift
    /// Tracepoints.alloc(stepID: 7, opID: 2, bytes: 4096, allocationID: 11, numaNode: 0)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func alloc(stepID: Int, opID: Int, bytes: Int, allocationID: Int, numaNode: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_alloc_enabled()) else { return }
        CActorFlowTracepoints_alloc(
            UInt64(truncatingIfNeeded: stepID),
            UInt32(truncatingIfNeeded: opID),
            UInt64(truncatingIfNeeded: bytes),
            UInt64(truncatingIfNeeded: allocationID),
            Int32(truncatingIfNeeded: numaNode)
        )
        #endif
    }

    /// Records that a buffer recorded by ``alloc(stepID:opID:bytes:allocationID:numaNode:)`` was released:
    /// `actorflow:free`. Traced steps emit it through ``TracepointAllocationEvents`` when the last value
    /// sharing the buffer is dropped, on that thread, possibly after the step ended.
    ///
    /// - Parameters:
    ///   - allocationID: The id given to `alloc` (field `allocation_id`, uint64).
    ///   - bytes: The buffer's size (field `bytes`, uint64).
    ///
    /// ```swift
    /// Tracepoints.free(allocationID: 11, bytes: 4096)
    /// ```
    ///
    /// Cost when the event is off: one relaxed load and a not-taken branch.
    @inlinable @inline(__always)
    public static func free(allocationID: Int, bytes: Int) {
        #if !ACTORFLOW_NO_TRACEPOINTS
        guard _slowPath(CActorFlowTracepoints_free_enabled()) else { return }
        CActorFlowTracepoints_free(UInt64(truncatingIfNeeded: allocationID), UInt64(truncatingIfNeeded: bytes))
        #endif
    }
}
