/// What one op allocated, as its ``AllocationScope`` saw it when the op ended (TensorFlow's per-op memory
/// semantics, `AllocatorMemoryUsed` and `MemoryStats`).
///
///     let scope = AllocationScope(numaNode: 0)
///     var outputs = scope.installed {
///         let temporary = NDArray([1, 2, 3, 4] as [Float])     // 16 bytes, dropped before the end
///         return [NDArray([Float](repeating: 0, count: temporary.elementCount / 2))]   // 8 bytes, kept
///     }
///     let summary = scope.close(outputs: &outputs)
///     summary.totalBytes       // 24
///     summary.peakBytes        // 24: both were alive at once
///     summary.liveBytes        // 8
///     summary.temporaryBytes   // 16
public struct AllocationSummary: Sendable, Equatable {
    /// The NUMA node of the worker the op ran on (every buffer it allocated is counted there).
    public var numaNode: Int
    /// Bytes allocated during the op (`total_bytes`).
    public var totalBytes: Int
    /// The high-water mark of bytes allocated during the op minus those of them freed during it (`peak_bytes`).
    public var peakBytes: Int
    /// Bytes allocated by the op and still alive at its end (`live_bytes`).
    public var liveBytes: Int
    /// Bytes allocated during the op that are not among its outputs (`MemoryStats.temp_memory_size`).
    public var temporaryBytes: Int
    /// Tracked bytes alive in the process on ``numaNode`` at the op's end (`allocator_bytes_in_use`).
    public var bytesInUse: Int
    /// How many buffers the op allocated.
    public var allocationCount: Int
    /// One entry per output, in output order.
    public var outputs: [OutputAllocation]

    public init(
        numaNode: Int, totalBytes: Int, peakBytes: Int, liveBytes: Int, temporaryBytes: Int, bytesInUse: Int,
        allocationCount: Int, outputs: [OutputAllocation]
    ) {
        self.numaNode = numaNode
        self.totalBytes = totalBytes
        self.peakBytes = peakBytes
        self.liveBytes = liveBytes
        self.temporaryBytes = temporaryBytes
        self.bytesInUse = bytesInUse
        self.allocationCount = allocationCount
        self.outputs = outputs
    }
}

/// How one output of an op came to be: allocated by the op, forwarded from a buffer allocated earlier, or
/// untracked (made outside every traced op: a constant, a fed value, a variable set on an untraced step).
public struct OutputAllocation: Sendable, Equatable {
    /// The buffer's allocation id, `nil` when untracked.
    public var allocationID: Int?
    /// The NUMA node the buffer was allocated on, `nil` when untracked.
    public var numaNode: Int?
    /// Whether the op allocated the buffer (false for forwarded and untracked values).
    public var isAllocatedByOp: Bool
    /// Whether, at the op's end, this output held the only reference to its tracked buffer (TensorFlow's
    /// `has_single_reference`): false when the buffer is shared with an input, another output or state the
    /// kernel kept, and for untracked buffers.
    public var hasSingleReference: Bool

    /// An output whose buffer is not tracked.
    public static let untracked = OutputAllocation(
        allocationID: nil, numaNode: nil, isAllocatedByOp: false, hasSingleReference: false)

    public init(allocationID: Int?, numaNode: Int?, isAllocatedByOp: Bool, hasSingleReference: Bool) {
        self.allocationID = allocationID
        self.numaNode = numaNode
        self.isAllocatedByOp = isAllocatedByOp
        self.hasSingleReference = hasSingleReference
    }
}

/// One allocation (positive ``bytes``) or free (negative) of a tracked buffer, at ``nanos`` on
/// `CLOCK_MONOTONIC` (ActorFlowTracing's `TraceClock`): TensorFlow's `AllocationRecord`.
public struct AllocationEvent: Sendable, Equatable {
    /// When, in `CLOCK_MONOTONIC` nanoseconds.
    public var nanos: UInt64
    /// `+bytes` for the allocation, `-bytes` for the free.
    public var bytes: Int
    /// The buffer.
    public var allocationID: Int

    public init(nanos: UInt64, bytes: Int, allocationID: Int) {
        self.nanos = nanos
        self.bytes = bytes
        self.allocationID = allocationID
    }
}
