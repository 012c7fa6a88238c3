/// An op's ``AllocationScope`` that is made only when the op allocates its first tracked buffer.
///
/// Most kernels of a traced step allocate nothing the scope would see (control ops, forwarding ops, kernels
/// that write in place), yet an ``AllocationScope`` is an object with a lock that every later free of the op's
/// buffers reports to. A node keeps one `LazyAllocationScope` for all its firings and installs it around each
/// kernel call: an op that allocates nothing then costs two thread-local stores, and its summary says so; the
/// first buffer the op allocates makes the real scope, which from then on counts exactly as if it had been
/// installed from the start (the lazy scope holds nothing the real one needs to have seen earlier).
///
///     let lazy = LazyAllocationScope()
///     var outputs = lazy.installed(numaNode: 0) { [NDArray(Float(2))] }      // allocates 4 bytes
///     let (summary, scope) = lazy.finish(outputs: &outputs)
///     summary.totalBytes      // 4
///     scope != nil            // true: its free is recorded by that scope
///
/// Use from one thread at a time: the thread that calls ``installed(numaNode:forwarding:events:stepID:opID:_:)``
/// and then ``finish(outputs:)``; buffers made on other threads during the call are not tracked (as with an
/// ``AllocationScope``).
public final class LazyAllocationScope {
    /// The op being run, in a box read and written in place (see ``LazyScopeState``).
    private let state = LazyScopeState(Op())

    private struct Op {
        var numaNode = 0
        var events: (any AllocationEventSink)?
        var stepID: Int64 = 0
        var opID = 0
        /// The op's inputs, whose buffers a new value may share without allocating (handed to the real scope
        /// when it is made).
        var forwardable: [NDArray] = []
        /// The real scope, once the op allocated.
        var scope: AllocationScope?
    }

    public init() {}

    /// Runs `body` (the kernel) with this scope installed on the calling thread, for an op whose arguments are
    /// ``AllocationScope/init(numaNode:forwarding:events:stepID:opID:)``'s; call ``finish(outputs:)`` after it.
    @inline(__always)
    public func installed<R, E: Error>(
        numaNode: Int, forwarding inputs: [NDArray] = [], events: (any AllocationEventSink)? = nil,
        stepID: Int64 = 0, opID: Int = 0, _ body: () throws(E) -> R
    ) throws(E) -> R {
        precondition(numaNode >= 0, "NUMA node ids are not negative")
        state.value = Op(numaNode: numaNode, events: events, stepID: stepID, opID: opID, forwardable: inputs)
        let previous = AllocationScopeSlot.exchange(lazy: self)
        defer { AllocationScopeSlot.restore(previous) }
        return try body()
    }

    /// Ends the op (see ``AllocationScope/close(outputs:)``): its summary, and the real scope when the op
    /// allocated (its allocations' frees keep reporting to it; keep it for the step's metadata), `nil` when it
    /// did not. Ready to be installed again afterwards.
    ///
    /// `outputs` is `inout` only so that reference counts can be read in place; it is not changed.
    public func finish(outputs: inout [NDArray]) -> (summary: AllocationSummary, scope: AllocationScope?) {
        var ended = Op()
        swap(&ended, &state.value)
        if let scope = ended.scope { return (scope.close(outputs: &outputs), scope) }
        var described: [OutputAllocation] = []
        if !outputs.isEmpty { described.reserveCapacity(outputs.count) }
        for i in outputs.indices {
            // Nothing was allocated: every tracked output was forwarded from an earlier op's buffer.
            let single = outputs[i].holdsOnlyReferenceToAllocation()
            if let allocation = outputs[i].allocation {
                described.append(OutputAllocation(
                    allocationID: allocation.id, numaNode: allocation.numaNode, isAllocatedByOp: false,
                    hasSingleReference: single))
            } else {
                described.append(.untracked)
            }
        }
        return (AllocationSummary(
            numaNode: ended.numaNode, totalBytes: 0, peakBytes: 0, liveBytes: 0, temporaryBytes: 0,
            bytesInUse: TrackedMemory.liveBytes(onNUMANode: ended.numaNode), allocationCount: 0,
            outputs: described), nil)
    }

    /// The real scope, made now if the op has not allocated yet (``AllocationScope/current`` while this scope is
    /// installed).
    func materialize() -> AllocationScope {
        if let scope = state.value.scope { return scope }
        let op = state.value
        let made = AllocationScope(
            numaNode: op.numaNode, forwarding: op.forwardable, events: op.events, stepID: op.stepID, opID: op.opID)
        state.value.forwardable = []
        state.value.scope = made
        return made
    }

    /// A new value's tracked allocation (see ``AllocationScope/track(_:)``): the input's it shares, or one the
    /// real scope makes (made first if need be).
    func register(_ storage: NDArray.Storage) -> TrackedAllocation? {
        if let scope = state.value.scope { return scope.register(storage) }
        guard NDArray.byteCount(of: storage) > 0 else { return nil }
        let address = storage.bufferAddress
        for input in state.value.forwardable where input.storage.bufferAddress == address { return input.allocation }
        return materialize().register(storage)
    }
}
