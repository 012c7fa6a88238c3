/// A ``WorkItem`` as four machine words, so a deque slot can hold it in atomics.
///
/// A thief reads a slot before it knows whether it won the item; a losing thief may have read words the
/// owner was overwriting. Work items are plain words (they hold their target without reference counting),
/// so such a read is harmless: the loser drops its copy, the winner turns the bits back into the item.
struct WorkItemBits {
    var word0: UInt
    var word1: UInt
    var word2: UInt
    var word3: UInt

    init(word0: UInt, word1: UInt, word2: UInt, word3: UInt) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Whether `WorkItem` is laid out as four plain words (checked once, when the first deque is made).
    static let layoutMatches: Bool =
        MemoryLayout<WorkItem>.size == MemoryLayout<WorkItemBits>.size
        && MemoryLayout<WorkItem>.alignment == MemoryLayout<WorkItemBits>.alignment
        && _isPOD(WorkItem.self)

    /// The bits of `item`.
    @inline(__always)
    init(_ item: WorkItem) {
        self = unsafe unsafeBitCast(item, to: WorkItemBits.self)
    }

    /// The item these bits hold.
    @inline(__always)
    var item: WorkItem {
        unsafe unsafeBitCast(self, to: WorkItem.self)
    }
}
