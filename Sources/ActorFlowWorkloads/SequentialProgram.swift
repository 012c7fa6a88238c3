@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlow
import Dispatch

/// A workload's ops run one after another on the calling thread, straight through their kernels: the floor
/// a scheduler's per-node cost is measured against.
///
/// The ops run in creation order, which is a topological order (an op's inputs and control inputs exist
/// before it). Each step visits every op and calls its kernel as the engine does — inputs read in place from
/// per-input slots through a borrowing ``KernelContext``, outputs stored in their consumers' slots — but with no
/// session, no plan, no pending counts, no atomics, no thread hops, so the time per node is the cost of the
/// kernels themselves plus the loop. Like the session's engine (TensorFlow's fast path), it does not call the
/// kernel of a `NoOp` (an op of type `NoOp` without outputs): there is nothing to compute, so for the
/// scheduling shapes the floor is the bare loop. Everything that does not depend on the step (the op list,
/// where each input comes from, the session state) is prepared once by the initializer.
///
///     let built = Workload.chain.build(size: 100_000)
///     let floor = try SequentialProgram(built)
///     try floor.run()                                  // visits 100 000 NoOps, in order
///
/// Stateful workloads (variables) are not supported: the program has a fresh ``SessionState`` and no
/// initializer runs.
public struct SequentialProgram: Sendable {
    /// One op: its kernel, its input slots and where its outputs go.
    private struct Step: Sendable {
        let op: Operation
        let kernel: Kernel
        /// Whether the kernel is called: false for a `NoOp`, whose kernel the engine skips too.
        let computes: Bool
        /// The op's inputs are slots `inputSlotBase ..< inputSlotBase + inputCount`.
        let inputSlotBase: Int
        let inputCount: Int
        /// Output `output` goes to slot `slot` (a consumer's input, or a fetch's slot).
        let deliveries: [(output: Int, slot: Int)]
    }

    private let steps: [Step]
    /// Fed values and the slots they are stored in at the start of every run.
    private let fedSlots: [(value: NDArray, slot: Int)]
    /// Where each fetched value is found after a run: a slot, or a fed value.
    private let fetchSources: [FetchSource]
    private let slotCount: Int
    private let state = SessionState()
    private let cancellation = StepCancellation()

    private enum FetchSource: Sendable {
        case slot(Int)
        case fed(NDArray)
    }

    /// The number of kernels a step runs.
    public var nodeCount: Int { steps.count }

    /// Prepares the workload's ops for sequential runs.
    ///
    /// - Throws: ``SessionError/invalidGraph(op:reason:)`` when an op of the graph could not be built.
    public init(_ built: BuiltWorkload) throws(SessionError) {
        let fed = built.feedValues
        var ops: [Operation] = []
        var positionOfOp: [Int: Int] = [:]
        var slotBase: [Int] = []
        var nextSlot = 0
        for op in built.graph.operations {
            if op.outputs.contains(where: { fed[$0] != nil }) { continue }
            if let error = op.buildError { throw .invalidGraph(op: op.name, reason: error) }
            positionOfOp[op.id] = ops.count
            ops.append(op)
            slotBase.append(nextSlot)
            nextSlot += op.inputs.count
        }
        var deliveries = [[(output: Int, slot: Int)]](repeating: [], count: ops.count)
        var fedSlots: [(value: NDArray, slot: Int)] = []
        for (position, op) in ops.enumerated() {
            for (i, tensor) in op.inputs.enumerated() {
                if let value = fed[tensor] {
                    fedSlots.append((value, slotBase[position] + i))
                } else {
                    deliveries[positionOfOp[tensor.op.id]!].append((tensor.index, slotBase[position] + i))
                }
            }
        }
        fetchSources = built.fetches.map { tensor in
            if let value = fed[tensor] { return .fed(value) }
            deliveries[positionOfOp[tensor.op.id]!].append((tensor.index, nextSlot))
            nextSlot += 1
            return .slot(nextSlot - 1)
        }
        steps = ops.indices.map { position in
            Step(
                op: ops[position], kernel: ops[position].kernel, computes: !Self.isNoOp(ops[position]),
                inputSlotBase: slotBase[position], inputCount: ops[position].inputs.count,
                deliveries: deliveries[position])
        }
        self.fedSlots = fedSlots
        slotCount = nextSlot
    }

    /// Runs every op once, in order.
    ///
    /// - Returns: The workload's fetched values, in ``BuiltWorkload/fetches`` order.
    /// - Throws: ``SessionError/opFailed(op:underlying:)`` naming the first op whose kernel throws.
    @discardableResult
    public func run() throws(SessionError) -> [NDArray] {
        let slots = KernelSlots(count: slotCount)
        for fed in fedSlots { slots.store(fed.value, at: fed.slot) }
        for step in steps where step.computes {
            do {
                // As the engine calls kernels: inputs read in place, no array for one output, none for a custom
                // op's empty inputs.
                let outputs = try slots.withContext(
                    inputsFrom: step.inputSlotBase, count: step.inputCount, op: step.op, state: state,
                    cancellation: cancellation
                ) { context throws -> [NDArray] in
                    let kernel = step.kernel.storage
                    switch kernel.kind {
                    case .outputs: return try kernel.outputs!(context)
                    case .oneOutput: return [try kernel.oneOutput!(context)]
                    case .custom: return try kernel.custom!(step.inputCount == 0 ? [] : context.inputs, context)
                    case .customEffect:
                        try kernel.customEffect!(step.inputCount == 0 ? [] : context.inputs, context)
                        return []
                    case .async:
                        return try Self.waiting(for: kernel.async!, op: step.op, inputs: context.inputs, state: state)
                    }
                }
                for delivery in step.deliveries { slots.store(outputs[delivery.output], at: delivery.slot) }
            } catch {
                throw .opFailed(op: step.op.name, underlying: error)
            }
        }
        return fetchSources.map { source in
            switch source {
            case .slot(let slot): slots.take(slot)
            case .fed(let value): value
            }
        }
    }

    /// Runs an async kernel to its end while the calling thread waits: in a sequential program an op that
    /// waits (a file read) holds the thread, as a blocking call would.
    private static func waiting(
        for kernel: @escaping Kernel.AsyncCompute, op: Operation, inputs: [NDArray], state: SessionState
    ) throws -> [NDArray] {
        let finished = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<[NDArray], any Error>?>(nil)
        Task.detached {
            let context = KernelContext(op: op, inputs: inputs, state: state, stepID: 0, cancellation: StepCancellation())
            let result: Result<[NDArray], any Error>
            do { result = .success(try await kernel(context)) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// The ops the engine fires without calling their kernel (its `ExecutionPlan` uses the same test).
    private static func isNoOp(_ op: Operation) -> Bool {
        op.type == "NoOp" && op.outputCount == 0
    }
}
