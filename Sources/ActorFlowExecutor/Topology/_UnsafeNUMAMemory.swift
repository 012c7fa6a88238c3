import CNUMA

/// libnuma's node-bound allocator, for measuring it against first-touch Swift arrays (see
/// ``NodeLocalBuffer``). NDArray storage does not use it: the measurement is why (README, "Node-local memory").
///
/// The corresponding C functions are `numa_alloc_onnode` and `numa_free`.
enum NUMAMemory {
    /// Maps `bytes` bound to NUMA node `node` (`numa_alloc_onnode`: an `mmap` plus `mbind`, rounded up to whole
    /// pages), writes `fill` into every byte, reads one back and unmaps it (`numa_free`). Returns the byte read,
    /// or `nil` when libnuma is unavailable or the mapping fails.
    static func allocateFillFree(bytes: Int, node: Int, fill: UInt8) -> UInt8? {
        guard bytes > 0, numa_available() >= 0 else { return nil }
        guard let memory = unsafe numa_alloc_onnode(bytes, CInt(node)) else { return nil }
        unsafe memory.initializeMemory(as: UInt8.self, repeating: fill, count: bytes)
        let last = unsafe memory.load(fromByteOffset: bytes - 1, as: UInt8.self)
        unsafe numa_free(memory, bytes)
        return last
    }
}
