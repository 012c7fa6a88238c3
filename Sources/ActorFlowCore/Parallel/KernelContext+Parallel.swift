/// Intra-op parallelism: one kernel's loop split into chunks that run on several workers of the session's pool
/// (TensorFlow's `intra_op_parallelism_threads`, set by `SessionOptions.intraOpParallelism`).
extension KernelContext {
    /// How many chunks of a ``parallelFor(_:grain:_:)`` may run at once here: 1 when the kernel runs outside a
    /// session, under `.callerThread` or `.swiftDefault`, on a one-worker pool or with `intraOpParallelism: 1`.
    public var intraOpParallelism: Int { frame.intraOp?.maxParallelism ?? 1 }

    /// Calls `body` on consecutive subranges ("chunks") of `range`, each at least `grain` long except the last,
    /// running chunks on several workers of the session's pool at once, and returns when all of them returned.
    ///
    /// The chunks go to the calling worker's deque, where idle workers steal them; the calling thread runs chunks
    /// itself meanwhile and never blocks, so a `body` may itself call `parallelFor` (nested or recursive use from
    /// many kernels at once cannot deadlock). When only one chunk may run at a time (see ``intraOpParallelism``)
    /// or the range is at most one grain, `body` is called once with the whole `range` on the calling thread.
    ///
    ///     // y[i] = 2 * x[i], split into chunks of 16384 elements when x is large
    ///     try ctx.parallelFor(0..<n, grain: 16_384) { chunk in
    ///         for i in chunk { out[i] = 2 * x[i] }    // `out` is safe to write from several threads
    ///     }
    ///
    /// - Parameters:
    ///   - range: The indices to cover; every index is in exactly one chunk.
    ///   - grain: The smallest chunk worth running on its own (values below 1 mean 1). ``ParallelCost`` computes
    ///     one from what an element costs: ``parallelFor(_:cost:_:)``.
    ///   - body: Called for each chunk, possibly on several threads at once: it must only write what its chunk
    ///     owns.
    /// - Throws: The first error a chunk threw; ``SessionError/cancelled`` or
    ///   ``SessionError/deadlineExceeded(timeoutInMs:)`` when the step stopped, after which no chunk is started.
    public func parallelFor(_ range: Range<Int>, grain: Int, _ body: @Sendable (Range<Int>) throws -> Void) throws {
        try ChunkedLoops.parallelFor(range, grain: grain, runner: frame.intraOp, cancellation: frame.cancellation, body)
    }

    /// ``parallelFor(_:grain:_:)`` with the grain that `cost` gives for `range` (one chunk for cheap loops).
    ///
    ///     let cost = ParallelCost(bytesLoaded: 8, bytesStored: 4, computeCycles: 1)   // c = a + b, Float
    ///     try ctx.parallelFor(0..<n, cost: cost) { chunk in add(a, b, into: c, chunk) }
    public func parallelFor(_ range: Range<Int>, cost: ParallelCost, _ body: @Sendable (Range<Int>) throws -> Void)
        throws
    {
        try parallelFor(range, grain: cost.grain(for: range.count), body)
    }

    /// Reduces `range` chunk by chunk: `partial` computes each chunk's value (in parallel, as
    /// ``parallelFor(_:grain:_:)``), and the values are combined in chunk order, starting from `initial`.
    ///
    /// The chunks depend only on `range` and `grain`, never on how many workers run them, so a floating-point
    /// sum gives the same bits on one worker or many (it may differ in the last bits from a single sequential
    /// loop, since it adds in another order).
    ///
    ///     let total = try ctx.parallelReduce(0..<x.count, grain: 65_536, initial: 0.0) { chunk in
    ///         chunk.reduce(0.0) { $0 + Double(x[$1]) }
    ///     } combine: { $0 + $1 }
    ///
    /// - Throws: As ``parallelFor(_:grain:_:)``; on the calling thread alone it also stops between chunks when the
    ///   step stopped.
    public func parallelReduce<Value: Sendable>(
        _ range: Range<Int>, grain: Int, initial: Value, _ partial: @Sendable (Range<Int>) throws -> Value,
        combine: (Value, Value) throws -> Value
    ) throws -> Value {
        try ChunkedLoops.parallelReduce(
            range, grain: grain, initial: initial, runner: frame.intraOp, cancellation: frame.cancellation, partial,
            combine: combine)
    }

