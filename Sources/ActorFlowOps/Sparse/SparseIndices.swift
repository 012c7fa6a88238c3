import ActorFlowCore

/// The validated coordinates of a sparse tensor's entries, shared by the sparse kernels.
struct SparseIndices {
    /// The dense dimensions.
    let shape: [Int]
    /// Entry `i`'s coordinates are `coordinates[i * rank ..< (i + 1) * rank]`.
    let coordinates: [Int64]
    /// The number of entries.
    let count: Int

    var rank: Int { shape.count }

    /// Reads and checks `indices` (int64, N×rank) against `denseShape` (int64, rank) and the value count.
    ///
    /// - Throws: ``KernelError`` for malformed components or an index out of bounds
    ///   ("indices[1] = [2,0] is out of bounds: need 0 <= index < [2,3]").
    init(indices: NDArray, denseShape: NDArray, valueCount: Int?) throws(KernelError) {
        try kernelRequire(
            indices.dtype == .int64 && indices.rank == 2,
            "indices must be an int64 matrix, got \(indices.dtype) of shape \(indices.dimensions.tfDims)")
        try kernelRequire(
            denseShape.dtype == .int64 && denseShape.rank == 1,
            "dense_shape must be an int64 vector, got \(denseShape.dtype) of shape \(denseShape.dimensions.tfDims)")
        let shape = try denseShape.indexValues("dense_shape")
        try kernelRequire(shape.allSatisfy { $0 >= 0 }, "dense_shape \(shape.tfDims) has a negative dimension")
        try kernelRequire(checkedElementCount(shape) != nil, "dense_shape \(shape.tfDims) has too many elements")
        try kernelRequire(
            indices.dimensions[1] == shape.count,
            "indices have \(indices.dimensions[1]) columns but dense_shape \(shape.tfDims) has rank \(shape.count)")
        let count = indices.dimensions[0]
        if let valueCount {
            try kernelRequire(
                valueCount == count, "values has \(valueCount) elements but indices has \(count) rows")
        }
        guard case .int64(let coordinates) = indices.storage else { throw KernelError("indices must be int64") }
        for entry in 0..<count {
            for axis in 0..<shape.count {
                let c = coordinates[entry * shape.count + axis]
                if c < 0 || c >= Int64(shape[axis]) {
                    let row = coordinates[(entry * shape.count)..<((entry + 1) * shape.count)].map { Int($0) }
                    throw KernelError(
                        "indices[\(entry)] = \(row.tfDims) is out of bounds: need 0 <= index < \(shape.tfDims)")
                }
            }
        }
        self.shape = shape
        self.coordinates = coordinates
        self.count = count
    }

    /// The row-major offset of entry `i` in the dense tensor.
    func denseOffset(_ entry: Int) -> Int {
        var offset = 0
        for axis in 0..<rank { offset = offset * shape[axis] + Int(coordinates[entry * rank + axis]) }
        return offset
    }

    /// Coordinate `axis` of entry `i`.
    func coordinate(_ entry: Int, _ axis: Int) -> Int { Int(coordinates[entry * rank + axis]) }
}

/// Build-time checks of a sparse tensor's components; `nil` when they fit as far as the static shapes show.
func sparseComponentsProblem(_ type: String, _ sp: SparseTensor) -> String? {
    if sp.indices.dtype != .int64 { return "\(type): indices must be int64, got \(sp.indices.dtype)" }
    if sp.denseShape.dtype != .int64 { return "\(type): dense_shape must be int64, got \(sp.denseShape.dtype)" }
    if let p = OpValidation.rank(type, sp.indices, 2, "indices") ?? OpValidation.rank(type, sp.values, 1, "values")
        ?? OpValidation.rank(type, sp.denseShape, 1, "dense_shape")
    {
        return p
    }
    if let n = sp.indices.shape.dimensions?[0], let m = sp.values.shape.dimensions?[0], n != m {
        return "\(type): indices has \(n) rows but values has \(m) elements"
    }
    if let r = sp.indices.shape.dimensions?[1], let s = sp.denseShape.shape.dimensions?[0], r != s {
        return "\(type): indices has \(r) columns but dense_shape has \(s) entries"
    }
    return nil
}

/// The static dense shape of a sparse tensor: known when `dense_shape` is a constant, else its rank.
func sparseDenseShape(_ sp: SparseTensor) -> TensorShape {
    if let value = staticValue(sp.denseShape), let dims = try? value.indexValues("dense_shape") {
        return TensorShape(dims)
    }
    if let rank = sp.denseShape.shape.dimensions?[0] { return TensorShape(unknownDimensions: rank) }
    return .unknown
}
