import Synchronization

/// The CPU implementation of an op: a function from input values to output values.
///
/// A kernel runs on an executor thread with its inputs resolved. It must be thread-safe (two steps may
/// run the same kernel at once) and throw ``KernelError`` (or any error) for bad runtime input; the
/// session reports it as ``SessionError/opFailed(op:underlying:)`` naming the op.
///
///     let double = Kernel { ctx in
///         let x = try ctx.input(0).scalars(as: Float.self)
///         return [try NDArray(shape: ctx.input(0).dimensions, scalars: x.map { $0 * 2 })]
///     }
///
/// An op with exactly one output can say so with ``oneOutput(isExpensive:_:)``: the engine then stores the
/// value without building an array for it. A kernel that waits (on a file, a socket, a timer) is
/// ``async(isExpensive:_:)``: it suspends on its node actor and gives the worker thread back while it waits.
public struct Kernel: Sendable {
    /// The kernel body.
    public typealias Compute = @Sendable (borrowing KernelContext) throws -> [NDArray]
    /// The body of a kernel with exactly one output.
    public typealias ComputeOne = @Sendable (borrowing KernelContext) throws -> NDArray

    /// The body of an async kernel (see ``async(isExpensive:_:)``). `nonisolated(nonsending)`: it runs on the
    /// executor of its caller, the op's node actor, so every resumption is a job of that actor.
    public typealias AsyncCompute = nonisolated(nonsending) @Sendable (borrowing KernelContext) async throws -> [NDArray]
    /// The body of an async custom op (`asyncCustomOp`).
    public typealias AsyncCustomCompute =
        nonisolated(nonsending) @Sendable ([NDArray], borrowing KernelContext) async throws -> [NDArray]

    /// The body of a custom op (`customOp`, `customTarget`): the user's function of the input values.
    package typealias CustomCompute = @Sendable ([NDArray], borrowing KernelContext) throws -> [NDArray]

    /// How the engine calls the kernel.
    package enum Body: Sendable {
        case outputs(Compute)
        case oneOutput(ComputeOne)
        /// The user's function, called with the inputs as an array. The engine checks the results against
        /// the op's declared outputs itself; ``Kernel/compute`` does so for direct callers.
        case custom(CustomCompute)
        /// A custom op without outputs (`customTarget`): the user's function, run for its effect.
        case customEffect(CustomEffect)
        /// An async kernel: it runs in a task of its own, on its node actor (see ``Kernel/async(isExpensive:_:)``).
        case async(AsyncCompute)
    }

    /// The body of a custom op without outputs.
    package typealias CustomEffect = @Sendable ([NDArray], borrowing KernelContext) throws -> Void

    /// The body, in an object of its own: the engine calls it through a borrowed reference (see ``Storage``).
    package let storage: Storage
    /// How the engine calls the kernel.
    package var body: Body { storage.body }
    /// Whether the executor should make the op stealable rather than run it inline after its producer
    /// (TensorFlow's `IsExpensive()`): true for ops whose cost grows with their input, false for
    /// constant-time ops (const, identity, no-op, reshape).
    public var isExpensive: Bool { storage.isExpensive }

