/// A ``WorkItem`` as three machine words, so a deque slot can hold it in atomics.
///
/// A thief reads a slot before it knows whether it won the item; a losing thief may have read words the
/// owner was overwriting. Holding items as plain bits makes that read harmless: nothing is retained or
/// released until the thief has won (then it owns the bits' reference and turns them back into an item).
struct WorkItemBits {
    var word0: UInt
    var word1: UInt
    var word2: UInt

    init(word0: UInt, word1: UInt, word2: UInt) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
    }

    /// Whether `WorkItem` is laid out as three words (checked once, when the first deque is made).
    static let layoutMatches: Bool =
        MemoryLayout<WorkItem>.size == MemoryLayout<WorkItemBits>.size
        && MemoryLayout<WorkItem>.alignment == MemoryLayout<WorkItemBits>.alignment

    /// The bits of `item`, taking over its reference to its target (given back by ``takeItem()``).
    ///
    /// The retain below and the release of the consumed `item` cancel out when this is inlined into a
    /// function that owns `item`, as ``WorkStealingDeque/push(_:)`` does: pushing costs no reference
    /// counting on the target, which all workers of a step share.
    @inline(__always)
    init(owning item: consuming WorkItem) {
        self = unsafe unsafeBitCast(item, to: WorkItemBits.self)
        _ = unsafe Unmanaged<AnyObject>.passRetained(item.target)
    }

    /// Turns bits made by ``init(owning:)`` back into an item, taking over their reference (no retain or
    /// release happens). Call at most once per `init(owning:)`.
    @inline(__always)
    func takeItem() -> WorkItem {
        unsafe withUnsafeTemporaryAllocation(of: WorkItem.self, capacity: 1) { buffer in
            let slot = buffer.baseAddress!
            unsafe UnsafeMutableRawPointer(slot).storeBytes(of: self, as: WorkItemBits.self)
            return unsafe slot.move()
        }
    }
}
