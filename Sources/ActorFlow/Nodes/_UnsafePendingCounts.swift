import Synchronization

/// The pending-input counts of a step's nodes, contiguous and indexed by node id.
///
/// Node `n`'s count lives at index `n`: producers decrement it as they resolve its inputs, and the one that
/// brings it to zero fires the node. Keeping the counts in one array (rather than one per node object)
/// makes resolving a successor a single cache-friendly atomic operation, as in TensorFlow's
/// `SimplePropagatorState`. The only unsafe code is the allocation of the atomics; each is accessed in place.
@safe final class PendingCounts: Sendable {
    // The atomics are initialized in `init`, deinitialized in `deinit`, and only ever accessed in place
    // through atomic operations.
    private nonisolated(unsafe) let base: UnsafeMutablePointer<Atomic<Int>>
    let count: Int

    init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: max(count, 1))
        for i in 0..<count { unsafe (base + i).initialize(to: Atomic(0)) }
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Sets node `index`'s count before a step starts.
    @inline(__always)
    func set(_ index: Int, to value: Int) {
        precondition(index >= 0 && index < count)
        unsafe base[index].store(value, ordering: .relaxed)
    }

    /// Resolves one input of node `index`; returns `true` when it was the last one. Acquire-release: the
    /// producer's value stores happen before the consumer reads them.
    @inline(__always)
    func resolveOne(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count)
        return unsafe base[index].subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }
}
