import ActorFlowCore

extension Graph {
    /// `-x` element-wise (TensorFlow's `Neg`); integers wrap (`-Int32.min == Int32.min`).
    ///
    ///     g.neg(g.constant([1, -2] as [Float]))   // [-1, 2]
    public func neg(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.neg, x, name: name) }

    /// `|x|` element-wise (TensorFlow's `Abs`); integers wrap (`abs(Int32.min) == Int32.min`).
    ///
    ///     g.abs(g.constant([1, -2] as [Int32]))   // [1, 2]
    public func abs(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.abs, x, name: name) }

    /// `x * x` element-wise (TensorFlow's `Square`).
    ///
    ///     g.square(g.constant([3, -2] as [Float]))   // [9, 4]
    public func square(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.square, x, name: name) }

    /// `√x` element-wise, float or double (TensorFlow's `Sqrt`); NaN below zero.
    ///
    ///     g.sqrt(g.constant([4, 9] as [Float]))   // [2, 3]
    public func sqrt(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.sqrt, x, name: name) }

    /// `eˣ` element-wise, float or double (TensorFlow's `Exp`).
    ///
    ///     g.exp(g.constant([0, 1] as [Double]))   // [1, 2.718281828459045]
    public func exp(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.exp, x, name: name) }

    /// `ln x` element-wise, float or double (TensorFlow's `Log`); `-inf` at 0, NaN below.
    ///
    ///     g.log(g.constant([1] as [Float]))   // [0]
    public func log(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.log, x, name: name) }

    /// `max(x, 0)` element-wise (TensorFlow's `Relu`).
    ///
    ///     g.relu(g.constant([-1, 2] as [Float]))   // [0, 2]
    public func relu(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.relu, x, name: name) }

    /// `1 / (1 + e⁻ˣ)` element-wise, float or double (TensorFlow's `Sigmoid`), computed without overflow.
    ///
    ///     g.sigmoid(g.constant([0] as [Float]))   // [0.5]
    public func sigmoid(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.sigmoid, x, name: name) }

    /// `tanh x` element-wise, float or double (TensorFlow's `Tanh`).
    ///
    ///     g.tanh(g.constant([0] as [Float]))   // [0]
    public func tanh(_ x: Tensor, name: String? = nil) -> Tensor { unaryOp(.tanh, x, name: name) }

    private func unaryOp(_ op: UnaryOperator, _ x: Tensor, name: String?) -> Tensor {
        let error = op.acceptsIntegers ? OpValidation.numeric(op.opType, x) : OpValidation.floating(op.opType, x)
        return singleOutputOp(
            type: op.opType, name: name, inputs: [x], attributes: ["T": .dtype(x.dtype)], dtype: x.dtype,
            shape: x.shape, error: error, kernel: Kernel { ctx in [try op.apply(ctx.input(0), loops: ctx.kernelLoops)] })
    }
}
