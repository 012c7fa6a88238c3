import Synchronization

/// A Chase–Lev work-stealing deque of ``WorkItem``s: its owner pushes and pops at the bottom (LIFO, no
/// locks, no read-modify-write except when taking the last item), thieves steal at the top (FIFO, one
/// compare-and-swap).
///
/// Orderings follow Lê, Pop, Cohen and Zappa Nardelli, "Correct and Efficient Work-Stealing for Weak
/// Memory Models" (PPoPP 2013), with the standalone fences folded into sequentially consistent accesses
/// of `top` and `bottom` (same cost on x86, and visible to ThreadSanitizer). `top` and `bottom` sit on
/// different cache lines: sharing one halved throughput in the prototype. The ring grows by doubling when
/// full and never shrinks.
///
///     let deque = WorkStealingDeque()
///     deque.push(item)          // owner thread only
///     let mine = deque.pop()    // owner thread only
///     switch deque.steal() {    // any thread
///     case .stolen(let item): run(item)
///     case .empty, .contended: break
///     }
///
/// Thread safety: `push` and `pop` only on the owner thread; `steal` and `approximateCount` anywhere.
@safe package final class WorkStealingDeque: @unchecked Sendable {
    /// The result of a steal.
    package enum StealResult {
        /// The item now belongs to the thief.
        case stolen(WorkItem)
        /// Nothing to steal.
        case empty
        /// Another thread took the top item first; the deque may hold more.
        case contended
    }

    /// The thieves' end: index of the oldest item.
    private let top = Atomic<Int>(0)
    private let padding0: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// The owner's end: one past the newest item.
    private let bottom = Atomic<Int>(0)
    private let padding1: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// The current ring, published to thieves.
    private let published: Atomic<UnsafeMutableRawPointer>
    /// The current ring. Owner thread only.
    private var ring: DequeRing
    /// Rings replaced by growth; thieves may still read them, so they live as long as the deque.
    /// Owner thread only.
    private var retired: [DequeRing] = []
    /// A lower bound of `top` (it only grows), so `push` reads the thieves' cache line only when the ring
    /// looks full. Owner thread only.
    private var knownTop = 0

    /// Creates an empty deque holding `capacity` items before it first grows.
    package init(capacity: Int = 1024) {
        precondition(WorkItemBits.layoutMatches, "WorkItem is no longer four plain words; update WorkItemBits")
        let ring = DequeRing.allocate(capacity: max(2, capacity))
        self.ring = ring
        unsafe published = Atomic(ring.base)
    }

    deinit {
        while let item = pop() { item.discard() }
        ring.deallocate()
        for old in retired { old.deallocate() }
    }

    /// Adds an item at the bottom. Owner thread only.
    @inline(__always)
    package func push(_ item: WorkItem) {
        let b = bottom.load(ordering: .relaxed)
        if b - knownTop >= ring.capacity - 1 {
            knownTop = top.load(ordering: .acquiring)
            if b - knownTop >= ring.capacity - 1 { grow(top: knownTop, bottom: b) }
        }
        ring.write(b, WorkItemBits(item))
        bottom.store(b + 1, ordering: .releasing)
    }

    /// Takes the newest item. Owner thread only.
    @inline(__always)
    package func pop() -> WorkItem? {
        let b = bottom.load(ordering: .relaxed) - 1
        bottom.store(b, ordering: .sequentiallyConsistent)
        let t = top.load(ordering: .sequentiallyConsistent)
        guard t <= b else {
            bottom.store(b + 1, ordering: .releasing)
            return nil
        }
        let bits = ring.read(b)
        if t < b { return bits.item }
        // The last item: race the thieves for it.
        let won = top.compareExchange(
            expected: t, desired: t + 1, successOrdering: .sequentiallyConsistent, failureOrdering: .relaxed
        ).exchanged
        bottom.store(b + 1, ordering: .releasing)
        return won ? bits.item : nil
    }

    /// Takes the oldest item. Any thread.
    @inline(__always)
    package func steal() -> StealResult {
        let t = top.load(ordering: .sequentiallyConsistent)
        let b = bottom.load(ordering: .sequentiallyConsistent)
        guard t < b else { return .empty }
        let current = unsafe DequeRing(base: published.load(ordering: .acquiring))
        let bits = current.read(t)
        let won = top.compareExchange(
            expected: t, desired: t + 1, successOrdering: .sequentiallyConsistent, failureOrdering: .relaxed
        ).exchanged
        return won ? .stolen(bits.item) : .contended
    }

    /// How many items the deque holds, possibly stale by the time it returns. Any thread.
    package var approximateCount: Int {
        let b = bottom.load(ordering: .relaxed)
        let t = top.load(ordering: .relaxed)
        return max(0, b - t)
    }

    /// Doubles the ring, copying the live items `top..<bottom`. Owner thread only.
    private func grow(top t: Int, bottom b: Int) {
        let bigger = DequeRing.allocate(capacity: ring.capacity * 2)
        for index in t..<b {
            bigger.write(index, ring.read(index))
        }
        retired.append(ring)
        ring = bigger
        unsafe published.store(bigger.base, ordering: .releasing)
    }
}
