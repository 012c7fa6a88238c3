import ActorFlowCore

extension Graph {
    /// The dimensions of `input` as an int32 (or `outType`) vector (TensorFlow's `Shape`).
    ///
    ///     let x = g.placeholder(.float32, shape: [nil, 3])
    ///     g.shape(x)   // fed a (5, 3) value: [5, 3]
    public func shape(_ input: Tensor, outType: DType = .int32, name: String? = nil) -> Tensor {
        let type = "Shape"
        let problem = outType.isInteger ? nil : "\(type): outType must be int32 or int64, got \(outType)"
        return singleOutputOp(
            type: type, name: name, inputs: [input], attributes: ["out_type": .dtype(outType)], dtype: outType,
            shape: TensorShape([input.shape.rank]), error: problem,
            kernel: Kernel(isExpensive: false) { ctx in
                [indexArray(ctx.inputs[0].dimensions, outType, [ctx.inputs[0].rank])]
            })
    }

    /// The number of elements of `input` as an int32 (or `outType`) scalar (TensorFlow's `Size`).
    ///
    ///     g.size(g.zeros(shape: [2, 3]))   // 6
    public func size(_ input: Tensor, outType: DType = .int32, name: String? = nil) -> Tensor {
        let type = "Size"
        let problem = outType.isInteger ? nil : "\(type): outType must be int32 or int64, got \(outType)"
        return singleOutputOp(
            type: type, name: name, inputs: [input], attributes: ["out_type": .dtype(outType)], dtype: outType,
            shape: .scalar, error: problem,
            kernel: Kernel(isExpensive: false) { ctx in [indexArray([ctx.inputs[0].elementCount], outType, [])] })
    }

    /// The rank of `input` as an int32 scalar (TensorFlow's `Rank`).
    ///
    ///     g.rank(g.zeros(shape: [2, 3]))   // 2
    public func rank(_ input: Tensor, name: String? = nil) -> Tensor {
        singleOutputOp(
            type: "Rank", name: name, inputs: [input], dtype: .int32, shape: .scalar,
            kernel: Kernel(isExpensive: false) { ctx in [indexArray([ctx.inputs[0].rank], .int32, [])] })
    }
}

/// `values` as an int32 or int64 array of `dimensions`.
private func indexArray(_ values: [Int], _ dtype: DType, _ dimensions: [Int]) -> NDArray {
    dtype == .int64
        ? NDArray(values: values.map { Int64($0) }, dimensions: dimensions)
        : NDArray(values: values.map { Int32(truncatingIfNeeded: $0) }, dimensions: dimensions)
}
