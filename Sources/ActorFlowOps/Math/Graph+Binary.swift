import ActorFlowCore

extension Graph {
    /// `x + y` element-wise, with NumPy broadcasting (TensorFlow's `Add`).
    ///
    ///     let m = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])
    ///     let v = g.constant([10, 20, 30] as [Float])
    ///     g.add(m, v)   // [[11, 22, 33], [14, 25, 36]], shape (2, 3)
    ///
    /// `x` and `y` must have the same arithmetic dtype (float, double, int32, int64): there is no implicit
    /// promotion, as in TensorFlow. Integer arithmetic wraps on overflow. Shapes that cannot broadcast make
    /// the op invalid when known at build time, or fail the run with "Incompatible shapes: [2,3] vs. [4]".
    public func add(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.add, x, y, name: name)
    }

    /// `x - y` element-wise, with broadcasting (TensorFlow's `Sub`).
    ///
    ///     g.sub(g.constant([5, 7] as [Int32]), g.constant(Int32(1)))   // [4, 6]
    public func sub(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.sub, x, y, name: name)
    }

    /// `x * y` element-wise, with broadcasting (TensorFlow's `Mul`).
    ///
    ///     g.mul(g.constant([[1], [2]] as [[Float]]), g.constant([[1, 10, 100]] as [[Float]]))
    ///     // [[1, 10, 100], [2, 20, 200]]
    public func mul(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.mul, x, y, name: name)
    }

    /// `x / y` element-wise, with broadcasting (TensorFlow's `Div`).
    ///
    /// Integer division truncates toward zero, as C and TensorFlow's `Div` do (`-7 / 2 == -3`); see
    /// ``floorDiv(_:_:name:)`` for flooring. An integer zero divisor fails the run with
    /// "Integer division by zero"; floating-point division follows IEEE (`1 / 0 == inf`).
    ///
    ///     g.div(g.constant([7, -7] as [Int32]), g.constant(Int32(2)))   // [3, -3]
    public func div(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.div, x, y, name: name)
    }

    /// `⌊x / y⌋` element-wise, with broadcasting (TensorFlow's `FloorDiv`, Python's `//`).
    ///
    ///     g.floorDiv(g.constant([7, -7] as [Int32]), g.constant(Int32(2)))   // [3, -4]
    public func floorDiv(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.floorDiv, x, y, name: name)
    }

    /// The larger of `x` and `y` element-wise, with broadcasting (TensorFlow's `Maximum`); NaN wins.
    ///
    ///     g.maximum(g.constant([1, 5] as [Float]), g.constant(Float(3)))   // [3, 5]
    public func maximum(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.maximum, x, y, name: name)
    }

    /// The smaller of `x` and `y` element-wise, with broadcasting (TensorFlow's `Minimum`); NaN wins.
    ///
    ///     g.minimum(g.constant([1, 5] as [Float]), g.constant(Float(3)))   // [1, 3]
    public func minimum(_ x: Tensor, _ y: Tensor, name: String? = nil) -> Tensor {
        binaryOp(.minimum, x, y, name: name)
    }

    private func binaryOp(_ op: BinaryOperator, _ x: Tensor, _ y: Tensor, name: String?) -> Tensor {
        let type = op.opType
        var error = OpValidation.sameDType(type, x, y) ?? OpValidation.numeric(type, x)
        var shape = TensorShape.unknown
        switch Broadcast.staticShape(x.shape, y.shape) {
        case .success(let s): shape = s
        case .failure(let clash):
            error =
                error ?? "\(type): Dimensions must be equal, but are \(clash.lhs) and \(clash.rhs) "
                + "for input shapes \(x.shape) and \(y.shape)"
        }
        return singleOutputOp(
            type: type, name: name, inputs: [x, y], attributes: ["T": .dtype(x.dtype)], dtype: x.dtype, shape: shape,
            error: error, kernel: .oneOutput { ctx in try op.apply(ctx.takeInput(0), ctx.takeInput(1), loops: ctx.kernelLoops) })
    }
}
