import ActorFlowCore

extension Graph {
    /// The softmax over the last axis: `exp(x - max) / Σ exp(x - max)` per row, float or double
    /// (TensorFlow's `Softmax`). Subtracting the row maximum keeps large logits finite.
    ///
    ///     let p = g.softmax(g.constant([[1, 2, 3], [1000, 1000, 1000]] as [[Float]]))
    ///     // [[0.09003057, 0.24472848, 0.66524094], [0.33333334, 0.33333334, 0.33333334]]
    ///
    /// A scalar input makes the op invalid (or fails the run with "logits must have >= 1 dimension, got []").
    public func softmax(_ logits: Tensor, name: String? = nil) -> Tensor {
        let type = "Softmax"
        var error = OpValidation.floating(type, logits)
        if error == nil, logits.shape.rank == 0 { error = "\(type): logits must have >= 1 dimension, got shape ()" }
        return singleOutputOp(
            type: type, name: name, inputs: [logits], attributes: ["T": .dtype(logits.dtype)], dtype: logits.dtype,
            shape: logits.shape, error: error,
            kernel: Kernel { ctx in
                let x = ctx.inputs[0]
                try kernelRequire(x.rank >= 1, "logits must have >= 1 dimension, got \(x.dimensions.tfDims)")
                let visitor = SoftmaxVisitor(dimensions: x.dimensions, loops: ctx.kernelLoops)
                return [try x.visitFloating(visitor, op: type)]
            })
    }
}

/// The softmax kernel: each row (the last axis) on its own, rows split into chunks over the kernel's loops when
/// the input is large. A row's maximum and sum stay inside one chunk, so the bits do not depend on the split.
private struct SoftmaxVisitor: FloatingVisitor {
    let dimensions: [Int]
    let loops: KernelLoops

    func visit<T: FloatingScalar>(_ x: [T]) throws -> NDArray {
        let width = dimensions.last ?? 1
        guard width > 0, !x.isEmpty else { return NDArray(values: x, dimensions: dimensions) }
        return NDArray(values: try SoftmaxRows.softmax(x, width: width, loops: loops), dimensions: dimensions)
    }
}
