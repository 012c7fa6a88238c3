import ActorFlow

/// A workload's ops run one after another on the calling thread, straight through their kernels: the floor
/// a scheduler's per-node cost is measured against.
///
/// The ops run in creation order, which is a topological order (an op's inputs and control inputs exist
/// before it). Each step visits every op and calls its `kernel.compute` with a ``KernelContext`` — no
/// session, no plan, no pending counts, no atomics, no thread hops — so the time per node is the cost of the
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
    /// One op and where its inputs come from.
    private struct Step: Sendable {
        let op: Operation
        /// Whether the kernel is called: false for a `NoOp`, whose kernel the engine skips too.
        let computes: Bool
        /// Per input: the producing step's position and output index, or the fed value.
        let inputs: [Source]
    }

    /// Where an input value comes from.
    private enum Source: Sendable {
        case step(position: Int, output: Int)
        case fed(NDArray)
    }

    private let steps: [Step]
    /// Where each fetched value comes from.
    private let fetchSources: [Source]
    private let state = SessionState()
    private let cancellation = StepCancellation()

    /// The number of kernels a step runs.
    public var nodeCount: Int { steps.count }

    /// Prepares the workload's ops for sequential runs.
    ///
    /// - Throws: ``SessionError/invalidGraph(op:reason:)`` when an op of the graph could not be built.
    public init(_ built: BuiltWorkload) throws(SessionError) {
        var positionOfOp: [Int: Int] = [:]
        var steps: [Step] = []
        let fed = built.feedValues
        for op in built.graph.operations {
            if op.outputs.contains(where: { fed[$0] != nil }) { continue }
            if let error = op.buildError { throw .invalidGraph(op: op.name, reason: error) }
            let inputs = op.inputs.map { tensor -> Source in
                if let value = fed[tensor] { return .fed(value) }
                return .step(position: positionOfOp[tensor.op.id]!, output: tensor.index)
            }
            positionOfOp[op.id] = steps.count
            steps.append(Step(op: op, computes: !Self.isNoOp(op), inputs: inputs))
        }
        self.steps = steps
        fetchSources = built.fetches.map { tensor in
            if let value = fed[tensor] { return .fed(value) }
            return .step(position: positionOfOp[tensor.op.id]!, output: tensor.index)
        }
    }

    /// Runs every op once, in order.
    ///
    /// - Returns: The workload's fetched values, in ``BuiltWorkload/fetches`` order.
    /// - Throws: ``SessionError/opFailed(op:underlying:)`` naming the first op whose kernel throws.
    @discardableResult
    public func run() throws(SessionError) -> [NDArray] {
        var outputs = [[NDArray]](repeating: [], count: steps.count)
        for position in steps.indices where steps[position].computes {
            let step = steps[position]
            let inputs = step.inputs.isEmpty ? [] : step.inputs.map { value(of: $0, in: outputs) }
            do {
                let context = KernelContext(
                    op: step.op, inputs: inputs, state: state, stepID: 0, cancellation: cancellation)
                // As the engine calls kernels: no array for one output, none for a custom op's empty inputs.
                switch step.op.kernel.body {
                case .outputs(let compute): outputs[position] = try compute(context)
                case .oneOutput(let compute): outputs[position] = [try compute(context)]
                case .custom(let compute): outputs[position] = try compute(inputs, context)
                case .customEffect(let compute): try compute(inputs, context)
                }
            } catch {
                throw .opFailed(op: step.op.name, underlying: error)
            }
        }
        return fetchSources.map { value(of: $0, in: outputs) }
    }

    /// The ops the engine fires without calling their kernel (its `ExecutionPlan` uses the same test).
    private static func isNoOp(_ op: Operation) -> Bool {
        op.type == "NoOp" && op.outputCount == 0
    }

    private func value(of source: Source, in outputs: [[NDArray]]) -> NDArray {
        switch source {
        case .step(let position, let output): outputs[position][output]
        case .fed(let value): value
        }
    }
}
