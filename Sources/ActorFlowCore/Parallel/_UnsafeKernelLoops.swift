/// A running kernel's `parallelFor` and `parallelReduce` as a plain value for the ops' own kernels, which hand it
/// down to their loops: like the ``KernelContext`` it comes from, it borrows the step's runner and cancellation
/// flag unretained, so taking it costs no reference counting on objects every worker shares.
///
/// Sound for the same reason as ``KernelFrame``: a kernel uses it only during its call, while the step keeps both
/// objects alive. It must not be stored or outlive the kernel; public code uses ``ParallelLoops`` instead.
///
///     let loops = ctx.kernelLoops
///     try loops.parallelFor(0..<n, cost: cost) { chunk in … }
@safe package struct KernelLoops: Sendable {
    @safe unowned(unsafe) let runner: IntraOpRunner?
    @safe unowned(unsafe) let cancellation: StepCancellation

    /// Loops that run every chunk on the calling thread (for callers outside a kernel).
    package static let serial = KernelLoops(runner: nil, cancellation: neverCancelled)
    private static let neverCancelled = StepCancellation()

    init(runner: IntraOpRunner?, cancellation: StepCancellation) {
        self.runner = runner
        self.cancellation = cancellation
    }

    /// How many chunks may run at once.
    package var parallelism: Int { runner?.maxParallelism ?? 1 }

    /// ``KernelContext/parallelFor(_:grain:_:)``.
    @inline(__always)
    package func parallelFor(_ range: Range<Int>, grain: Int, _ body: @Sendable (Range<Int>) throws -> Void) throws {
        try ChunkedLoops.parallelFor(range, grain: grain, runner: runner, cancellation: cancellation, body)
    }

    /// ``KernelContext/parallelFor(_:cost:_:)``.
    @inline(__always)
    package func parallelFor(_ range: Range<Int>, cost: ParallelCost, _ body: @Sendable (Range<Int>) throws -> Void)
        throws
    {
        try ChunkedLoops.parallelFor(
            range, grain: cost.grain(for: range.count), runner: runner, cancellation: cancellation, body)
    }

    /// ``KernelContext/parallelReduce(_:grain:initial:_:combine:)``.
    package func parallelReduce<Value: Sendable>(
        _ range: Range<Int>, grain: Int, initial: Value, _ partial: @Sendable (Range<Int>) throws -> Value,
        combine: (Value, Value) throws -> Value
    ) throws -> Value {
        try ChunkedLoops.parallelReduce(
            range, grain: grain, initial: initial, runner: runner, cancellation: cancellation, partial,
            combine: combine)
    }
}

extension KernelContext {
    /// This kernel's loops, borrowed (see ``KernelLoops``).
    package var kernelLoops: KernelLoops { KernelLoops(runner: frame.intraOp, cancellation: frame.cancellation) }
}
