@_spi(ActorFlowInternal) import ActorFlowCore

/// A fixed array of value slots shared by the nodes of one step: every node input, every fetch and every fed
/// tensor has one.
///
/// The step engine's unsafe code lives in its `_Unsafe*.swift` files; this one holds the value slots. Each slot is written by exactly one producer and read
/// by exactly one consumer, and the pending-count protocol orders the two: the producer stores, then
/// decrements the consumer's pending count with release ordering; the consumer loads only after its
/// count reached zero with acquire ordering. Slots are distinct memory locations, so concurrent stores to
/// different slots never touch the same memory (unlike concurrent writes to one Swift `Array`). A fed
/// tensor's slot is written before any of its consumers can become ready and only read (copied) after.
@safe final class UnsafeValueSlots: @unchecked Sendable {
    // Guarded by the pending-count protocol described above; `count` is immutable.
    private let base: UnsafeMutablePointer<NDArray?>
    let count: Int

    init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<NDArray?>.allocate(capacity: max(count, 1))
        unsafe base.initialize(repeating: nil, count: count)
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Stores `value` in slot `index` (the one producer of that slot).
    @inline(__always)
    func store(_ value: NDArray, at index: Int) {
        assert(index >= 0 && index < count)
        unsafe base[index] = value
    }

    /// Moves `value` into slot `index` (a producer's last destination: no reference count is touched).
    @inline(__always)
    func store(moving value: consuming NDArray, at index: Int) {
        assert(index >= 0 && index < count)
        unsafe base[index] = consume value
    }

    /// Copies the value of slot `source` into slot `destination` (a fed tensor into a reading node's input
    /// slot); `false` when `source` is empty.
    @inline(__always)
    func copy(from source: Int, to destination: Int) -> Bool {
        assert(source >= 0 && source < count && destination >= 0 && destination < count)
        guard unsafe base[source] != nil else { return false }
        unsafe (base + destination).pointee = unsafe base[source]
        return true
    }

    /// Moves the value out of slot `index`, leaving it empty (the one consumer of that slot).
    @inline(__always)
    func take(_ index: Int) -> NDArray? {
        assert(index >= 0 && index < count)
        return unsafe base[index].take()
    }

    /// A copy of the value in slot `index` (slots read by several consumers: fed tensors, partial fetches).
    @inline(__always)
    func load(_ index: Int) -> NDArray? {
        assert(index >= 0 && index < count)
        return unsafe base[index]
    }

    /// Empties every slot (between steps, when no node of the step is running).
    func clear() {
        for i in 0..<count { unsafe base[i] = nil }
    }

    /// Empties the `count` slots from `start` (a node's input slots, once its kernel returned).
    @inline(__always)
    func clear(from start: Int, count: Int) {
        assert(start >= 0 && start + count <= self.count)
        for i in start..<start + count { unsafe base[i] = nil }
    }

    /// A kernel context reading the `count` input slots from `start` in place (a firing node's inputs). The
    /// context must not outlive the kernel call it is made for: the step keeps the slots, `op`, `state` and
    /// `cancellation` alive until then, and only the firing node touches its own slots meanwhile.
    @inline(__always)
    @safe func kernelContext(
        inputsFrom start: Int, count: Int, op: Unmanaged<Operation>, state: Unmanaged<SessionState>,
        stepID: Int64, cancellation: Unmanaged<StepCancellation>, intraOp: Unmanaged<IntraOpRunner>?
    ) -> KernelContext {
        assert(start >= 0 && start + count <= self.count)
        return unsafe KernelContext(
            op: op, borrowingInputs: base + start, count: count, state: state, stepID: stepID,
            cancellation: cancellation, intraOp: intraOp)
    }
}
