/// The trace records of one traced step's nodes, one per plan node, in one buffer: written in place by the
/// firings, then handed as a whole to whoever builds the step's statistics, and given back for another step when
/// they are done with it (no copy of the records at the step's end).
///
/// Record `n` is written only by node `n`'s firing, inside the node's isolation (the pending-count protocol gives
/// one firing per node per step), and read only after the step ended, when no node fires, so accesses never
/// overlap. Reached through addressors, a record is written in place without the dynamic exclusivity check every
/// access to an actor's stored property pays (about 85 instructions, twice per traced op when the records were the
/// actors' own).
///
///     let table = NodeRecordTable(count: plan.nodes.count)
///     table[3].didRun = true                  // node 3's firing, during the step
///     for r in table where r.didRun { … }     // after it
///     table.reset()                           // before another step writes it
@safe package final class NodeRecordTable: RandomAccessCollection, @unchecked Sendable {
    // Guarded by the protocol above; `count` is immutable.
    private let base: UnsafeMutablePointer<NodeExecRecord>
    package let count: Int

    /// A table of `count` empty records.
    package init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<NodeExecRecord>.allocate(capacity: Swift.max(count, 1))
        // Element by element: `initialize(repeating:)` copies one value, retaining its fields each time.
        for i in 0..<count { unsafe (base + i).initialize(to: NodeExecRecord()) }
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    /// Node `index`'s record (written by its firing only).
    package subscript(index: Int) -> NodeExecRecord {
        @inline(__always) unsafeAddress {
            precondition(index >= 0 && index < count)
            return unsafe UnsafePointer(base + index)
        }
        @inline(__always) unsafeMutableAddress {
            precondition(index >= 0 && index < count)
            return unsafe base + index
        }
    }

    /// Empties every record (call when nobody reads the table any more, before a step writes it again).
    package func reset() {
        for i in 0..<count { unsafe base[i] = NodeExecRecord() }
    }
}
