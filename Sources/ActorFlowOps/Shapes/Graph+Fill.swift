import ActorFlowCore

extension Graph {
    /// A tensor of dimensions `dims` (an int32 or int64 vector) with every element `value` (a scalar tensor)
    /// (TensorFlow's `Fill`).
    ///
    ///     g.fill(g.constant([2, 3] as [Int32]), value: g.constant(Float(7)))   // 2×3 sevens
    ///
    /// The output dtype is `value`'s. Negative dimensions or a non-scalar value fail the op.
    public func fill(_ dims: Tensor, value: Tensor, name: String? = nil) -> Tensor {
        let type = "Fill"
        var problem =
            OpValidation.index(type, dims, "dims") ?? OpValidation.rank(type, dims, 1, "dims")
            ?? OpValidation.dimensionCount(type, dims, "dims") ?? OpValidation.rank(type, value, 0, "value")
        var shape = TensorShape.unknown
        if problem == nil {
            if let known = staticValue(dims), let d = try? known.indexValues("dims") {
                if let negative = d.first(where: { $0 < 0 }) {
                    problem = "\(type): dimensions must be >= 0, got \(negative) in \(d)"
                } else if checkedElementCount(d) == nil {
                    problem = "\(type): dimensions \(d) have more elements than an Int can count"
                } else {
                    shape = TensorShape(d)
                }
            } else if let rank = dims.shape.dimensions?.first ?? nil {
                // (A placeholder may be declared with a negative dimension; the fuzzer found the trap it caused.)
                shape = TensorShape(unknownDimensions: rank)
            }
        }
        return singleOutputOp(
            type: type, name: name, inputs: [dims, value], attributes: ["T": .dtype(value.dtype)], dtype: value.dtype,
            shape: shape, error: problem,
            kernel: Kernel { ctx in
                let dimsValue = ctx.inputs[0]
                try kernelRequire(
                    dimsValue.rank == 1, "dims must be a vector, got shape \(dimsValue.dimensions.tfDims)")
                let d = try dimsValue.indexValues("dims")
                try kernelRequire(d.allSatisfy { $0 >= 0 }, "Fill dimensions must be >= 0, got \(d.tfDims)")
                guard let count = checkedElementCount(d) else {
                    throw KernelError("Fill dimensions \(d.tfDims) have too many elements")
                }
                let v = ctx.inputs[1]
                try kernelRequire(v.rank == 0, "value must be a scalar, got shape \(v.dimensions.tfDims)")
                if let oom = checkedAllocation(d, v.dtype) { throw KernelError(oom) }
                return [try v.visitElements(FillRule(dimensions: d, count: count, loops: ctx.kernelLoops))]
            })
    }

    /// A tensor of dimensions `dims` with every element `value`; `dims` and `value` become constants named
    /// `"<name>/dims"` and `"<name>/value"`.
    ///
    ///     g.fill([2, 2], value: Int32(1))   // [[1, 1], [1, 1]]
    public func fill<T: NDArrayScalar>(_ dims: [Int], value: T, name: String? = nil) -> Tensor {
        let base = name ?? "Fill"
        return fill(
            indexConstant(dims, name: base + "/dims"),
            value: constant(value, name: base + "/value"), name: name)
    }

    /// A tensor of `shape` filled with zeros (`false`, `""`) of `dtype` (TensorFlow's `zeros`, a `Fill`).
    ///
    ///     g.zeros(shape: [2, 3])                  // float zeros, shape (2, 3)
    ///     g.zeros(shape: [4], dtype: .int64)
    public func zeros(shape: [Int], dtype: DType = .float32, name: String? = nil) -> Tensor {
        let base = name ?? "zeros"
        return fill(
            indexConstant(shape, name: base + "/dims"),
            value: constant(dtype.zeroScalar, name: base + "/value"), name: base)
    }

    /// A tensor of `shape` filled with ones (`true`) of `dtype` (TensorFlow's `ones`, a `Fill`). A string
    /// dtype makes the op invalid.
    ///
    ///     g.ones(shape: [2], dtype: .int32)   // [1, 1]
    public func ones(shape: [Int], dtype: DType = .float32, name: String? = nil) -> Tensor {
        let base = name ?? "ones"
        let dims = indexConstant(shape, name: base + "/dims")
        guard let one = dtype.oneScalar else {
            return singleOutputOp(
                type: "Fill", name: base, inputs: [dims], dtype: dtype, shape: .unknown,
                error: "Fill: ones of dtype \(dtype) are not defined",
                kernel: Kernel(isExpensive: false) { _ in throw KernelError("ones of dtype \(dtype) are not defined") })
        }
        return fill(dims, value: constant(one, name: base + "/value"), name: base)
    }
}

/// The fill kernel: `count` copies of the one value, written in chunks over the kernel's loops when `count` is
/// large (see ``FillLoops``).
private struct FillRule: ElementVisitor {
    let dimensions: [Int]
    /// The element count of `dimensions`, checked by the kernel.
    let count: Int
    let loops: KernelLoops

    func visit<T: NDArrayScalar>(_ value: [T]) throws -> NDArray {
        NDArray(values: try FillLoops.fill(value[0], count: count, loops: loops), dimensions: dimensions)
    }
}
