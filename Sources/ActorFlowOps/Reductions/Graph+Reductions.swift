import ActorFlowCore

extension Graph {
    /// The sum over `axes` (TensorFlow's `reduce_sum`, op `Sum`).
    ///
    ///     let m = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])
    ///     g.reduceSum(m)                               // 21, shape ()
    ///     g.reduceSum(m, axes: [0])                    // [5, 7, 9]
    ///     g.reduceSum(m, axes: [-1], keepDims: true)   // [[6], [15]], shape (2, 1)
    ///
    /// - Parameters:
    ///   - axes: The axes to reduce; `nil` reduces all. Negative axes count from the end. An axis out of
    ///     range or repeated makes the op invalid (or fails the run when the rank is known only then).
    ///   - keepDims: Keep reduced axes with size 1.
    public func reduceSum(_ input: Tensor, axes: [Int]? = nil, keepDims: Bool = false, name: String? = nil) -> Tensor {
        reductionOp(.sum, input, axes: axes, keepDims: keepDims, name: name)
    }

    /// The mean over `axes` (TensorFlow's `reduce_mean`, op `Mean`); integer means truncate.
    ///
    ///     g.reduceMean(g.constant([[1, 2], [3, 4]] as [[Float]]), axes: [1])   // [1.5, 3.5]
    public func reduceMean(_ input: Tensor, axes: [Int]? = nil, keepDims: Bool = false, name: String? = nil) -> Tensor {
        reductionOp(.mean, input, axes: axes, keepDims: keepDims, name: name)
    }

    /// The maximum over `axes` (TensorFlow's `reduce_max`, op `Max`); −∞ (or the smallest integer) when empty.
    ///
    ///     g.reduceMax(g.constant([[1, 7], [3, 4]] as [[Int32]]), axes: [0])   // [3, 7]
    public func reduceMax(_ input: Tensor, axes: [Int]? = nil, keepDims: Bool = false, name: String? = nil) -> Tensor {
        reductionOp(.max, input, axes: axes, keepDims: keepDims, name: name)
    }

    /// The minimum over `axes` (TensorFlow's `reduce_min`, op `Min`); +∞ (or the largest integer) when empty.
    ///
    ///     g.reduceMin(g.constant([[1, 7], [3, 4]] as [[Int32]]), axes: [1])   // [1, 3]
    public func reduceMin(_ input: Tensor, axes: [Int]? = nil, keepDims: Bool = false, name: String? = nil) -> Tensor {
        reductionOp(.min, input, axes: axes, keepDims: keepDims, name: name)
    }

    /// The product over `axes` (TensorFlow's `reduce_prod`, op `Prod`); 1 when empty.
    ///
    ///     g.reduceProd(g.constant([1, 2, 3, 4] as [Int64]))   // 24
    public func reduceProd(_ input: Tensor, axes: [Int]? = nil, keepDims: Bool = false, name: String? = nil) -> Tensor {
        reductionOp(.prod, input, axes: axes, keepDims: keepDims, name: name)
    }

    private func reductionOp(
        _ op: ReductionOperator, _ input: Tensor, axes: [Int]?, keepDims: Bool, name: String?
    ) -> Tensor {
        let type = op.opType
        var problem = OpValidation.numeric(type, input)
        var shape = TensorShape.unknown
        if let dims = input.shape.dimensions {
            do {
                let reduced = try ReductionOperator.reducedAxes(axes, rank: dims.count)
                var out: [Int?] = []
                for (d, r) in zip(dims, reduced) {
                    if !r { out.append(d) } else if keepDims { out.append(1) }
                }
                shape = TensorShape(out)
            } catch {
                problem = problem ?? "\(type): \(error.message)"
            }
        } else if let axes, Set(axes).count != axes.count {
            problem = problem ?? "\(type): Invalid reduction arguments: axes \(axes) contain a duplicate"
        } else if axes == nil && !keepDims {
            shape = .scalar
        }
        var attributes: [String: AttributeValue] = ["T": .dtype(input.dtype), "keep_dims": .bool(keepDims)]
        if let axes { attributes["axes"] = .ints(axes) }
        return singleOutputOp(
            type: type, name: name, inputs: [input], attributes: attributes, dtype: input.dtype, shape: shape,
            error: problem,
            kernel: Kernel { ctx in
                [try op.apply(ctx.input(0), axes: axes, keepDims: keepDims, loops: ctx.kernelLoops)]
            })
    }
}
