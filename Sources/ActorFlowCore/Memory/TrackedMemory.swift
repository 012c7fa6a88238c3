import Synchronization

/// Process-wide totals of the tracked buffers: the `NDArray` buffers created while an ``AllocationScope`` was
/// installed (on traced steps, inside each op's kernel) that are still alive.
///
/// A tracked buffer counts until the last `NDArray` sharing it is dropped, wherever that happens: in a later op,
/// in the session's slots, or in user code holding a fetched value.
///
///     let before = TrackedMemory.liveBytes
///     var value: NDArray? = try session.run(z, options: RunOptions(traceLevel: .softwareTrace))
///     TrackedMemory.liveBytes - before     // value's bytes (and whatever other threads hold meanwhile)
///     value = nil                          // … and back
///
/// These are the figures behind `AllocatorMemoryUsed.allocator_bytes_in_use` in step statistics.
public enum TrackedMemory {
    /// The next allocation id; ids start at 1 (0 means "untracked" in step statistics).
    private static let ids = Atomic<Int>(1)
    private static let live = Locked(Totals())

    private struct Totals {
        var bytes = 0
        var count = 0
        /// Live bytes by NUMA node id.
        var bytesByNode: [Int] = []
    }

    /// Bytes of tracked buffers alive in the process.
    public static var liveBytes: Int { live.withLock { $0.bytes } }

    /// How many tracked buffers are alive in the process.
    public static var liveAllocationCount: Int { live.withLock { $0.count } }

    /// Bytes of tracked buffers alive in the process that were allocated on NUMA node `node`.
    public static func liveBytes(onNUMANode node: Int) -> Int {
        live.withLock { node >= 0 && node < $0.bytesByNode.count ? $0.bytesByNode[node] : 0 }
    }

    /// A process-unique allocation id.
    static func nextID() -> Int { ids.add(1, ordering: .relaxed).oldValue }

    /// Counts a new buffer; returns the live bytes on `node` afterwards.
    static func add(_ bytes: Int, node: Int) -> Int {
        live.withLock { totals in
            totals.bytes += bytes
            totals.count += 1
            if node >= totals.bytesByNode.count {
                totals.bytesByNode.append(contentsOf: repeatElement(0, count: node + 1 - totals.bytesByNode.count))
            }
            totals.bytesByNode[node] += bytes
            return totals.bytesByNode[node]
        }
    }

    /// Counts a released buffer.
    static func remove(_ bytes: Int, node: Int) {
        live.withLock { totals in
            totals.bytes -= bytes
            totals.count -= 1
            totals.bytesByNode[node] -= bytes
        }
    }
}
