/// What a ``KernelContext`` borrows from the step that runs the kernel: the op, the session state, the
/// cancellation flag and the node's input slots.
///
/// A firing must not touch the reference counts of objects every worker shares (the op, the session state,
/// the step's cancellation flag): on two cores those atomic increments were the largest cost of an op. So the
/// frame holds them `unowned(unsafe)` and points at the node's input slots in place. This is sound because a
/// step engine's context never outlives the call of the kernel it was made for (``KernelContext`` is
/// `~Copyable` and kernels receive it `borrowing`), and the step keeps the plan (hence the op), the session
/// state and the flag alive for its whole duration.
///
/// A context made from Swift values (``KernelContext/init(op:inputs:state:stepID:cancellation:)``) owns them:
/// ``owner`` keeps the objects alive and the input slots are allocated here, freed by
/// ``releaseOwnedInputs()``.
@safe struct KernelFrame {
    @safe unowned(unsafe) let op: Operation
    @safe unowned(unsafe) let state: SessionState
    @safe unowned(unsafe) let cancellation: StepCancellation
    /// What runs `parallelFor` chunks on other workers (`nil`: they run on the calling thread). Borrowed like the
    /// objects above: the step holds its runner for its whole duration. Kept `Unmanaged` (an optional
    /// `unowned(unsafe)` reference was retained and released on every firing: one object all workers share).
    @safe private let intraOpReference: Unmanaged<IntraOpRunner>?

    /// The runner, for the kernels that split a loop.
    var intraOp: IntraOpRunner? { unsafe intraOpReference?.takeUnretainedValue() }
    /// `count` input slots: the node's own slots in a step, or a buffer allocated for an owning context.
    private let slots: UnsafeMutablePointer<NDArray?>
    let count: Int
    /// Strong references for an owning context; `nil` in a step. One reference, not a tuple of four: destroying
    /// a step's frame is then one nil check (the tuple's outlined destroy was 25 instructions per firing).
    private let owner: Owner?

    /// What an owning context keeps alive.
    private final class Owner {
        let objects: (Operation, SessionState, StepCancellation, IntraOpRunner?)
        init(_ objects: (Operation, SessionState, StepCancellation, IntraOpRunner?)) { self.objects = objects }
    }

    @inline(__always)
    init(
        borrowing slots: UnsafeMutablePointer<NDArray?>, count: Int, op: Unmanaged<Operation>,
        state: Unmanaged<SessionState>, cancellation: Unmanaged<StepCancellation>,
        intraOp: Unmanaged<IntraOpRunner>?
    ) {
        self.op = unsafe op.takeUnretainedValue()
        self.state = unsafe state.takeUnretainedValue()
        self.cancellation = unsafe cancellation.takeUnretainedValue()
        self.intraOpReference = intraOp
        unsafe self.slots = slots
        self.count = count
        self.owner = nil
    }

    init(
        owning inputs: [NDArray], op: Operation, state: SessionState, cancellation: StepCancellation,
        intraOp: IntraOpRunner?
    ) {
        self.op = op
        self.state = state
        self.cancellation = cancellation
        self.intraOpReference = intraOp.map { unsafe Unmanaged.passUnretained($0) }
        let slots = inputs.isEmpty ? unsafe Self.noSlots : UnsafeMutablePointer<NDArray?>.allocate(capacity: inputs.count)
        for (i, value) in inputs.enumerated() { unsafe (slots + i).initialize(to: value) }
        unsafe self.slots = slots
        self.count = inputs.count
        self.owner = Owner((op, state, cancellation, intraOp))
    }

    /// The slots of owning frames without inputs: never read or written, never freed.
    private nonisolated(unsafe) static let noSlots = UnsafeMutablePointer<NDArray?>.allocate(capacity: 1)

    /// Frees the slots of an owning frame (called once, by the context's `deinit`).
    @inline(__always)
    func releaseOwnedInputs() {
        guard owner != nil, count > 0 else { return }
        unsafe slots.deinitialize(count: count)
        unsafe slots.deallocate()
    }

    /// A copy of input `index`, or `nil` when it was taken.
    @inline(__always)
    func load(_ index: Int) -> NDArray? { unsafe slots[index] }

    /// Moves input `index` out, leaving its slot empty.
    @inline(__always)
    func take(_ index: Int) -> NDArray? { unsafe slots[index].take() }
}
