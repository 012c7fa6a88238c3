import ActorFlowCore

extension Graph {
    /// `values` joined along `axis` (TensorFlow's `concat`, op `ConcatV2`).
    ///
    ///     let a = g.constant([[1, 2], [3, 4]] as [[Float]])
    ///     let b = g.constant([[5], [6]] as [[Float]])
    ///     g.concat([a, b], axis: 1)    // [[1, 2, 5], [3, 4, 6]], shape (2, 3)
    ///     g.concat([a, a], axis: -2)   // shape (4, 2)
    ///
    /// Every input must have the same dtype and rank, and the same dimensions except along `axis`
    /// (negative axes count from the end). No inputs, or inputs that cannot be joined, make the op invalid
    /// when visible at build time; otherwise the run fails with TensorFlow's "ConcatOp : …" messages.
    public func concat(_ values: [Tensor], axis: Int, name: String? = nil) -> Tensor {
        let type = "ConcatV2"
        let dtype = values.first?.dtype ?? .float32
        var problem: String?
        var shape = TensorShape.unknown
        if values.isEmpty {
            problem = "\(type): needs at least one input"
        } else if let other = values.first(where: { $0.dtype != dtype }) {
            problem = "\(type): all inputs must have dtype \(dtype), but \(other.name) has \(other.dtype)"
        } else {
            (shape, problem) = ConcatRule.staticShape(values.map(\.shape), axis: axis)
            problem = problem.map { "\(type): \($0)" }
        }
        return singleOutputOp(
            type: type, name: name, inputs: values,
            attributes: ["T": .dtype(dtype), "N": .int(values.count), "axis": .int(axis)], dtype: dtype, shape: shape,
            error: problem,
            kernel: Kernel { ctx in
                let parts = ctx.inputs
                return [try parts[0].visitElements(ConcatRule(parts: parts, axis: axis, loops: ctx.kernelLoops))]
            })
    }
}

/// The concat kernel: for each index before `axis`, copies each input's contiguous chunk in turn; large outputs
/// are written in chunks over the kernel's loops (see ``ConcatLoops``).
struct ConcatRule: ElementVisitor {
    let parts: [NDArray]
    let axis: Int
    /// The kernel's loops (``KernelLoops/serial`` outside a kernel).
    var loops: KernelLoops = .serial

    /// The static output shape, or a message.
    static func staticShape(_ shapes: [TensorShape], axis: Int) -> (TensorShape, String?) {
        guard let rank = shapes.lazy.compactMap(\.rank).first else { return (.unknown, nil) }
        if let other = shapes.firstIndex(where: { $0.rank != nil && $0.rank != rank }) {
            return (
                .unknown,
                "Ranks of all input tensors should match: shape[0] = \(shapes[0]) vs. "
                    + "shape[\(other)] = \(shapes[other])"
            )
        }
        guard let a = OpValidation.normalizedAxis(axis, rank: rank) else {
            return (.unknown, "Expected concatenating dimensions in the range [\(-rank), \(rank)), but got \(axis)")
        }
        var dims = [Int?](repeating: nil, count: rank)
        var total: Int? = 0
        for (i, shape) in shapes.enumerated() {
            guard let d = shape.dimensions else {
                total = nil
                continue
            }
            for axis in 0..<rank where axis != a {
                if let known = dims[axis], let mine = d[axis], known != mine {
                    return (
                        .unknown,
                        "Dimension \(axis) in both shapes must be equal, but are \(known) and \(mine); "
                            + "shape[0] = \(shapes[0]) vs. shape[\(i)] = \(shape)"
                    )
                }
                dims[axis] = dims[axis] ?? d[axis]
            }
            // A sum past Int.max (dimensions from a fuzzer, say) is left unknown: the kernel reports it if it runs.
            total = total.flatMap { t in
                d[a].flatMap { let (sum, overflow) = t.addingReportingOverflow($0); return overflow ? nil : sum }
            }
        }
        dims[a] = total
        return (TensorShape(dims), nil)
    }

    func visit<T: NDArrayScalar>(_ first: [T]) throws -> NDArray {
        let rank = parts[0].rank
        try kernelRequire(rank > 0, "ConcatOp : Can't concatenate scalars (use tf.stack instead)")
        guard let a = OpValidation.normalizedAxis(axis, rank: rank) else {
            throw KernelError(
                "ConcatOp : Expected concatenating dimensions in the range [\(-rank), \(rank)), "
                    + "but got \(axis)")
        }
        var values: [[T]] = []
        var total = 0
        let reference = parts[0].dimensions
        for (i, part) in parts.enumerated() {
            values.append(i == 0 ? first : try part.elements(as: T.self, op: "ConcatV2"))
            let dims = part.dimensions
            let matches = dims.count == rank && dims.indices.allSatisfy { $0 == a || dims[$0] == reference[$0] }
            try kernelRequire(
                matches,
                "ConcatOp : Dimensions of inputs should match: shape[0] = \(reference.tfDims) vs. "
                    + "shape[\(i)] = \(dims.tfDims)")
            let (sum, overflow) = total.addingReportingOverflow(dims[a])
            try kernelRequire(!overflow, "ConcatOp : the output's dimension \(a) would have more than Int.max entries")
            total = sum
        }
        var outDims = reference
        outDims[a] = total
        // An empty result may still have huge dimensions (such as 2^40 × 0): walking its rows would take hours.
        guard let count = checkedElementCount(outDims) else {
            throw KernelError("ConcatOp : the output shape \(outDims.tfDims) has more elements than an Int can count")
        }
        if count == 0 { return NDArray(values: [T](), dimensions: outDims) }
        let outer = reference[..<a].reduce(1, *)
        let blocks = parts.map { $0.dimensions[a...].reduce(1, *) }
        let out = try ConcatLoops.concat(values, blocks: blocks, outer: outer, count: count, loops: loops)
        return NDArray(values: out, dimensions: outDims)
    }
}
