import Synchronization

/// Tracks the `NDArray` buffers created on one thread while it is installed there: the memory of one op.
///
/// The step engine makes a scope for each traced firing and installs it around the kernel call. While it is
/// installed, every `NDArray` created on that thread whose buffer is new gets a tracked allocation: a
/// process-unique id, its bytes (``NDArray/byteCount``), the scope's NUMA node and a timestamp. Values that reuse a
/// buffer keep its allocation instead — copies, ``NDArray/reshaped(to:)``, the engine's forwarding kernels
/// (`Identity`, `Reshape`, …), and any value built from the storage of one of the op's inputs — so a buffer is
/// counted once and freed when its last sharer is dropped, from whatever thread.
///
///     let scope = AllocationScope(numaNode: 0)
///     var outputs = scope.installed { () -> [NDArray] in
///         let squares = NDArray([1, 4, 9, 16] as [Float])                         // a temporary, 16 bytes
///         return [try! squares.reshaped(to: [2, 2]), NDArray([Float(30)])]        // forwarded; 4 new bytes
///     }
///     let summary = scope.close(outputs: &outputs)
///     summary.totalBytes                 // 20
///     summary.temporaryBytes             // 0: the squares' buffer is an output
///     outputs[0].allocationID != nil     // true
///     outputs[0].numaNode                // 0
///
/// When no scope is installed, an `NDArray` initializer pays one thread-local load and a branch, and the value
/// carries no allocation (``NDArray/allocationID`` is `nil`).
///
/// Only `NDArray` buffers are seen: Swift arrays a kernel uses internally, and memory other threads allocate
/// for it, are not.
public final class AllocationScope: Sendable {
    /// The NUMA node every allocation under this scope is counted on (the firing worker's node).
    public let numaNode: Int
    private let events: (any AllocationEventSink)?
    private let stepID: Int64
    private let opID: Int
    private let state: Locked<State>

    private struct State {
        /// Values whose buffers a new `NDArray` may share (the op's inputs); emptied when the op ends.
        var forwardable: [NDArray]
        /// Until ``close(outputs:)``: frees lower `current`.
        var isOpen = true
        /// After ``seal()``: no more records are kept.
        var isSealed = false
        var total = 0
        var count = 0
        var current = 0
        var peak = 0
        var records: [AllocationEvent] = []
        var summary: AllocationSummary?
    }

    /// Creates a scope; install it with ``installed(_:)``.
    ///
    /// - Parameters:
    ///   - numaNode: The node to count allocations on: the node of the worker that runs the op (not negative).
    ///   - inputs: Values whose buffers an `NDArray` created under the scope reuses rather than allocates
    ///     (the op's inputs). The scope holds them until ``close(outputs:)``.
    ///   - events: Where to report each allocation and free as it happens (`nil`: nowhere).
    ///   - stepID: The step the op belongs to, for `events`.
    ///   - opID: The op's id in its step, for `events`.
    public init(
        numaNode: Int, forwarding inputs: [NDArray] = [], events: (any AllocationEventSink)? = nil,
        stepID: Int64 = 0, opID: Int = 0
    ) {
        precondition(numaNode >= 0, "NUMA node ids are not negative")
        self.numaNode = numaNode
        self.events = events
        self.stepID = stepID
        self.opID = opID
        self.state = Locked(State(forwardable: inputs))
    }

    // MARK: Installing

    /// The scope installed on the calling thread, if any.
    public static var current: AllocationScope? { AllocationScopeSlot.current }

