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
                [try indexArray(ctx.inputs[0].dimensions, outType, [ctx.inputs[0].rank])]
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
            kernel: Kernel(isExpensive: false) { ctx in [try indexArray([ctx.inputs[0].elementCount], outType, [])] })
    }

    /// The rank of `input` as an int32 scalar (TensorFlow's `Rank`).
    ///
    ///     g.rank(g.zeros(shape: [2, 3]))   // 2
    public func rank(_ input: Tensor, name: String? = nil) -> Tensor {
        singleOutputOp(
            type: "Rank", name: name, inputs: [input], dtype: .int32, shape: .scalar,
            kernel: Kernel(isExpensive: false) { ctx in [try indexArray([ctx.inputs[0].rank], .int32, [])] })
    }
}

/// `values` as an int32 or int64 array of `dimensions`.
///
/// - Throws: ``KernelError`` when a value does not fit int32 (TensorFlow: "Shape output type is 32-bit but
///   dim 0 is 3000000000").
private func indexArray(_ values: [Int], _ dtype: DType, _ dimensions: [Int]) throws(KernelError) -> NDArray {
    if dtype == .int64 { return NDArray(values: values.map { Int64($0) }, dimensions: dimensions) }
    var out: [Int32] = []
    out.reserveCapacity(values.count)
    for (i, v) in values.enumerated() {
        guard let narrow = Int32(exactly: v) else {
            throw KernelError("Output type is 32-bit but value \(i) is \(v); use outType: .int64")
        }
        out.append(narrow)
    }
    return NDArray(values: out, dimensions: dimensions)
}
