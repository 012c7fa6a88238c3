import ActorFlow

/// The input slots of one sequential run (``SequentialProgram``): every input of every op has one, and a kernel
/// reads its inputs in place through a borrowing ``KernelContext``, as the session's engine calls kernels.
///
/// A run owns its slots (one allocation per run) and uses them from one thread; each slot is written by its
/// producer before its consumer runs, and emptied when that consumer's kernel returned.
@safe final class KernelSlots {
    // Owned by this object: initialized in `init`, deinitialized in `deinit`.
    private let base: UnsafeMutablePointer<NDArray?>
    private let count: Int

    init(count: Int) {
        self.count = count
        unsafe base = UnsafeMutablePointer<NDArray?>.allocate(capacity: max(count, 1))
        unsafe base.initialize(repeating: nil, count: count)
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// Stores `value` in slot `index`.
    func store(_ value: NDArray, at index: Int) {
        precondition(index >= 0 && index < count)
        unsafe base[index] = value
    }

    /// Moves the value out of slot `index` (a fetched value, after the run).
    func take(_ index: Int) -> NDArray {
        precondition(index >= 0 && index < count)
        guard let value = unsafe base[index].take() else { preconditionFailure("slot \(index) holds no value") }
        return value
    }

    /// Calls `body` with a context over the `inputCount` slots from `start`, borrowing `op`, `state` and
    /// `cancellation` (kept alive here for the call), then empties those slots.
    func withContext<R>(
        inputsFrom start: Int, count inputCount: Int, op: Operation, state: SessionState,
        cancellation: StepCancellation, _ body: (borrowing KernelContext) throws -> R
    ) rethrows -> R {
        precondition(start >= 0 && start + inputCount <= count)
        defer { for i in start..<start + inputCount { unsafe base[i] = nil } }
        return try withExtendedLifetime((op, state, cancellation)) {
            let context = unsafe KernelContext(
                op: Unmanaged.passUnretained(op), borrowingInputs: base + start, count: inputCount,
                state: Unmanaged.passUnretained(state), stepID: 0, cancellation: Unmanaged.passUnretained(cancellation))
            return try body(context)
        }
    }
}
