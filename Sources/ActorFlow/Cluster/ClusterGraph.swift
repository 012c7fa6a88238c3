@_spi(ActorFlowInternal) import ActorFlowCore

/// The graph one task runs in a cluster session: the session's graph with each op placed on this task kept under
/// its name (its kernel also handing its outputs to the tasks that consume them in the current step), and each op
/// placed elsewhere replaced by a `_Recv` of the same name and outputs, whose async kernel awaits the tensors
/// from their task without holding a worker (it runs only when a step pulls it in).
///
/// Built op by op as the session's graph grows, and run by one inner ``Session`` per task, so variables keep
/// their values from step to step. Which tensors cross in a step is the step's ``ClusterRoute``, read by the
/// kernels from ``current`` (a cluster runs one step at a time).
final class ClusterGraph: Sendable {
    let original: Graph
    let graph = Graph()
    let rank: Int
    let transport: any ClusterTransport
    /// The step running now, read by the kernels.
    let current = Locked<ClusterStepState?>(nil)

    private struct Built {
        var count = 0
        /// This task's copy of each op, or its `_Recv` stand-in, by the original op's id.
        var copies: [Int: Operation] = [:]
    }

    private let built = Locked(Built())

    init(original: Graph, transport: any ClusterTransport) {
        self.original = original
        self.rank = transport.rank
        self.transport = transport
    }

    /// Copies the ops added to the session's graph since the last call.
    func sync() {
        let operations = original.operations
        built.withLock { built in
            guard built.count < operations.count else { return }
            for op in operations[built.count...] { copy(op, into: &built) }
            built.count = operations.count
        }
    }

    private func task(of op: Operation) -> Int { op.deviceSpec.task ?? 0 }

    private func copy(_ op: Operation, into built: inout Built) {
        guard task(of: op) == rank else {
            built.copies[op.id] = standIn(for: op)
            return
        }
        // (Producers come first in creation order, so each has its copy or stand-in already.)
        let inputs = op.inputs.compactMap { t in built.copies[t.op.id]?.output(t.index) }
        let controls = op.controlInputs.compactMap { built.copies[$0.id] }
        let name = op.name
        let kernel: Kernel
        if op.kernel.isAsync {
            let compute = op.kernel.computeAsync
            let current = self.current
            kernel = .async(isExpensive: op.kernel.isExpensive) { ctx in
                let outputs = try await compute(ctx)
                current.withLock { $0 }?.emit(name, outputs: outputs)
                return outputs
            }
        } else {
            let compute = op.kernel.compute
            kernel = Kernel(isExpensive: op.kernel.isExpensive) { [current] ctx in
                let outputs = try compute(ctx)
                current.withLock { $0 }?.emit(name, outputs: outputs)
                return outputs
            }
        }
        built.copies[op.id] = graph.addOperation(
            type: op.type, name: op.name, inputs: inputs, controlInputs: controls, attributes: op.attributes,
            outputs: Array(zip(op.outputDTypes, op.outputShapes)), isStateful: op.isStateful,
            buildError: op.buildError, kernel: kernel)
    }

    /// A `_Recv` named as `producer`, placed on another task, with its dtypes and unknown shapes (outputs this
    /// task does not consume in a step are empty).
    private func standIn(for producer: Operation) -> Operation {
        let name = producer.name
        let dtypes = producer.outputDTypes
        let current = self.current
        let kernel = Kernel.async(isExpensive: true) { _ in
            guard let step = current.withLock({ $0 }) else {
                throw KernelError("_Recv '\(name)' ran outside a cluster step")
            }
            return try await step.receive(name, dtypes: dtypes)
        }
        return graph.addOperation(
            type: "_Recv", name: name, outputs: dtypes.map { ($0, TensorShape.unknown) }, isStateful: true,
            kernel: kernel)
    }
}
