/// One tracked buffer: made by an ``AllocationScope`` when an `NDArray` with a new buffer is created under it,
/// and shared by every `NDArray` that shares the buffer (its copies, reshapes and forwarded outputs).
///
/// Its deinitializer, when the last of those values is dropped, on whatever thread that happens, is the buffer's
/// free: it tells the allocating scope (for the op's peak and allocation records), ``TrackedMemory`` and the
/// scope's event sink (the LTTng `free` event).
package final class TrackedAllocation: Sendable {
    /// The process-unique allocation id (`allocation_id` in step statistics and LTTng events).
    package let id: Int
    /// The buffer's size: `NDArray.byteCount` of the value that created it.
    package let bytes: Int
    /// The NUMA node of the worker that created it.
    package let numaNode: Int
    /// The scope of the op that allocated it.
    package let scope: AllocationScope

    init(id: Int, bytes: Int, numaNode: Int, scope: AllocationScope) {
        self.id = id
        self.bytes = bytes
        self.numaNode = numaNode
        self.scope = scope
    }

    deinit {
        scope.released(id: id, bytes: bytes)
    }
}
