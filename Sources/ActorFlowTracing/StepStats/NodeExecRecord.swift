import ActorFlowCore

/// What the step engine measured for one firing of one node, on ``TraceClock``.
///
/// Records are plain values kept by each node and written by the thread that fired it; protobuf messages are
/// made only when the step has ended (``StepStatsRecycler`` rewrites the previous step's), so tracing
/// allocates per op only the output descriptions and the ``AllocationScope`` that tracks the kernel's memory.
public struct NodeExecRecord: Sendable {
    /// When the node became ready (its last input resolved).
    public var scheduledNanos: UInt64 = 0
    /// When the executor began processing the node (before gathering inputs).
    public var allStartNanos: UInt64 = 0
    /// Just before the kernel ran.
    public var opStartNanos: UInt64 = 0
    /// Just after the kernel returned.
    public var opEndNanos: UInt64 = 0
    /// After the outputs were delivered, before successors were scheduled.
    public var allEndNanos: UInt64 = 0
    /// The kernel thread id (`gettid`) of the thread that fired the node.
    public var threadID: UInt32 = 0
    /// The executor worker index (-1 off the pool).
    public var worker: Int32 = -1
    /// The NUMA node of that worker.
    public var numaNode: Int32 = 0
    /// One entry per output.
    public var outputs: [OutputRecord] = []
    /// The allocation scope that was installed around the kernel: its ``AllocationScope/summary`` (total, peak,
    /// live and temporary bytes) and its ``AllocationScope/records`` (allocations and the frees so far).
    /// `nil` for records made without one (then ``StepStatsBuilder`` reports the outputs' bytes only).
    public var allocations: AllocationScope? = nil
    /// The scope's summary and records as ``sealAllocations()`` took them when the step ended; what step
    /// statistics report once ``allocations`` is gone, so metadata built later equals metadata built then.
    public var sealedSummary: AllocationSummary? = nil
    public var sealedEvents: [AllocationEvent] = []
    /// Hardware counters around the kernel, when measured.
    public var counters: HardwareCounterValues? = nil
    /// An async kernel's time off any thread between its start and its return (waiting, then queued to resume):
    /// its wall time minus the time its jobs ran; and how many times it suspended. Zero for other kernels.
    public var suspendedNanos: UInt64 = 0
    public var suspensions: Int = 0
    /// How many of the kernel's `parallelFor` / `parallelReduce` loops were larger than one grain (0 for kernels
    /// that split nothing, and for async kernels, which are not counted). Such a loop counts whether or not it
    /// ran on several threads: with `intraOpParallelism: 1` a `parallelFor` is one chunk on the firing thread.
    /// Loops nested in a chunk count too.
    ///
    ///     // a 512×512 matMul on 2 workers: packing B, then rows of C
    ///     record.intraOpLoops                          // 2
    ///     record.intraOpChunks                         // [w0: 7 chunks, w1: 5 chunks]
    ///     record.intraOpChunks.map(\.chunks).reduce(0, +)   // 12
    public var intraOpLoops: Int = 0
    /// The chunks of those loops each worker ran: workers in index order, then the threads off the pool
    /// (``WorkerChunks/offPool``), only those that ran at least one chunk. Empty when ``intraOpLoops`` is 0.
    public var intraOpChunks: [WorkerChunks] = []
    /// Whether the kernel ran (false for nodes skipped because the step stopped).
    public var didRun = false

    public init() {}

    /// The allocation summary step statistics report: the live scope's, or the one sealed at the step's end.
    public var allocationSummary: AllocationSummary? { allocations?.summary ?? sealedSummary }

    /// The allocations and frees step statistics report (see ``allocationSummary``).
    public var allocationEvents: [AllocationEvent] { allocations?.records ?? sealedEvents }

    /// Keeps what the allocation scope saw up to now (its summary and records) in the record and seals the
    /// scope, which then stops keeping records; later frees no longer change what the record reports.
    ///
    /// The session calls it when a step ends, so that step statistics built at any later time (they are
    /// built when first read) are those of the step's end.
    public mutating func sealAllocations() {
        guard let scope = allocations else { return }
        (sealedSummary, sealedEvents) = scope.sealTakingRecords()
        allocations = nil
    }
}

/// How many chunks of a traced op's split loops one worker ran (``NodeExecRecord/intraOpChunks``).
///
///     WorkerChunks(worker: 1, chunks: 5)                       // worker 1 ran 5 chunks: "w1 5" in the label
///     WorkerChunks(worker: WorkerChunks.offPool, chunks: 2)    // a thread off the pool ran 2: "off-pool 2"
public struct WorkerChunks: Sendable, Hashable, CustomStringConvertible {
    /// The ``worker`` of threads that are not workers of the session's pool (a caller's thread that started the
    /// step, a `.callerThread` step's).
    public static let offPool: Int32 = -1

    /// The executor worker index, or ``offPool``.
    public var worker: Int32
    /// How many chunks it ran.
    public var chunks: Int

    public init(worker: Int32, chunks: Int) {
        self.worker = worker
        self.chunks = chunks
    }

    /// `"w1: 5 chunks"`, `"off-pool: 2 chunks"`.
    public var description: String {
        "\(worker == Self.offPool ? "off-pool" : "w\(worker)"): \(chunks) chunk\(chunks == 1 ? "" : "s")"
    }
}

/// One output of a node firing.
public struct OutputRecord: Sendable {
    public var dtype: DType
    public var dimensions: [Int]
    /// Bytes the value occupies.
    public var bytes: Int
    /// Whether the kernel allocated the value's buffer (false when it forwarded one, as `Identity` and
    /// `Reshape` do, or output an untracked value, as `Const` does).
    public var allocated: Bool
    /// The process-unique id of the value's buffer; 0 when it is untracked.
    public var allocationID: Int64
    /// Whether the output held the only reference to its buffer when the kernel returned.
    public var hasSingleReference: Bool
    /// The NUMA node of the value's buffer; -1 when it is untracked.
    public var numaNode: Int32
    /// The input whose buffer the output shares (forwards), or -1.
    public var aliasedInput: Int32

    public init(
        dtype: DType, dimensions: [Int], bytes: Int, allocated: Bool, allocationID: Int64,
        hasSingleReference: Bool? = nil, numaNode: Int32 = -1, aliasedInput: Int32 = -1
    ) {
        self.dtype = dtype
        self.dimensions = dimensions
        self.bytes = bytes
        self.allocated = allocated
        self.allocationID = allocationID
        self.hasSingleReference = hasSingleReference ?? allocated
        self.numaNode = numaNode
        self.aliasedInput = aliasedInput
    }
}

/// Hardware counter deltas around one kernel.
public struct HardwareCounterValues: Sendable, Equatable {
    public var cycles: UInt64
    public var instructions: UInt64
    public var cacheMisses: UInt64

    public init(cycles: UInt64, instructions: UInt64, cacheMisses: UInt64) {
        self.cycles = cycles
        self.instructions = instructions
        self.cacheMisses = cacheMisses
    }
}