    /// The same loops as a value a chunk's body can capture, for nested and recursive splitting (the context
    /// itself cannot be captured). It holds the step's runner and cancellation flag: use it only while the
    /// kernel runs.
    ///
    ///     let loops = ctx.loops
    ///     try ctx.parallelFor(0..<rows, grain: 1) { rowRange in
    ///         for row in rowRange {
    ///             try loops.parallelFor(0..<columns, grain: 4096) { columnRange in fill(row, columnRange) }
    ///         }
    ///     }
    public var loops: ParallelLoops { ParallelLoops(runner: frame.intraOp, cancellation: frame.cancellation) }
}

/// A kernel's ``KernelContext/parallelFor(_:grain:_:)`` and
/// ``KernelContext/parallelReduce(_:grain:initial:_:combine:)`` as a `Sendable` value that chunk bodies can capture (``KernelContext/loops``), so a chunk can split again.
public struct ParallelLoops: Sendable {
    let runner: IntraOpRunner?
    let cancellation: StepCancellation

    /// How many chunks may run at once (``KernelContext/intraOpParallelism``).
    public var parallelism: Int { runner?.maxParallelism ?? 1 }

    /// ``KernelContext/parallelFor(_:grain:_:)``.
    public func parallelFor(_ range: Range<Int>, grain: Int, _ body: @Sendable (Range<Int>) throws -> Void) throws {
        try ChunkedLoops.parallelFor(range, grain: grain, runner: runner, cancellation: cancellation, body)
    }

    /// ``KernelContext/parallelReduce(_:grain:initial:_:combine:)``.
    public func parallelReduce<Value: Sendable>(
        _ range: Range<Int>, grain: Int, initial: Value, _ partial: @Sendable (Range<Int>) throws -> Value,
        combine: (Value, Value) throws -> Value
    ) throws -> Value {
        try ChunkedLoops.parallelReduce(
            range, grain: grain, initial: initial, runner: runner, cancellation: cancellation, partial,
            combine: combine)
    }
}

/// The loops behind ``KernelContext`` and ``ParallelLoops``.
enum ChunkedLoops {
    @inline(__always)
    static func parallelFor(
        _ range: Range<Int>, grain: Int, runner: IntraOpRunner?, cancellation: StepCancellation,
        _ body: @Sendable (Range<Int>) throws -> Void
    ) throws {
        let grain = max(grain, 1)
        guard range.count > grain else {
            if !range.isEmpty { try body(range) }
            return
        }
        guard let runner, runner.maxParallelism > 1 else {
            // Large enough to split, but nobody to share it with: one chunk here (one thread-local load when
            // untraced; see IntraOpTally).
            IntraOpTally.countLoopOnCallingThread(chunks: 1)
            try body(range)
            return
        }
        let chunks = ChunkLayout(range: range, grain: grain)
        try runner.run(chunks: chunks.count, cancellation: cancellation) { index in
            try body(chunks[index])
        }
    }

    static func parallelReduce<Value: Sendable>(
        _ range: Range<Int>, grain: Int, initial: Value, runner: IntraOpRunner?,
        cancellation: StepCancellation, _ partial: @Sendable (Range<Int>) throws -> Value,
        combine: (Value, Value) throws -> Value
    ) throws -> Value {
        let chunks = ChunkLayout(range: range, grain: max(grain, 1))
        var result = initial
        guard chunks.count > 1 else {
            if !range.isEmpty { result = try combine(result, try partial(range)) }
            return result
        }
        guard let runner, runner.maxParallelism > 1 else {
            // Every chunk on this thread; a traced firing counts them (one thread-local load when untraced).
            guard let tally = IntraOpTally.armed else {
                for index in 0..<chunks.count {
                    if cancellation.shouldStop { throw cancellation.stopError }
                    result = try combine(result, try partial(chunks[index]))
                }
                return result
            }
            tally.countLoop()
            let worker = IntraOpTally.armedWorker
            for index in 0..<chunks.count {
                if cancellation.shouldStop { throw cancellation.stopError }
                tally.countChunks(1, worker: worker)
                result = try combine(result, try partial(chunks[index]))
            }
            return result
        }
        let values = ChunkResults<Value>(count: chunks.count)
        try runner.run(chunks: chunks.count, cancellation: cancellation) { index in
            values.store(try partial(chunks[index]), at: index)
        }
        for index in 0..<chunks.count { result = try combine(result, values.take(index)) }
        return result
    }
}

/// `range` cut into `count` consecutive chunks of `grain` indices (the last one shorter).
struct ChunkLayout: Sendable {
    let range: Range<Int>
    let grain: Int
    let count: Int

    init(range: Range<Int>, grain: Int) {
        self.range = range
        self.grain = grain
        self.count = range.isEmpty ? 0 : (range.count - 1) / grain + 1
    }

    subscript(index: Int) -> Range<Int> {
        let lower = range.lowerBound + index * grain
        return lower..<min(lower + grain, range.upperBound)
    }
}
