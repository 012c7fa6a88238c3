import ActorFlowCore

extension Graph {
    /// `input` with new dimensions read from `shape`, an int32 or int64 vector (TensorFlow's `Reshape`).
    ///
    /// One entry may be `-1`: it is inferred so the element count is unchanged.
    ///
    ///     let t = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])
    ///     g.reshape(t, g.constant([3, -1] as [Int32]))   // [[1, 2], [3, 4], [5, 6]], shape (3, 2)
    ///
    /// When `shape` is a constant, the output shape is inferred at build time and a mismatched element count
    /// makes the op invalid; otherwise the run fails with "Input to reshape is a tensor with 6 values, but the
    /// requested shape has 4". Constant time: the elements are shared, not copied (the output forwards the input's
    /// buffer, and so its allocation id and NUMA node on traced steps).
    public func reshape(_ input: Tensor, _ shape: Tensor, name: String? = nil) -> Tensor {
        let type = "Reshape"
        var problem = OpValidation.index(type, shape, "shape") ?? OpValidation.rank(type, shape, 1, "shape")
            ?? OpValidation.dimensionCount(type, shape, "shape")
        var outShape = TensorShape.unknown
        if problem == nil {
            if let value = staticValue(shape), let requested = try? value.indexValues("shape") {
                do {
                    outShape = try ReshapeRule.staticShape(requested, input: input.shape)
                } catch {
                    problem = "\(type): \(error.message)"
                }
            } else if let rank = shape.shape.dimensions?.first ?? nil {
                // (A negative length comes only from an op that failed to build; that op reports it.)
                outShape = TensorShape(unknownDimensions: rank)
            }
        }
        return singleOutputOp(
            type: type, name: name, inputs: [input, shape], attributes: ["T": .dtype(input.dtype)], dtype: input.dtype,
            shape: outShape, error: problem,
            kernel: Kernel(isExpensive: false) { ctx in
                let x = ctx.inputs[0]
                let requested = try ctx.inputs[1].indexValues("shape")
                try kernelRequire(
                    ctx.inputs[1].rank == 1, "shape must be a vector, got \(ctx.inputs[1].dimensions.tfDims)")
                let dims = try ReshapeRule.dimensions(requested, elementCount: x.elementCount)
                return [NDArray(forwarding: x, dimensions: dims)]
            })
    }

    /// `input` with new dimensions (one may be `-1`); the shape becomes a constant input named
    /// `"<name>/shape"`, as TensorFlow's Python `reshape` does.
    ///
    ///     g.reshape(g.constant([1, 2, 3, 4, 5, 6] as [Int32]), [2, -1])   // [[1, 2, 3], [4, 5, 6]]
    public func reshape(_ input: Tensor, _ shape: [Int], name: String? = nil) -> Tensor {
        let dims = indexConstant(shape, name: (name ?? "Reshape") + "/shape")
        return reshape(input, dims, name: name)
    }
}

/// The rules of `Reshape`, shared by shape inference and the kernel.
enum ReshapeRule {
    /// The dimensions a reshape of `elementCount` elements to `requested` produces.
    static func dimensions(_ requested: [Int], elementCount: Int) throws(KernelError) -> [Int] {
        let (known, inferred) = try split(requested)
        guard let inferred else {
            try kernelRequire(
                known == elementCount,
                "Input to reshape is a tensor with \(elementCount) values, but the requested shape has \(known)")
            return requested
        }
        try kernelRequire(
            known > 0 && elementCount % known == 0,
            known == 0
                ? "Reshape cannot infer the missing input size for an empty tensor unless all specified input sizes "
                    + "are non-zero"
                : "Input to reshape is a tensor with \(elementCount) values, but the requested shape requires a "
                    + "multiple of \(known)")
        var dims = requested
        dims[inferred] = elementCount / known
        return dims
    }

    /// The static output shape of a reshape of a tensor of static shape `input` to `requested`.
    static func staticShape(_ requested: [Int], input: TensorShape) throws(KernelError) -> TensorShape {
        let (_, inferred) = try split(requested)
        if let count = input.elementCount { return TensorShape(try dimensions(requested, elementCount: count)) }
        var dims = requested.map { Optional($0) }
        if let inferred { dims[inferred] = nil }
        return TensorShape(dims)
    }

    /// The product of the given sizes and the position of `-1`, if any.
    private static func split(_ requested: [Int]) throws(KernelError) -> (known: Int, inferred: Int?) {
        var known = 1
        var inferred: Int?
        for (i, d) in requested.enumerated() {
            if d == -1 {
                if let first = inferred {
                    throw KernelError("Only one input size may be -1, not both \(first) and \(i)")
                }
                inferred = i
            } else {
                try kernelRequire(d >= 0, "Size \(i) must be non-negative, not \(d)")
                let (product, overflow) = known.multipliedReportingOverflow(by: d)
                try kernelRequire(!overflow, "Reshape: the requested shape \(requested.tfDims) has too many elements")
                known = product
            }
        }
        return (known, inferred)
    }
}