    /// Runs `body` with this scope installed on the calling thread, then puts back whatever was installed
    /// before (scopes nest), also when `body` throws.
    @inline(__always)
    public func installed<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let previous = AllocationScopeSlot.exchange(self)
        defer { AllocationScopeSlot.restore(previous) }
        return try body()
    }

    /// Runs `body` with no scope installed on the calling thread (for work that is not the current op's, such
    /// as a nested step run from inside a kernel), then puts back the installed scope.
    @inline(__always)
    public static func suspended<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        guard AllocationScopeSlot.raw != nil else { return try body() }
        let previous = AllocationScopeSlot.exchange(nil)
        defer { AllocationScopeSlot.restore(previous) }
        return try body()
    }

    // MARK: Ending the op

    /// Ends the op: describes `outputs` (which of them the op allocated, and whether each holds the only
    /// reference to its buffer) and returns the op's ``AllocationSummary``. Frees after this no longer lower
    /// the op's live bytes, but are still recorded until ``seal()``.
    ///
    /// `outputs` is `inout` only so that reference counts can be read in place; it is not changed.
    public func close(outputs: inout [NDArray]) -> AllocationSummary {
        var described: [OutputAllocation] = []
        if !outputs.isEmpty { described.reserveCapacity(outputs.count) }
        var outputIDs: [Int] = []
        var outputBytes = 0
        for i in outputs.indices {
            let single = outputs[i].holdsOnlyReferenceToAllocation()
            guard let allocation = outputs[i].allocation else {
                described.append(.untracked)
                continue
            }
            let isNew = allocation.scope === self
            if isNew, !outputIDs.contains(allocation.id) {
                outputIDs.append(allocation.id)
                outputBytes += allocation.bytes
            }
            described.append(OutputAllocation(
                allocationID: allocation.id, numaNode: allocation.numaNode, isAllocatedByOp: isNew,
                hasSingleReference: single))
        }
        let inUse = TrackedMemory.liveBytes(onNUMANode: numaNode)
        let (summary, inputs) = state.withLock { state in
            state.isOpen = false
            let summary = AllocationSummary(
                numaNode: numaNode, totalBytes: state.total, peakBytes: state.peak, liveBytes: state.current,
                temporaryBytes: state.total - outputBytes, bytesInUse: inUse, allocationCount: state.count,
                outputs: described)
            state.summary = summary
            return (summary, state.forwardable.drain())
        }
        // The inputs are released here, outside the lock: a free they cause takes a scope's lock.
        _ = consume inputs
        return summary
    }

    /// Ends an op that produced no outputs (it failed, or has none).
    public func close() -> AllocationSummary {
        var none: [NDArray] = []
        return close(outputs: &none)
    }

    /// What ``close(outputs:)`` returned, or `nil` while the op runs.
    public var summary: AllocationSummary? { state.withLock { $0.summary } }

    /// The allocations and frees of the op's buffers so far, in the order they happened (frees after
    /// ``seal()`` are not kept).
    public var records: [AllocationEvent] { state.withLock { $0.records } }

    /// Stops keeping records and returns the summary and the records kept so far, under one lock (what a step's
    /// metadata reports when the step ends). Totals, the process's live counts and the event sink still see every
    /// later free.
    public func sealTakingRecords() -> (summary: AllocationSummary?, records: [AllocationEvent]) {
        state.withLock { state in
            state.isSealed = true
            defer { state.records = [] }
            return (state.summary, state.records)
        }
    }

    /// Stops keeping records and drops those kept (the step's metadata has been built). Totals, the process's
    /// live counts and the event sink still see every free.
    public func seal() {
        state.withLock { state in
            state.isSealed = true
            state.records = []
        }
    }

    // MARK: Tracking (called by NDArray and TrackedAllocation)

    /// The allocation a new value with `storage` gets from the scope installed on this thread, if any.
    @inline(__always)
    static func track(_ storage: NDArray.Storage) -> TrackedAllocation? {
        guard let raw = AllocationScopeSlot.raw else { return nil }
        switch AllocationScopeSlot.installed(at: raw) {
        case .scope(let scope): return scope.register(storage)
        case .lazy(let lazy): return lazy.register(storage)
        }
    }

    /// Registers a new value's buffer: the allocation of the input it shares, or a new one (`nil` for an
    /// empty buffer, or one shared with an untracked input).
    @inline(never)
    func register(_ storage: NDArray.Storage) -> TrackedAllocation? {
        let bytes = NDArray.byteCount(of: storage)
        guard bytes > 0 else { return nil }
        let address = storage.bufferAddress
        let forwarded: TrackedAllocation?? = state.withLock { state in
            for input in state.forwardable where input.storage.bufferAddress == address {
                return .some(input.allocation)
            }
            return .none
        }
        if let forwarded { return forwarded }
        let id = TrackedMemory.nextID()
        let now = MonotonicClock.now()
        _ = TrackedMemory.add(bytes, node: numaNode)
        state.withLock { state in
            if state.isOpen {
                state.total += bytes
                state.count += 1
                state.current += bytes
                state.peak = max(state.peak, state.current)
            }
            if !state.isSealed { state.records.append(AllocationEvent(nanos: now, bytes: bytes, allocationID: id)) }
        }
        events?.allocated(id: id, bytes: bytes, numaNode: numaNode, stepID: stepID, opID: opID)
        return TrackedAllocation(id: id, bytes: bytes, numaNode: numaNode, scope: self)
    }

    /// Records the free of allocation `id` (its last sharer was dropped).
    func released(id: Int, bytes: Int) {
        let now = MonotonicClock.now()
        state.withLock { state in
            if state.isOpen { state.current -= bytes }
            if !state.isSealed { state.records.append(AllocationEvent(nanos: now, bytes: -bytes, allocationID: id)) }
        }
        TrackedMemory.remove(bytes, node: numaNode)
        events?.freed(id: id, bytes: bytes)
    }
}

extension Array {
    /// The elements, leaving the array empty.
    fileprivate mutating func drain() -> [Element] {
        defer { self = [] }
        return self
    }
}
