import Synchronization

/// A fixed number of `Int` atomics, contiguous and at stable addresses for the object's life: a step's pending
/// input counts (one per node) and an intra-op tally's chunks per worker.
///
/// `Atomic` is not copyable, so no `Array` can hold it; the counters live in memory allocated here. The only
/// unsafe code is that allocation: each counter is accessed in place, through atomic operations only.
///
/// Public only as SPI (`@_spi(ActorFlowInternal) import ActorFlowCore`), with inlinable operations, because the
/// step engine resolves a successor's count on its hottest path from another module.
///
///     let counts = AtomicCounters(count: 3)
///     counts.store(2, at: 1)
///     counts.decrementReachesZero(at: 1)   // false: 1 left
///     counts.decrementReachesZero(at: 1)   // true
@_spi(ActorFlowInternal) public final class AtomicCounters: Sendable {
    // Initialized in `init`, deinitialized in `deinit`, accessed in place through atomic operations only.
    @usableFromInline nonisolated(unsafe) let base: UnsafeMutablePointer<Atomic<Int>>
    /// How many counters.
    public let count: Int

    /// `count` counters, all 0.
    public init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: max(count, 1))
        for i in 0..<count { unsafe (base + i).initialize(to: Atomic(0)) }
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Sets counter `index` (relaxed: for values published by a later synchronizing operation).
    @inlinable @inline(__always)
    public func store(_ value: Int, at index: Int) {
        precondition(index >= 0 && index < count)
        unsafe base[index].store(value, ordering: .relaxed)
    }

    /// Adds `delta` to counter `index` (relaxed, wrapping).
    @inlinable @inline(__always)
    public func add(_ delta: Int, at index: Int) {
        precondition(index >= 0 && index < count)
        unsafe base[index].wrappingAdd(delta, ordering: .relaxed)
    }

    /// Counter `index`'s value, replaced by `value` (relaxed).
    @inlinable @inline(__always)
    public func exchange(_ value: Int, at index: Int) -> Int {
        precondition(index >= 0 && index < count)
        return unsafe base[index].exchange(value, ordering: .relaxed)
    }

    /// Subtracts 1 from counter `index` and returns whether it reached 0. Acquire-release: what the threads that
    /// decremented it stored before happens before what the one that saw 0 reads after.
    @inlinable @inline(__always)
    public func decrementReachesZero(at index: Int) -> Bool {
        precondition(index >= 0 && index < count)
        return unsafe base[index].subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }
}