    /// A kernel's body and cost flag, immutable and shared by every copy of the kernel.
    ///
    /// A class so that a firing can reach the body through an unretained reference held by the plan, and with
    /// the body's function in a field of its own type rather than in an enum: calling a closure stored in a
    /// `let` of a borrowed object touches no reference count, while taking one out of an enum payload retains
    /// its context (an atomic increment and decrement on every firing).
    package final class Storage: Sendable {
        /// Which of the fields below holds the body.
        package enum Kind: UInt8, Sendable { case outputs, oneOutput, custom, customEffect, async }

        package let kind: Kind
        package let isExpensive: Bool
        package let outputs: Compute?
        package let oneOutput: ComputeOne?
        package let custom: CustomCompute?
        package let customEffect: CustomEffect?
        package let async: AsyncCompute?

        init(body: Body, isExpensive: Bool) {
            self.isExpensive = isExpensive
            var (outputs, oneOutput, custom, customEffect): (Compute?, ComputeOne?, CustomCompute?, CustomEffect?)
            var async: AsyncCompute?
            switch body {
            case .outputs(let f): (kind, outputs) = (.outputs, f)
            case .oneOutput(let f): (kind, oneOutput) = (.oneOutput, f)
            case .custom(let f): (kind, custom) = (.custom, f)
            case .customEffect(let f): (kind, customEffect) = (.customEffect, f)
            case .async(let f): (kind, async) = (.async, f)
            }
            (self.outputs, self.oneOutput, self.custom, self.customEffect) = (outputs, oneOutput, custom, customEffect)
            self.async = async
        }

        /// Calls the body on `context` in place (see ``Kernel/run(_:)``): a step's traced firing calls it on the
        /// kernel borrowed from its firing table, so no reference count is touched to reach the closure.
        package func run(_ context: borrowing KernelContext) throws -> [NDArray] {
            switch kind {
            case .outputs:
                return try outputs!(context)
            case .oneOutput:
                return [try oneOutput!(context)]
            case .custom:
                let results = try custom!(context.inputCount == 0 ? [] : context.inputs, context)
                if let problem = Kernel.customProblem(with: results, of: context.op) {
                    throw KernelError("customOp '\(context.op.name)' " + problem)
                }
                return results
            case .customEffect:
                try customEffect!(context.inputCount == 0 ? [] : context.inputs, context)
                return []
            case .async:
                throw KernelError(
                    "op '\(context.op.name)' has an async kernel: call Kernel.computeAsync, or run it in a session")
            }
        }

        /// The body as an enum (for callers off the hot path).
        package var body: Body {
            switch kind {
            case .outputs: .outputs(outputs!)
            case .oneOutput: .oneOutput(oneOutput!)
            case .custom: .custom(custom!)
            case .customEffect: .customEffect(customEffect!)
            case .async: .async(async!)
            }
        }
    }

    /// A kernel returning every output in order.
    public init(isExpensive: Bool = true, _ compute: @escaping Compute) {
        self.storage = Storage(body: .outputs(compute), isExpensive: isExpensive)
    }

    /// The kernel of every `NoOp`: one shared object, so a graph of a million `NoOp`s holds one kernel.
    package static let noOp = Kernel(isExpensive: false) { _ in [] }

    /// A kernel with exactly one output.
    ///
    ///     let negate = Kernel.oneOutput { ctx in NDArray(-(try ctx.input(0).scalar(as: Float.self))) }
    public static func oneOutput(isExpensive: Bool = true, _ compute: @escaping ComputeOne) -> Kernel {
        Kernel(body: .oneOutput(compute), isExpensive: isExpensive)
    }

    /// A kernel that can wait without holding a thread: it runs in a task of its own, isolated to its op's node
    /// actor, that starts on the worker where the node fired and, at each `await` that suspends, gives the worker
    /// back to other ops; each resumption is a job of the node actor, run by whichever worker is free. When it
    /// returns, the node delivers the outputs and its successors fire as usual (TensorFlow's `AsyncOpKernel`). A
    /// failed, timed-out or closed step cancels the task (`Task.isCancelled`, `try Task.checkCancellation()`
    /// inside the kernel).
    ///
    ///     let delayed = Kernel.async { ctx in
    ///         try await Task.sleep(for: .milliseconds(20))      // the worker runs other ops meanwhile
    ///         return [ctx.input(0)]
    ///     }
    public static func async(isExpensive: Bool = true, _ compute: @escaping AsyncCompute) -> Kernel {
        Kernel(body: .async(compute), isExpensive: isExpensive)
    }

    /// Whether the kernel is ``async(isExpensive:_:)``.
    public var isAsync: Bool { storage.kind == .async }

    /// An async custom op's kernel: `compute` gets the inputs as an array, and its results must match the op's
    /// declared outputs, as for ``custom(_:)``.
    package static func customAsync(_ compute: @escaping AsyncCustomCompute) -> Kernel {
        .async { ctx in
            let results = try await compute(ctx.inputCount == 0 ? [] : ctx.inputs, ctx)
            if let problem = customProblem(with: results, of: ctx.op) {
                throw KernelError("customOp '\(ctx.op.name)' " + problem)
            }
            return results
        }
    }

    /// A custom op's kernel: `compute` gets the inputs as an array, and its results must match the op's declared
    /// output dtypes and shapes (a mismatch fails the op: "customOp 'name' output 0: expected dtype …").
    package static func custom(_ compute: @escaping CustomCompute) -> Kernel {
        Kernel(body: .custom(compute), isExpensive: true)
    }

