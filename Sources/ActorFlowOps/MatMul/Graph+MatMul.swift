import ActorFlowCore

extension Graph {
    /// The matrix product `op(a) · op(b)`, where `op` transposes when the flag is set (TensorFlow's `MatMul`).
    ///
    ///     let a = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])   // (2, 3)
    ///     let b = g.constant([[1], [0], [1]] as [[Float]])          // (3, 1)
    ///     g.matMul(a, b)                                            // [[4], [10]], shape (2, 1)
    ///     g.matMul(a, a, transposeB: true)                          // a · aᵀ, shape (2, 2)
    ///
    /// Both operands must be matrices of the same dtype: float, double, int32 or int64 (integers wrap).
    /// Mismatched inner dimensions make the op invalid when known at build time
    /// ("MatMul: inner dimensions 3 and 2 differ for a (2, 3) and b (2, 2)"), or fail the run with
    /// "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,2]".
    ///
    /// The kernel is cache-blocked with packed panels and a SIMD micro-kernel; see `MatMul+Kernel.swift`.
    public func matMul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false, name: String? = nil
    ) -> Tensor {
        let type = "MatMul"
        var error =
            OpValidation.sameDType(type, a, b, xName: "a", yName: "b") ?? OpValidation.numeric(type, a)
            ?? OpValidation.rank(type, a, 2, "a") ?? OpValidation.rank(type, b, 2, "b")
        var shape = TensorShape([nil, nil])
        if error == nil {
            let ad = a.shape.dimensions
            let bd = b.shape.dimensions
            let m = ad.flatMap { transposeA ? $0[1] : $0[0] }
            let ka = ad.flatMap { transposeA ? $0[0] : $0[1] }
            let kb = bd.flatMap { transposeB ? $0[1] : $0[0] }
            let n = bd.flatMap { transposeB ? $0[0] : $0[1] }
            if let ka, let kb, ka != kb {
                let flags = transposeA || transposeB ? " (transposeA: \(transposeA), transposeB: \(transposeB))" : ""
                error = "\(type): inner dimensions \(ka) and \(kb) differ for a \(a.shape) and b \(b.shape)\(flags)"
            }
            shape = TensorShape([m, n])
        }
        let problem = (transposeA: transposeA, transposeB: transposeB)
        return singleOutputOp(
            type: type, name: name, inputs: [a, b],
            attributes: ["T": .dtype(a.dtype), "transpose_a": .bool(transposeA), "transpose_b": .bool(transposeB)],
            dtype: a.dtype, shape: shape, error: error,
            kernel: Kernel { ctx in
                [
                    try matMulKernel(
                        ctx.input(0), ctx.input(1), problem.transposeA, problem.transposeB, loops: ctx.kernelLoops)
                ]
            })
    }
}

/// Checks the runtime shapes and multiplies.
private func matMulKernel(
    _ a: NDArray, _ b: NDArray, _ transposeA: Bool, _ transposeB: Bool, loops: KernelLoops
) throws -> NDArray {
    try kernelRequire(a.rank == 2, "In[0] is not a matrix. Instead it has shape \(a.dimensions.tfDims)")
    try kernelRequire(b.rank == 2, "In[1] is not a matrix. Instead it has shape \(b.dimensions.tfDims)")
    let m = transposeA ? a.dimensions[1] : a.dimensions[0]
    let ka = transposeA ? a.dimensions[0] : a.dimensions[1]
    let kb = transposeB ? b.dimensions[1] : b.dimensions[0]
    let n = transposeB ? b.dimensions[0] : b.dimensions[1]
    try kernelRequire(
        ka == kb,
        "Matrix size-incompatible: In[0]: \(a.dimensions.tfDims), In[1]: \(b.dimensions.tfDims)"
            + (transposeA || transposeB ? " (transpose_a: \(transposeA), transpose_b: \(transposeB))" : ""))
    try kernelRequire(!m.multipliedReportingOverflow(by: n).overflow, "MatMul output [\(m),\(n)] is too large")
    let problem = MatMulProblem(m: m, n: n, k: ka, transposeA: transposeA, transposeB: transposeB)
    switch (a.storage, b.storage) {
    case (.float32(let x), .float32(let y)):
        return NDArray(values: try MatMulKernel.multiply(x, y, problem, loops: loops), dimensions: [m, n])
    case (.float64(let x), .float64(let y)):
        return NDArray(values: try MatMulKernel.multiply(x, y, problem, loops: loops), dimensions: [m, n])
    case (.int32(let x), .int32(let y)):
        return NDArray(values: try MatMulKernel.multiply(x, y, problem, loops: loops), dimensions: [m, n])
    case (.int64(let x), .int64(let y)):
        return NDArray(values: try MatMulKernel.multiply(x, y, problem, loops: loops), dimensions: [m, n])
    default:
        throw KernelError(
            "MatMul does not support dtypes \(a.dtype) and \(b.dtype) (expected two of \(DType.numericNames))")
    }
}
