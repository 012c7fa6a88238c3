import ActorFlowCore

extension Graph {
    /// A sparse tensor from its components (TensorFlow's `SparseTensor`): `indices` int64 of shape
    /// `(N, rank)`, `values` of shape `(N,)`, `denseShape` int64 of shape `(rank,)`.
    ///
    ///     let sp = g.sparseTensor(
    ///         indices: g.constant([[0, 0], [1, 2]] as [[Int64]]),
    ///         values: g.constant([1, 2] as [Float]),
    ///         denseShape: g.constant([2, 3] as [Int64]))
    ///
    /// No op is added when the components fit. When their dtypes or static shapes do not, the three tensors
    /// are replaced by the outputs of one invalid `SparseTensor` op whose build error names the problem, so
    /// any run using them reports it.
    public func sparseTensor(indices: Tensor, values: Tensor, denseShape: Tensor, name: String? = nil) -> SparseTensor {
        let sp = SparseTensor(indices: indices, values: values, denseShape: denseShape)
        guard let problem = sparseComponentsProblem("SparseTensor", sp) else { return sp }
        let op = addOperation(
            type: "SparseTensor", name: name, inputs: [indices, values, denseShape],
            outputs: [(.int64, .unknown), (values.dtype, .unknown), (.int64, .unknown)], buildError: problem,
            kernel: Kernel(isExpensive: false) { _ in throw KernelError(problem) })
        return SparseTensor(indices: op.output(0), values: op.output(1), denseShape: op.output(2))
    }

    /// The dense tensor of `sp`, with `defaultValue` where `sp` has no entry (TensorFlow's `sparse_tensor_to_dense`,
    /// op `SparseToDense`).
    ///
    ///     g.sparseToDense(sp)   // [[1, 0, 0], [0, 0, 2]]
    ///
    /// `defaultValue` is converted to the values' dtype with the feed rules (an unconvertible value makes its
    /// constant invalid). An index out of bounds or repeated fails the run
    /// ("indices[1] = [2,0] is out of bounds: need 0 <= index < [2,3]"); indices need not be sorted.
    public func sparseToDense(
        _ sp: SparseTensor, defaultValue: some NDArrayConvertible = 0, name: String? = nil
    ) -> Tensor {
        let type = "SparseToDense"
        let fill = constant(defaultValue, dtype: sp.dtype, name: (name ?? type) + "/default_value")
        return singleOutputOp(
            type: type, name: name, inputs: [sp.indices, sp.denseShape, sp.values, fill],
            attributes: ["T": .dtype(sp.dtype), "validate_indices": .bool(true)], dtype: sp.dtype,
            shape: sparseDenseShape(sp), error: sparseComponentsProblem(type, sp),
            kernel: Kernel { ctx in
                let values = ctx.inputs[2]
                try kernelRequire(values.rank == 1, "values must be a vector, got \(values.dimensions.tfDims)")
                let indices = try SparseIndices(
                    indices: ctx.inputs[0], denseShape: ctx.inputs[1], valueCount: values.elementCount)
                let fill = ctx.inputs[3]
                try kernelRequire(fill.rank == 0, "default_value must be a scalar, got \(fill.dimensions.tfDims)")
                return [try values.visitElements(SparseToDenseRule(indices: indices, fill: fill))]
            })
    }
}

/// Scatters the values into a dense array initialized with the default value.
private struct SparseToDenseRule: ElementVisitor {
    let indices: SparseIndices
    let fill: NDArray

    func visit<T: NDArrayScalar>(_ values: [T]) throws -> NDArray {
        let background = try fill.elements(as: T.self, op: "SparseToDense")[0]
        var out = [T](repeating: background, count: indices.shape.checkedElementCount ?? 0)  // (checked)
        var written = [Bool](repeating: false, count: out.count)
        for entry in 0..<indices.count {
            let offset = indices.denseOffset(entry)
            if written[offset] {
                let row = (0..<indices.rank).map { indices.coordinate(entry, $0) }
                throw KernelError("indices[\(entry)] = \(row.tfDims) is repeated")
            }
            written[offset] = true
            out[offset] = values[entry]
        }
        return NDArray(values: out, dimensions: indices.shape)
    }
}