    /// A custom op's kernel without outputs, run for its effect.
    package static func customEffect(_ compute: @escaping CustomEffect) -> Kernel {
        Kernel(body: .customEffect(compute), isExpensive: true)
    }

    private init(body: Body, isExpensive: Bool) {
        self.storage = Storage(body: body, isExpensive: isExpensive)
    }

    /// Computes the outputs (for one-output kernels, an array of the one value). An async kernel cannot run
    /// here: it throws, naming the op; call ``computeAsync`` instead.
    ///
    ///     let out = try op.kernel.compute(KernelContext(op: op, inputs: [x], state: SessionState(),
    ///                                                   stepID: 0, cancellation: StepCancellation()))
    public var compute: Compute {
        if storage.kind == .outputs { return storage.outputs! }
        let kernel = self
        return { ctx in try kernel.run(ctx) }
    }

    /// Computes the outputs, as ``compute`` does, calling the body in place instead of through a closure made
    /// for the call: the engine's traced firing calls it on the kernel it borrows from the firing table, so the
    /// call allocates nothing. Users call ``compute``.
    package func run(_ context: borrowing KernelContext) throws -> [NDArray] {
        try storage.run(context)
    }

    /// Computes the outputs of any kernel, awaiting an async one.
    ///
    ///     let out = try await op.kernel.computeAsync(KernelContext(op: op, inputs: [x], state: SessionState(),
    ///                                                              stepID: 0, cancellation: StepCancellation()))
    public var computeAsync: AsyncCompute {
        if case .async(let compute) = body { return compute }
        let compute = self.compute
        return { ctx in try compute(ctx) }
    }

    /// Why `results` are not `op`'s declared outputs (the message follows "customOp 'name' "), or `nil`.
    package static func customProblem(with results: [NDArray], of op: Operation) -> String? {
        guard results.count == op.outputCount else {
            return "declared \(op.outputCount) outputs, the kernel returned \(results.count)"
        }
        for i in 0..<results.count {
            if results[i].dtype != op.outputDTypes[i] {
                return "output \(i): expected dtype \(op.outputDTypes[i]), the kernel returned \(results[i].dtype)"
            }
            if !op.outputShapes[i].isCompatible(with: results[i].dimensions) {
                return "output \(i): expected shape \(op.outputShapes[i]), the kernel returned "
                    + results[i].dimensions.shapeDescription
            }
        }
        return nil
    }
}

/// What a kernel sees when it runs: its op, its inputs, the session's state and the step's cancellation.
///
/// In a session's step the inputs are not copied into an array: ``input(_:)`` reads them where the producers
/// delivered them, and ``takeInput(_:)`` moves one out, so a kernel holding the only reference to an input's
/// buffer can write its result into it (TensorFlow's `forward_input`).
///
///     let passThrough = Kernel.oneOutput(isExpensive: false) { ctx in
///         ctx.takeInput(0)                  // the producer's buffer, not a copy of it
///     }
public struct KernelContext: ~Copyable {
    /// The op, the input values and the shared objects, borrowed from the step that runs the kernel.
    let frame: KernelFrame
    /// The step's id (unique within the process).
    public let stepID: Int64

    /// A context owning its inputs: for calling a kernel outside a session (tests, reference evaluators).
    public init(op: Operation, inputs: [NDArray], state: SessionState, stepID: Int64, cancellation: StepCancellation) {
        self.frame = KernelFrame(owning: inputs, op: op, state: state, cancellation: cancellation, intraOp: nil)
        self.stepID = stepID
    }

    /// A context owning its inputs whose ``parallelFor(_:grain:_:)`` chunks `intraOp` runs (a traced step's firing).
    package init(
        op: Operation, inputs: [NDArray], state: SessionState, stepID: Int64, cancellation: StepCancellation,
        intraOp: IntraOpRunner?
    ) {
        self.frame = KernelFrame(owning: inputs, op: op, state: state, cancellation: cancellation, intraOp: intraOp)
        self.stepID = stepID
    }

