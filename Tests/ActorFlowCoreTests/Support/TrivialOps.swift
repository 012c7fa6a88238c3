import ActorFlowCore

/// A kernel that returns its inputs unchanged.
let passThrough = Kernel(isExpensive: false) { ctx in ctx.inputs }

extension Graph {
    /// Adds an op of `type` with `outputs` float32 scalar outputs and the ``passThrough`` kernel.
    @discardableResult
    func op(
        _ type: String = "Op",
        name: String? = nil,
        inputs: [Tensor] = [],
        controlInputs: [Operation] = [],
        outputs: Int = 1
    ) -> Operation {
        addOperation(
            type: type, name: name, inputs: inputs, controlInputs: controlInputs,
            outputs: Array(repeating: (.float32, .scalar), count: outputs), kernel: passThrough
        )
    }
}
