import ActorFlowCore

extension Graph {
    /// A tensor with the same value as `input`.
    ///
    ///     let after = g.withControlDependencies([inc.op]) { g.identity(a) }   // `a`, read after `inc` ran
    public func identity(_ input: Tensor, name: String? = nil) -> Tensor {
        singleOutputOp(
            type: "Identity", name: name, inputs: [input], dtype: input.dtype, shape: input.shape,
            kernel: .oneOutput(isExpensive: false) { ctx in ctx.takeInput(0) })
    }

    /// An op that does nothing; useful as a target that gathers control dependencies.
    @discardableResult
    public func noOp(name: String? = nil) -> Operation {
        addOperation(type: "NoOp", name: name, outputs: [], kernel: .noOp)
    }

    /// An op that runs after every op of `ops` (TensorFlow's `tf.group`).
    ///
    ///     let train = g.group([update1, update2])
    ///     try session.run(train)
    @discardableResult
    public func group(_ ops: [Operation], name: String? = nil) -> Operation {
        addOperation(
            type: "NoOp", name: name ?? "group_deps", controlInputs: ops, outputs: [],
            kernel: .noOp)
    }
}
