@_spi(ActorFlowInternal) import ActorFlowCore

/// What firing a node reads, for every node of a plan, in one contiguous buffer indexed by node id.
///
/// A firing that reached through the node's objects (the plan's `Node`, its `Operation`, the kernel's closure
/// context) touched several cache lines scattered over the heap and incremented reference counts on each: on a
/// large graph each of those was a cache miss, and they made an op with a kernel cost 10–20× a `NoOp`. The
/// entries here sit next to each other in node order, like the pending counts and the successor lists, and
/// hold the op and plan node `unowned(unsafe)`: the plan owns both (``ExecutionPlan/nodes``) and owns this
/// table, so they live exactly as long as it does.
@safe final class FiringTable: Sendable {
    /// One node's firing data: plain values only, so reading an entry touches no reference count.
    @safe struct Entry {
        /// The kernel, unretained (the op owns it).
        @safe let kernel: Unmanaged<Kernel.Storage>

        /// Calls `body` with the kernel, borrowed from its op without touching its reference count.
        @inline(__always)
        func withKernel<R>(_ body: (Kernel.Storage) throws -> R) rethrows -> R {
            try unsafe kernel._withUnsafeGuaranteedRef(body)
        }
        /// The op, unretained (for the kernel context; error messages).
        @safe let op: Unmanaged<Operation>
        /// The plan node: fed inputs, data edges and fetches, read only when ``delivers`` or ``readsFeeds``.
        @safe unowned(unsafe) let node: ExecutionPlan.Node
        /// Input `i` of the node is slot `inputSlotBase + i`.
        let inputSlotBase: Int
        let inputCount: Int32
        /// Whether some input is a fed tensor (copied into the node's slot when it fires).
        let readsFeeds: Bool
        /// Whether some output goes to a consumer's slot or a fetch slot.
        let delivers: Bool
    }

    // Initialized in `init`, deinitialized in `deinit`; entries are never written after `init`.
    private nonisolated(unsafe) let base: UnsafeMutablePointer<Entry>
    let count: Int

    /// A table for `nodes`, which the caller (the plan) keeps alive for as long as this table.
    init(_ nodes: [ExecutionPlan.Node]) {
        count = nodes.count
        unsafe base = UnsafeMutablePointer<Entry>.allocate(capacity: max(nodes.count, 1))
        for (i, node) in nodes.enumerated() {
            unsafe (base + i).initialize(to: Entry(
                kernel: Unmanaged.passUnretained(node.kernel.storage), op: Unmanaged.passUnretained(node.op), node: node, inputSlotBase: node.inputSlotBase,
                inputCount: Int32(node.inputCount), readsFeeds: !node.fedInputs.isEmpty,
                delivers: !node.dataEdges.isEmpty || !node.fetchedOutputs.isEmpty))
        }
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Node `index`'s op, for messages (retained: not for the hot path).
    func op(_ index: Int) -> Operation { unsafe self[index].op.takeUnretainedValue() }

    /// Node `index`'s entry, read in place.
    @inline(__always)
    subscript(index: Int) -> Entry {
        _read {
            precondition(index >= 0 && index < count)
            yield unsafe base[index]
        }
    }

    /// The entries without the table object: a step holds this view (the plan it holds keeps the table alive), so
    /// a firing reads its entry without retaining the table every worker shares.
    var view: View { unsafe View(base: base, count: count) }

    /// The table's entries, borrowed for as long as the table lives.
    @safe struct View: Sendable {
        // Points into a table that outlives the view (see ``FiringTable/view``); entries are never written.
        private nonisolated(unsafe) let base: UnsafeMutablePointer<Entry>
        let count: Int

        fileprivate init(base: UnsafeMutablePointer<Entry>, count: Int) {
            unsafe self.base = base
            self.count = count
        }

        /// Node `index`'s entry.
        @inline(__always)
        subscript(index: Int) -> Entry {
            precondition(index >= 0 && index < count)
            return unsafe base[index]
        }
    }
}
