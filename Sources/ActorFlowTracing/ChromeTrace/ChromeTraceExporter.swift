import ActorFlowProto

/// Turns step statistics into a Chrome / Perfetto trace: the JSON Object Format that `chrome://tracing` and
/// <https://ui.perfetto.dev> open (`{"traceEvents": […], "displayTimeUnit": "ns"}`).
///
/// The layout shows what really ran where, unlike TensorFlow's `timeline.py`:
/// - one process per device (`dev_stats` entry), named after the device;
/// - one track per **real thread** (`thread_id`, the kernel thread id ActorFlow records), named from
///   `thread_names` (`af-w0-n0`), instead of TensorFlow's bin-packed lanes. Records without a thread id
///   (`thread_id` 0, as TensorFlow's own executor writes) are packed into lanes named `lane N (no thread id)`;
/// - each op firing is a complete (`X`) event from `all_start` to `all_end`, named after its op type (parsed
///   from `timeline_label`), with arguments `node`, `op`, `inputs`, `control_inputs`, `queue_delay_us`
///   (scheduled → all_start), `op_us` (op_start → op_end, the kernel), `output_shapes` and `output_bytes`, and,
///   for an op whose kernel split loops into chunks (the label's `[intra-op …]` suffix), `intra_op`:
///   `{"loops": 2, "chunks": 12, "workers": {"w0": 7, "w1": 5}}` (`off-pool` for threads that are not workers);
/// - with `showDataflow`, a flow arrow (`s` → `f`, category `dataflow`) from the producer's kernel end to the
///   consumer's kernel start for every data input produced on another thread (or device), and an arrow
///   (category `transfer`) from a tensor's producer on one task of a cluster step to its `_Recv` on another;
/// - with `showMemory`, a counter track per device and allocator, `memory (cpu)`, whose `bytes` series is
///   the running sum of the nodes' `allocation_records` (or, for nodes without records, of their
///   `memory.total_bytes` at op end). ActorFlow records allocations only, so the counter is the bytes the
///   step has allocated so far; records with negative `alloc_bytes` (TensorFlow's frees) lower it.
///
/// Timestamps are microseconds with three decimals (exact nanoseconds) counted from the earliest instant in
/// the stats; that instant, in Unix-epoch nanoseconds, is `otherData.time_origin_unix_nanos`.
///
/// ```swift
/// var metadata = Tensorflow_RunMetadata()
/// try session.run(y, options: RunOptions(traceLevel: .softwareTrace), metadata: &metadata)
/// let json = ChromeTraceExporter(showMemory: true).json(for: metadata)
/// // {"traceEvents":[{"ph":"M","name":"process_name","pid":1,"args":{"name":"/job:localhost/…"}}, …
/// ```
///
/// Cost: linear in the number of node records (plus a binary search per data input with `showDataflow`).
public struct ChromeTraceExporter: Sendable {
    /// Whether to draw dataflow arrows between threads.
    public var showDataflow: Bool
    /// Whether to add a memory counter track per allocator.
    public var showMemory: Bool

    /// - Parameters:
    ///   - showDataflow: Draw an arrow for each data input produced on another thread (default `true`).
    ///   - showMemory: Add memory counter tracks (default `false`, as in TensorFlow's timeline).
    public init(showDataflow: Bool = true, showMemory: Bool = false) {
        self.showDataflow = showDataflow
        self.showMemory = showMemory
    }

    /// The trace of one run's metadata (its `step_stats`).
    ///
    ///     let text = ChromeTraceExporter().json(for: metadata)
    public func json(for metadata: Tensorflow_RunMetadata) -> String {
        json(for: metadata.stepStats)
    }

    /// The trace of a step's statistics, or of several steps merged by ``StepStatsAccumulator``.
    ///
    ///     let text = ChromeTraceExporter(showDataflow: false).json(for: metadata.stepStats)
    ///
    /// - Returns: The JSON text; write it to a `.json` file and open it in Perfetto or `chrome://tracing`.
    public func json(for stats: Tensorflow_StepStats) -> String {
        let placed = PlacedStep(stats)
        var sink = TraceEventSink(origin: placed.origin, expectedEvents: placed.nodes.count)
        sink.appendMetadata(placed)
        for node in placed.nodes { sink.append(opEventFor: node) }
        if showDataflow { sink.appendFlows(placed) }
        if showMemory { sink.appendMemoryCounters(placed) }
        return sink.finish(otherData: [
            ("exporter", "ActorFlow ChromeTraceExporter"), ("time_origin_unix_nanos", String(placed.origin)),
        ])
    }
}
