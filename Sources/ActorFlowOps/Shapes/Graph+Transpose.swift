import ActorFlowCore

extension Graph {
    /// `input` with its axes permuted: output axis `i` is input axis `perm[i]` (TensorFlow's `Transpose`).
    ///
    ///     let t = g.constant([[1, 2, 3], [4, 5, 6]] as [[Int32]])
    ///     g.transpose(t)                                   // [[1, 4], [2, 5], [3, 6]]
    ///     g.transpose(g.zeros(shape: [2, 3, 4]), perm: [1, 2, 0]).shape   // (3, 4, 2)
    ///
    /// - Parameter perm: A permutation of `0..<rank`; `nil` reverses the axes. A permutation that does not
    ///   match the rank makes the op invalid, or fails the run when the rank is known only then.
    public func transpose(_ input: Tensor, perm: [Int]? = nil, name: String? = nil) -> Tensor {
        let type = "Transpose"
        var error: String?
        var shape = TensorShape.unknown
        if let perm, !TransposeRule.isPermutation(perm) {
            error = "\(type): perm \(perm) is not a permutation of 0..<\(perm.count)"
        } else if let dims = input.shape.dimensions {
            let p = perm ?? Array(dims.indices.reversed())
            if p.count != dims.count {
                error = "\(type): perm \(p) has \(p.count) entries for an input of rank \(dims.count)"
            } else {
                shape = TensorShape(p.map { dims[$0] })
            }
        } else if let perm {
            shape = TensorShape([Int?](repeating: nil, count: perm.count))
        }
        var attributes: [String: AttributeValue] = ["T": .dtype(input.dtype)]
        if let perm { attributes["perm"] = .ints(perm) }
        return singleOutputOp(
            type: type, name: name, inputs: [input], attributes: attributes, dtype: input.dtype, shape: shape,
            error: error,
            kernel: Kernel { ctx in
                let x = ctx.inputs[0]
                let p = perm ?? Array(x.dimensions.indices.reversed())
                try kernelRequire(
                    p.count == x.rank,
                    "transpose expects a vector of size \(x.rank). But input(1) is a vector of size \(p.count)")
                // The identity permutation, and any permutation of at most one element, keep the element order:
                // the input's buffer is forwarded, not copied.
                if p == Array(p.indices) || x.elementCount <= 1 {
                    return [NDArray(forwarding: x, dimensions: p.map { x.dimensions[$0] })]
                }
                return [try x.visitElements(TransposeRule(dimensions: x.dimensions, perm: p, loops: ctx.kernelLoops))]
            })
    }
}

/// The transpose kernel: walks the output in order, reading the input through permuted strides; large outputs
/// are written in chunks over the kernel's loops (see ShapeCopies+Unsafe.swift), each chunk a range of output
/// rows or tiles that only it writes.
struct TransposeRule: ElementVisitor {
    let dimensions: [Int]
    let perm: [Int]
    /// The kernel's loops (``KernelLoops/serial`` outside a kernel).
    var loops: KernelLoops = .serial

    static func isPermutation(_ perm: [Int]) -> Bool {
        Set(perm) == Set(0..<perm.count) && perm.count == Set(perm).count
    }

    func visit<T: NDArrayScalar>(_ x: [T]) throws -> NDArray {
        let outDims = perm.map { dimensions[$0] }
        // (The kernel forwards the identity and one-element cases before visiting, so `x` has two elements or more
        // and no dimension is 0.)
        var inStrides = [Int](repeating: 1, count: dimensions.count)
        for axis in dimensions.indices.dropLast().reversed() {
            inStrides[axis] = inStrides[axis + 1] * dimensions[axis + 1]
        }
        // For each output axis, the input stride it moves along.
        let strides = perm.map { inStrides[$0] }
        let last = outDims.count - 1
        if let q = perm.firstIndex(of: dimensions.count - 1), q != last, outDims[q] > 1 {
            return NDArray(values: try tiled(x, outDims, strides, q), dimensions: outDims)
        }
        return NDArray(values: try rows(x, outDims, strides), dimensions: outDims)
    }
}
