import ActorFlowCore

extension Graph {
    /// The sum of `sp`'s entries over `axes` as a dense tensor (TensorFlow's `sparse_reduce_sum`, op
    /// `SparseReduceSum`); `nil` sums everything to a scalar.
    ///
    ///     g.sparseReduceSum(sp)                // 3
    ///     g.sparseReduceSum(sp, axes: [1])     // [1, 2]
    ///
    /// Repeated indices add up. An index out of bounds or an axis out of range fails the run.
    public func sparseReduceSum(
        _ sp: SparseTensor, axes: [Int]? = nil, keepDims: Bool = false, name: String? = nil
    ) -> Tensor {
        let type = "SparseReduceSum"
        var problem = sparseComponentsProblem(type, sp) ?? OpValidation.numeric(type, sp.values)
        var shape = TensorShape.unknown
        if problem == nil, let dims = sparseDenseShape(sp).dimensions {
            do {
                let reduced = try ReductionOperator.reducedAxes(axes, rank: dims.count)
                shape = TensorShape(zip(dims, reduced).compactMap { d, r in r ? (keepDims ? 1 : nil) : d })
            } catch {
                problem = "\(type): \(error.message)"
            }
        } else if axes == nil && !keepDims {
            shape = .scalar
        }
        var attributes: [String: AttributeValue] = ["T": .dtype(sp.dtype), "keep_dims": .bool(keepDims)]
        if let axes { attributes["reduction_axes"] = .ints(axes) }
        return singleOutputOp(
            type: type, name: name, inputs: [sp.indices, sp.values, sp.denseShape], attributes: attributes,
            dtype: sp.dtype, shape: shape, error: problem,
            kernel: Kernel { ctx in
                let values = ctx.inputs[1]
                let indices = try SparseIndices(
                    indices: ctx.inputs[0], denseShape: ctx.inputs[2], valueCount: values.elementCount)
                let reduced = try ReductionOperator.reducedAxes(axes, rank: indices.rank)
                return [
                    try values.visitNumeric(
                        SparseSumRule(indices: indices, reduced: reduced, keepDims: keepDims), op: type)
                ]
            })
    }

    /// The product of sparse `sp` (a matrix) and dense `dense` (TensorFlow's `sparse_tensor_dense_matmul`,
    /// op `SparseTensorDenseMatMul`); `adjointA`/`adjointB` transpose the operands first.
    ///
    ///     g.sparseTensorDenseMatMul(sp, g.constant([[1], [1], [1]] as [[Float]]))   // [[1], [2]]
    ///
    /// Repeated indices add up. An index out of bounds fails the run
    /// ("indices[1] = [1,3] is out of bounds: need 0 <= index < [2,3]"), as do mismatched inner dimensions.
    public func sparseTensorDenseMatMul(
        _ sp: SparseTensor, _ dense: Tensor, adjointA: Bool = false, adjointB: Bool = false, name: String? = nil
    ) -> Tensor {
        let type = "SparseTensorDenseMatMul"
        var problem =
            sparseComponentsProblem(type, sp) ?? OpValidation.numeric(type, sp.values)
            ?? OpValidation.sameDType(type, sp.values, dense, xName: "a_values", yName: "b")
            ?? OpValidation.rank(type, dense, 2, "b")
        let aShape = sparseDenseShape(sp)
        if problem == nil, let r = aShape.rank, r != 2 {
            problem = "\(type): the sparse operand must be a matrix, has rank \(r)"
        }
        let aDims = aShape.dimensions ?? [nil, nil]
        let bDims = dense.shape.dimensions ?? [nil, nil]
        if problem == nil, aDims.count == 2, bDims.count == 2,
            let ka = adjointA ? aDims[0] : aDims[1], let kb = adjointB ? bDims[1] : bDims[0], ka != kb
        {
            problem = "\(type): inner dimensions \(ka) and \(kb) differ for a \(aShape) and b \(dense.shape)"
        }
        let shape =
            problem == nil ? TensorShape([adjointA ? aDims[1] : aDims[0], adjointB ? bDims[0] : bDims[1]]) : .unknown
        return singleOutputOp(
            type: type, name: name, inputs: [sp.indices, sp.values, sp.denseShape, dense],
            attributes: ["T": .dtype(sp.dtype), "adjoint_a": .bool(adjointA), "adjoint_b": .bool(adjointB)],
            dtype: sp.dtype, shape: shape, error: problem,
            kernel: Kernel { ctx in
                let values = ctx.inputs[1]
                let indices = try SparseIndices(
                    indices: ctx.inputs[0], denseShape: ctx.inputs[2], valueCount: values.elementCount)
                try kernelRequire(indices.rank == 2, "Tensor 'a_shape' is not a vector of length 2")
                let rule = SparseDenseMatMulRule(
                    indices: indices, dense: ctx.inputs[3], adjointA: adjointA, adjointB: adjointB)
                return [try values.visitNumeric(rule, op: type)]
            })
    }
}

/// Adds each entry into its output slot.
private struct SparseSumRule: NumericVisitor {
    let indices: SparseIndices
    let reduced: [Bool]
    let keepDims: Bool

    func visit<T: NumericScalar>(_ values: [T]) throws -> NDArray {
        let kept = indices.shape.indices.filter { !reduced[$0] }
        let outDims = indices.shape.indices.compactMap { reduced[$0] ? (keepDims ? 1 : nil) : indices.shape[$0] }
        var out = [T](repeating: .zero, count: kept.reduce(1) { $0 * indices.shape[$1] })
        for entry in 0..<indices.count {
            var offset = 0
            for axis in kept { offset = offset * indices.shape[axis] + indices.coordinate(entry, axis) }
            out[offset] = T.add(out[offset], values[entry])
        }
        return NDArray(values: out, dimensions: outDims)
    }
}

/// `op(A) · op(B)` with A sparse: each entry adds a scaled row of op(B) to a row of the output.
private struct SparseDenseMatMulRule: NumericVisitor {
    let indices: SparseIndices
    let dense: NDArray
    let adjointA: Bool
    let adjointB: Bool

    func visit<T: NumericScalar>(_ values: [T]) throws -> NDArray {
        let b = try dense.elements(as: T.self, op: "SparseTensorDenseMatMul")
        try kernelRequire(dense.rank == 2, "Tensor 'b' is not a matrix, has shape \(dense.dimensions.tfDims)")
        let (rows, inner) = adjointA ? (indices.shape[1], indices.shape[0]) : (indices.shape[0], indices.shape[1])
        let (bRows, columns) =
            adjointB ? (dense.dimensions[1], dense.dimensions[0]) : (dense.dimensions[0], dense.dimensions[1])
        try kernelRequire(
            inner == bRows,
            "Cannot multiply A and B because inner dimension does not match: \(inner) vs. \(bRows).")
        var out = [T](repeating: .zero, count: rows * columns)
        for entry in 0..<indices.count {
            let i = indices.coordinate(entry, adjointA ? 1 : 0)
            let k = indices.coordinate(entry, adjointA ? 0 : 1)
            let v = values[entry]
            for j in 0..<columns {
                let bValue = adjointB ? b[j * dense.dimensions[1] + k] : b[k * columns + j]
                out[i * columns + j] = T.add(out[i * columns + j], T.multiply(v, bValue))
            }
        }
        return NDArray(values: out, dimensions: [rows, columns])
    }
}
