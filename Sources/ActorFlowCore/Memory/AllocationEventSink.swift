/// Where an ``AllocationScope`` reports each allocation and free as it happens: ActorFlowTracing's
/// `TracepointAllocationEvents` turns them into the `actorflow:alloc` and `actorflow:free` LTTng events.
///
/// `freed` runs in the deinitializer of the buffer's last sharer, on whatever thread drops it, possibly long
/// after the op and its step ended: it must be thread-safe and must not block. Sinks are objects (a scope holds
/// one reference, which is all a traced firing copies).
///
///     final class PrintingSink: AllocationEventSink {
///         func allocated(id: Int, bytes: Int, numaNode: Int, stepID: Int64, opID: Int) { print("+", id, bytes) }
///         func freed(id: Int, bytes: Int) { print("-", id, bytes) }
///     }
///     let scope = AllocationScope(numaNode: 0, events: PrintingSink())
public protocol AllocationEventSink: AnyObject, Sendable {
    /// A buffer of `bytes` with the process-unique `id` was allocated on `numaNode` by op `opID` of `stepID`.
    func allocated(id: Int, bytes: Int, numaNode: Int, stepID: Int64, opID: Int)
    /// The buffer `id`, of `bytes`, was released (its last sharer was dropped).
    func freed(id: Int, bytes: Int)
}
