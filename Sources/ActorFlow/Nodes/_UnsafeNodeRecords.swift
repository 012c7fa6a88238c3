import ActorFlowTracing

/// The trace records of a step's nodes, one per plan node, in one buffer the pooled step preallocates.
///
/// Record `n` is written only by node `n`'s firing, inside the node's isolation (the pending-count protocol gives
/// one firing per node per step), and read only after the step ended, when no node fires (``takeAll()``), so
/// accesses never overlap. Reached through addressors, a record is written in place without the dynamic
/// exclusivity check every access to an actor's stored property pays (about 85 instructions, twice per traced
/// op when the records were the actors' own).
@safe final class NodeRecords: @unchecked Sendable {
    // Guarded by the protocol above; `count` is immutable.
    private let base: UnsafeMutablePointer<NodeExecRecord>
    let count: Int

    init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<NodeExecRecord>.allocate(capacity: max(count, 1))
        unsafe base.initialize(repeating: NodeExecRecord(), count: count)
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Node `index`'s record (written by its firing only).
    subscript(index: Int) -> NodeExecRecord {
        @inline(__always) unsafeAddress {
            precondition(index >= 0 && index < count)
            return unsafe UnsafePointer(base + index)
        }
        @inline(__always) unsafeMutableAddress {
            precondition(index >= 0 && index < count)
            return unsafe base + index
        }
    }

    /// Every record in node order, leaving empty ones (call only after the step ended).
    func takeAll() -> [NodeExecRecord] {
        unsafe [NodeExecRecord](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                unsafe buffer.baseAddress!.moveInitialize(from: base, count: count)
                // Element by element: `initialize(repeating:)` copies one value, retaining its fields each time.
                for i in 0..<count { unsafe (base + i).initialize(to: NodeExecRecord()) }
            }
            initialized = count
        }
    }
}
