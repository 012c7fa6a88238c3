@_spi(ActorFlowInternal) import ActorFlowCore

/// Per node of a step, the array a custom op's kernel receives its inputs in, kept from one firing to the next.
///
/// `customOp` kernels take their inputs as `[NDArray]`. Building a fresh array per firing cost a one-input
/// custom op about half of its instructions (allocating the buffer, then freeing it through the runtime's
/// generic element destruction). The node's array is filled in place instead, handed to the kernel, and emptied
/// after it with its buffer kept; a kernel that keeps the array makes the next fill copy (copy-on-write), so
/// nothing a kernel holds is ever changed.
///
/// Each array is touched only by its node's firing (a node fires once at a time: the pending-count protocol of
/// ``UnsafeValueSlots``), which is why the unchecked `Sendable` is sound.
///
///     let arrays = InputArrays(count: plan.nodes.count)
///     var inputs = arrays.fill(node, from: slots, start: base, count: 2)   // the two inputs' values
///     let outputs = try kernel(inputs, context)
///     inputs = []
///     arrays.clear(node)                                               // values released, buffer kept
@safe final class InputArrays: @unchecked Sendable {
    // Node `n`'s array at index `n`; see the protocol above.
    private let base: UnsafeMutablePointer<[NDArray]>
    let count: Int

    init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<[NDArray]>.allocate(capacity: max(count, 1))
        unsafe base.initialize(repeating: [], count: count)
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Node `node`'s array holding copies of slots `start ..< start + inputs` of `slots` (all filled: the node is
    /// ready). Call ``clear(_:)`` when the kernel returned.
    @inline(__always)
    func fill(_ node: Int, from slots: UnsafeValueSlots, start: Int, count inputs: Int) -> [NDArray] {
        precondition(node >= 0 && node < count)
        let array = unsafe base + node
        unsafe array.pointee.reserveCapacity(inputs)
        for i in 0..<inputs {
            guard let value = slots.load(start + i) else { preconditionFailure("input \(i) of node \(node) is missing") }
            unsafe array.pointee.append(value)
        }
        return unsafe array.pointee
    }

    /// Empties node `node`'s array, releasing its values and keeping its buffer.
    @inline(__always)
    func clear(_ node: Int) {
        precondition(node >= 0 && node < count)
        // (`removeAll(keepingCapacity:)` goes through the generic `replaceSubrange`: ~200 instructions.)
        while unsafe (base + node).pointee.popLast() != nil {}
    }
}