    /// A context over `count` input slots at `inputs` that the caller keeps, with `op`, `state` and
    /// `cancellation` kept alive by the caller for as long as the context exists (the step engine). They are
    /// passed unretained, so making a context touches no reference count. `intraOp` (kept alive by the caller too)
    /// runs the chunks of ``parallelFor(_:grain:_:)``.
    @inline(__always)
    package init(
        op: Unmanaged<Operation>, borrowingInputs inputs: UnsafeMutablePointer<NDArray?>, count: Int,
        state: Unmanaged<SessionState>, stepID: Int64, cancellation: Unmanaged<StepCancellation>,
        intraOp: Unmanaged<IntraOpRunner>? = nil
    ) {
        self.frame = KernelFrame(
            borrowing: inputs, count: count, op: op, state: state, cancellation: cancellation, intraOp: intraOp)
        self.stepID = stepID
    }

    deinit { frame.releaseOwnedInputs() }

    /// The op being run.
    public var op: Operation { frame.op }
    /// The session's variables and stored tensors.
    public var state: SessionState { frame.state }
    /// Set when the step is cancelled (deadline, failure of another op, closed session).
    public var cancellation: StepCancellation { frame.cancellation }

    /// The number of inputs.
    public var inputCount: Int { frame.count }

    /// Input `index` (a copy sharing its buffer).
    ///
    /// - Precondition: `index` is below ``inputCount`` and the input was not taken with ``takeInput(_:)``.
    @inline(__always)
    public func input(_ index: Int) -> NDArray {
        precondition(index >= 0 && index < frame.count, "op \(frame.op.name) has \(frame.count) inputs, not \(index + 1)")
        guard let value = frame.load(index) else { preconditionFailure("input \(index) of op \(frame.op.name) was taken") }
        return value
    }

    /// Moves input `index` out of the context: the returned value holds the context's reference to the buffer,
    /// so when the producer handed this op its only reference, the buffer is uniquely referenced and can be
    /// written in place. Later reads of input `index` fail.
    @inline(__always)
    public func takeInput(_ index: Int) -> NDArray {
        precondition(index >= 0 && index < frame.count, "op \(frame.op.name) has \(frame.count) inputs, not \(index + 1)")
        guard let value = frame.take(index) else { preconditionFailure("input \(index) of op \(frame.op.name) was taken") }
        return value
    }

    /// The input values, in the op's input order (builds an array: prefer ``input(_:)`` in hot kernels).
    public var inputs: [NDArray] { (0..<frame.count).map { input($0) } }

    /// Whether the step was cancelled; long-running kernels should check it and stop early.
    public var isCancelled: Bool { frame.cancellation.isCancelled }

    /// Throws ``SessionError/cancelled`` when the step was cancelled.
    public func checkCancellation() throws(SessionError) {
        if frame.cancellation.isCancelled { throw .cancelled }
    }
}

/// A step's cancellation flag, shared by every kernel of the step.
public final class StepCancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    /// `CLOCK_MONOTONIC` nanoseconds after which ``KernelContext/parallelFor(_:grain:_:)`` hands out no more
    /// chunks; 0 for none.
    private let deadline: UInt64
    /// The run's timeout, for the error a chunked loop stopped by the deadline throws.
    private let timeoutInMs: Int64

    public init() {
        deadline = 0
        timeoutInMs = 0
    }

    /// A flag for a step that must end within `timeoutInMs` milliseconds from now (none when 0 or less).
    package init(timeoutInMs: Int64) {
        self.timeoutInMs = timeoutInMs
        guard timeoutInMs > 0 else {
            deadline = 0
            return
        }
        let (nanoseconds, overflow) = UInt64(timeoutInMs).multipliedReportingOverflow(by: 1_000_000)
        let (sum, later) = MonotonicClock.now().addingReportingOverflow(nanoseconds)
        deadline = overflow || later ? UInt64.max : sum
    }

    /// Whether a chunked loop should stop handing out chunks: the step was cancelled or its deadline passed.
    /// Reads the clock when there is a deadline.
    package var shouldStop: Bool {
        isCancelled || (deadline != 0 && MonotonicClock.now() >= deadline)
    }

    /// What a chunked loop stopped by ``shouldStop`` throws.
    package var stopError: SessionError {
        !isCancelled && deadline != 0 ? .deadlineExceeded(timeoutInMs: timeoutInMs) : .cancelled
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Cancels the step: nodes not yet started are skipped, running kernels see ``isCancelled``.
    public func cancel() { flag.store(true, ordering: .releasing) }
}
