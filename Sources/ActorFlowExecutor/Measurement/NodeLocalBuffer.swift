/// The two ways an op running on a pinned worker can get memory on its own NUMA node, each as one operation —
/// allocate a buffer, write every byte, free it — for the `NUMAAllocationBenchmarks` in `Benchmarks/`.
///
///     let node = Topology.current().nodes[0]
///     _ = NodeLocalBuffer.pinCallingThread(to: node.cpus[0])
///     NodeLocalBuffer.Strategy.firstTouch.allocateFillFree(bytes: 1 << 20, node: node.id)
///     NodeLocalBuffer.Strategy.numaAllocOnNode.allocateFillFree(bytes: 1 << 20, node: node.id)
///
/// The README's "Node-local memory" paragraph has the figures and why NDArray storage stays first-touch.
public enum NodeLocalBuffer {
    /// How the buffer is obtained.
    public enum Strategy: String, Sendable, CaseIterable {
        /// A Swift array: `malloc` from the calling thread's arena, then the first write, on the pinned thread,
        /// faults its new pages in on that thread's node (Linux's default first-touch policy). What NDArray
        /// storage does.
        case firstTouch = "first-touch"
        /// `numa_alloc_onnode(size, node)`, a fill, `numa_free`: fresh pages bound to `node` on every call.
        case numaAllocOnNode = "numa-alloc-onnode"

        /// Allocates `bytes` on `node` this way, writes every byte, frees the buffer, and returns one byte read
        /// back (so the work cannot be optimized away). `node` matters only to ``numaAllocOnNode``; first touch
        /// lands on the node of the CPU the calling thread runs on. Returns 0 when libnuma is unavailable.
        @inline(never)
        public func allocateFillFree(bytes: Int, node: Int) -> UInt8 {
            switch self {
            case .firstTouch:
                let buffer = [UInt8](repeating: 0x5A, count: bytes)
                return buffer.last ?? 0
            case .numaAllocOnNode:
                return NUMAMemory.allocateFillFree(bytes: bytes, node: node, fill: 0x5A) ?? 0
            }
        }
    }

    /// Pins the calling thread to `cpu`, as pool workers are pinned; `false` when the kernel refuses.
    public static func pinCallingThread(to cpu: Int) -> Bool {
        Affinity.pinCurrentThread(to: cpu)
    }
}
