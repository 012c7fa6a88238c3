import ActorFlowCore

extension Graph {
    /// An op running `kernel`, a Swift function of the input values (TensorFlow's `py_func`, op `CustomOp`).
    ///
    ///     let outs = g.customOp(name: "double", inputs: [x], outputs: [(.float32, [nil, 2])]) { inputs in
    ///         let v = try inputs[0].scalars(as: Float.self).map { $0 * 2 }
    ///         return [try NDArray(shape: inputs[0].dimensions, scalars: v)]
    ///     }
    ///
    /// `kernel` runs on an executor thread, possibly for two steps at once. After it returns, the op checks that
    /// it produced one value per declared output with the declared dtype and a compatible shape, and fails the
    /// run otherwise ("customOp 'double' output 0: expected dtype float, the kernel returned int32"). Errors
    /// the kernel throws fail the run as they are.
    ///
    /// - Parameters:
    ///   - name: The op's name (made unique like any op name).
    ///   - outputs: Each output's dtype and static shape.
    ///   - isStateful: Whether the kernel has effects beyond its outputs (the default, as `py_func` assumes).
    /// - Returns: The op's outputs (empty when `outputs` is; find the op by name to run it).
    public func customOp(
        name: String, inputs: [Tensor], outputs: [(DType, TensorShape)], isStateful: Bool = true,
        kernel: @escaping @Sendable ([NDArray]) throws -> [NDArray]
    ) -> [Tensor] {
        customOp(name: name, inputs: inputs, outputs: outputs, isStateful: isStateful) { inputs, _ in
            try kernel(inputs)
        }
    }

    /// An op running `kernel`, which also receives the ``KernelContext`` (to check
    /// ``KernelContext/isCancelled`` in long loops, or reach the session state).
    ///
    ///     let outs = g.customOp(name: "slow", inputs: [x], outputs: [(.float32, .unknown)]) { inputs, ctx in
    ///         for _ in 0..<1000 { try ctx.checkCancellation() /* … */ }
    ///         return inputs
    ///     }
    public func customOp(
        name: String, inputs: [Tensor], outputs: [(DType, TensorShape)], isStateful: Bool = true,
        kernel: @escaping @Sendable ([NDArray], borrowing KernelContext) throws -> [NDArray]
    ) -> [Tensor] {
        let op = addOperation(
            type: "CustomOp", name: name, inputs: inputs,
            attributes: ["Tout": .ints(outputs.map { $0.0.dataTypeCode })],
            outputs: outputs, isStateful: isStateful, kernel: .custom(kernel))
        return op.outputs
    }
}

extension Graph {
    /// An op with no outputs that runs `kernel` for its effect once the ops it depends on ran (fetch it as a
    /// target). Its kernel gets the inputs and the ``KernelContext``.
    ///
    ///     let log = g.customTarget(name: "log", inputs: [loss]) { inputs, _ in print(inputs[0]) }
    ///     let step = g.withControlDependencies([train]) { g.customTarget(name: "tick") { _, _ in } }
    ///     try session.run(step)
    ///
    /// - Returns: The op.
    @discardableResult
    public func customTarget(
        name: String, inputs: [Tensor] = [], isStateful: Bool = true,
        kernel: @escaping @Sendable ([NDArray], borrowing KernelContext) throws -> Void
    ) -> Operation {
        addOperation(
            type: "CustomOp", name: name, inputs: inputs, attributes: ["Tout": .ints([])], outputs: [],
            isStateful: isStateful,
            kernel: .customEffect(kernel))
    }
}
