import Synchronization

/// The ring of slots behind a ``WorkStealingDeque``: a power-of-two count of slots, each four atomic words
/// holding a ``WorkItemBits``. The only pointer code of the deque.
///
/// A ring is never freed while its deque lives (thieves may still read an old ring after the owner grew
/// it); the deque frees all of them in its `deinit`.
@safe struct DequeRing {
    /// The ring's address, which the deque publishes atomically to thieves.
    let base: UnsafeMutableRawPointer

    private static let headerBytes = 64
    /// The words of one item (``WorkItemBits``).
    private static let wordsPerSlot = 4

    /// Slots: ``wordsPerSlot`` words per item, after a one-cache-line header holding the capacity.
    private var slots: UnsafeMutablePointer<Atomic<UInt>> {
        unsafe (base + DequeRing.headerBytes).assumingMemoryBound(to: Atomic<UInt>.self)
    }

    /// How many items the ring holds (a power of two).
    var capacity: Int { unsafe base.load(as: Int.self) }

    /// Allocates a ring of `capacity` slots (rounded up to a power of two), every word zero.
    static func allocate(capacity requested: Int) -> DequeRing {
        var capacity = 1
        while capacity < requested { capacity <<= 1 }
        let words = capacity * wordsPerSlot
        let base = UnsafeMutableRawPointer.allocate(
            byteCount: headerBytes + words * MemoryLayout<Atomic<UInt>>.stride, alignment: 64)
        unsafe base.initializeMemory(as: Int.self, to: capacity)
        let slots = unsafe (base + headerBytes).bindMemory(to: Atomic<UInt>.self, capacity: words)
        for word in 0..<words {
            unsafe (slots + word).initialize(to: Atomic<UInt>(0))
        }
        return unsafe DequeRing(base: base)
    }

    /// Rebuilds the view of a ring published by ``allocate(capacity:)``.
    init(base: UnsafeMutableRawPointer) {
        unsafe self.base = base
    }

    /// Frees the ring. No thread may use it afterwards.
    func deallocate() {
        unsafe slots.deinitialize(count: capacity * DequeRing.wordsPerSlot)
        unsafe base.deallocate()
    }

    /// Reads slot `index mod capacity` (relaxed: ordering comes from the deque's `top`/`bottom`).
    @inline(__always)
    func read(_ index: Int) -> WorkItemBits {
        let slot = unsafe slots + (index & (capacity - 1)) * DequeRing.wordsPerSlot
        return unsafe WorkItemBits(
            word0: slot[0].load(ordering: .relaxed),
            word1: slot[1].load(ordering: .relaxed),
            word2: slot[2].load(ordering: .relaxed),
            word3: slot[3].load(ordering: .relaxed))
    }

    /// Writes slot `index mod capacity` (relaxed: the owner publishes it with a release store of `bottom`).
    @inline(__always)
    func write(_ index: Int, _ bits: WorkItemBits) {
        let slot = unsafe slots + (index & (capacity - 1)) * DequeRing.wordsPerSlot
        unsafe slot[0].store(bits.word0, ordering: .relaxed)
        unsafe slot[1].store(bits.word1, ordering: .relaxed)
        unsafe slot[2].store(bits.word2, ordering: .relaxed)
        unsafe slot[3].store(bits.word3, ordering: .relaxed)
    }
}
