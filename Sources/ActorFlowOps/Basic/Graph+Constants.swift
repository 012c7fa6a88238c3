import ActorFlowCore

extension Graph {
    /// A constant tensor holding `value` (a Swift scalar, a nested array, or an ``NDArray``).
    ///
    ///     let a = g.constant([10, 20] as [Int32])      // int32, shape (2,)
    ///     let b = g.constant(Float(2), name: "b")      // float32 scalar named "b"
    ///
    /// A ragged nested array makes the op invalid; runs that need it throw
    /// ``SessionError/invalidGraph(op:reason:)``.
    public func constant(_ value: some NDArrayConvertible, name: String? = nil) -> Tensor {
        do {
            return constantOp(try value.makeNDArray(), name: name)
        } catch {
            return singleOutputOp(
                type: "Const", name: name, inputs: [], dtype: type(of: value).defaultDType, shape: .unknown,
                error: error.description, kernel: Kernel(isExpensive: false) { _ in throw error })
        }
    }

    /// A constant of `dtype` holding `value` converted with the feed rules (``NDArray/converted(to:)``).
    ///
    ///     let half = g.constant(0.5, dtype: .float32)
    public func constant(_ value: some NDArrayConvertible, dtype: DType, name: String? = nil) -> Tensor {
        do {
            return constantOp(try value.makeNDArray().converted(to: dtype), name: name)
        } catch {
            return singleOutputOp(
                type: "Const", name: name, inputs: [], dtype: dtype, shape: .unknown, error: error.description,
                kernel: Kernel(isExpensive: false) { _ in throw error })
        }
    }

    private func constantOp(_ value: NDArray, name: String?) -> Tensor {
        singleOutputOp(
            type: "Const", name: name, inputs: [], attributes: ["value": .tensor(value), "dtype": .dtype(value.dtype)],
            dtype: value.dtype, shape: value.shape, kernel: Kernel(isExpensive: false) { _ in [value] })
    }

    /// A tensor that must be fed: runs that need it and do not feed it throw
    /// ``SessionError/missingFeed(placeholder:dtype:shape:)``.
    ///
    ///     let x = g.placeholder(.float32, shape: [nil, 2], name: "x")   // a batch of 2-vectors
    ///     let u = g.placeholder(.float32, name: "u")                     // any shape
    public func placeholder(_ dtype: DType, shape: TensorShape = .unknown, name: String? = nil) -> Tensor {
        singleOutputOp(
            type: "Placeholder", name: name, inputs: [], attributes: ["dtype": .dtype(dtype), "shape": .shape(shape)],
            dtype: dtype, shape: shape,
            kernel: Kernel(isExpensive: false) { ctx in
                throw SessionError.missingFeed(placeholder: ctx.op.name, dtype: dtype, shape: shape)
            })
    }

    /// A placeholder that yields `input` when it is not fed.
    ///
    ///     let lr = g.placeholderWithDefault(g.constant(Float(0.1)), shape: [])
    public func placeholderWithDefault(_ input: Tensor, shape: TensorShape, name: String? = nil) -> Tensor {
        let error = shape.isCompatible(with: input.shape)
            ? nil : "default value of shape \(input.shape) is incompatible with shape \(shape)"
        return singleOutputOp(
            type: "PlaceholderWithDefault", name: name, inputs: [input],
            attributes: ["dtype": .dtype(input.dtype), "shape": .shape(shape)], dtype: input.dtype, shape: shape,
            error: error, kernel: Kernel(isExpensive: false) { ctx in [ctx.inputs[0]] })
    }
}
