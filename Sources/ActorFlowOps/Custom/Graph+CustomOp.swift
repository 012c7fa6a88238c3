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
        let declared = outputs.map { CustomOutput(dtype: $0.0, shape: $0.1) }
        let op = addOperation(
            type: "CustomOp", name: name, inputs: inputs,
            attributes: ["Tout": .ints(outputs.map { $0.0.dataTypeCode })],
            outputs: outputs, isStateful: isStateful,
            kernel: Kernel { ctx in
                let results = try kernel(ctx.inputs, ctx)
                let opName = ctx.op.name
                try kernelRequire(
                    results.count == declared.count,
                    "customOp '\(opName)' declared \(declared.count) outputs, the kernel returned \(results.count)")
                for (i, (result, expected)) in zip(results, declared).enumerated() {
                    try kernelRequire(
                        result.dtype == expected.dtype,
                        "customOp '\(opName)' output \(i): expected dtype \(expected.dtype), the kernel returned "
                            + "\(result.dtype)")
                    try kernelRequire(
                        expected.shape.isCompatible(with: result.dimensions),
                        "customOp '\(opName)' output \(i): expected shape \(expected.shape), the kernel returned "
                            + result.dimensions.shapeDescription)
                }
                return results
            })
        return op.outputs
    }
}

private struct CustomOutput: Sendable {
    let dtype: DType
    let shape: TensorShape
}
