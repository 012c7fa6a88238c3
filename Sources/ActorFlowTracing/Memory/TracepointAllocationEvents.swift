import ActorFlowCore

/// The ``AllocationEventSink`` of traced steps that emit LTTng events: each tracked allocation becomes an
/// `actorflow:alloc` event when it is made, and its free an `actorflow:free` event when its last sharer is
/// dropped — possibly after the step ended, on any thread.
///
///     let scope = AllocationScope(numaNode: 0, events: TracepointAllocationEvents.shared, stepID: 7, opID: 2)
public final class TracepointAllocationEvents: AllocationEventSink {
    /// The one sink (it has no state).
    public static let shared = TracepointAllocationEvents()

    private init() {}

    public func allocated(id: Int, bytes: Int, numaNode: Int, stepID: Int64, opID: Int) {
        Tracepoints.alloc(stepID: Int(stepID), opID: opID, bytes: bytes, allocationID: id, numaNode: numaNode)
    }

    public func freed(id: Int, bytes: Int) {
        Tracepoints.free(allocationID: id, bytes: bytes)
    }
}
