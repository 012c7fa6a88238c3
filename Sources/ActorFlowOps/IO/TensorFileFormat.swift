import ActorFlowCore

/// How ``Graph/readFile(_:format:name:)`` turns a file's bytes into a tensor.
///
///     g.readFile("/data/x.npy", format: .npy(.float32))                  // shape from the header
///     g.readFile("/data/x.npy", format: .npy(.float32, shape: [nil, 3])) // shape declared too: checked at run time
///     g.readFile("/data/x.f32", format: .raw(.float32, [nil, 3]))        // the leading dimension is inferred
///
/// Every tensor of a graph has a dtype when the graph is built, so both formats name one (as TensorFlow's
/// `decode_raw` and `parse_tensor` take `out_type`).
/// - ``npy(_:shape:)``: a NumPy `.npy` file (see ``NumPyFile``) holding `dtype` elements; the output's shape is
///   `shape` (unknown by default) and the header's shape must be compatible with it.
/// - ``raw(_:_:)``: the elements alone, little-endian, row-major. The byte count must be the shape's element
///   count times the dtype's size; one unknown dimension (`nil`) is inferred from the byte count. Strings have
///   no raw layout.
public struct TensorFileFormat: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String, Hashable, Sendable { case npy, raw }

    private let kind: Kind
    /// The dtype the file holds: the op's output dtype.
    public let dtype: DType
    /// The shape the file's array must be compatible with: the op's output shape.
    public let shape: TensorShape

    /// A `.npy` file holding `dtype` elements in a shape compatible with `shape` (any, by default): the op's
    /// output has that dtype and shape when the graph is built, and a file that disagrees fails the run with a
    /// ``TensorFileError`` (``TensorFileError/Code/dtypeMismatch`` or ``TensorFileError/Code/shapeMismatch``).
    public static func npy(_ dtype: DType, shape: TensorShape = .unknown) -> TensorFileFormat {
        TensorFileFormat(kind: .npy, dtype: dtype, shape: shape)
    }

    /// A file of bare little-endian `dtype` elements making an array of `shape`, in which at most one dimension
    /// may be unknown (it is inferred from the file's size).
    public static func raw(_ dtype: DType, _ shape: TensorShape) -> TensorFileFormat {
        TensorFileFormat(kind: .raw, dtype: dtype, shape: shape)
    }

    /// Whether the format is `.npy` (rather than raw).
    var isNumPy: Bool { kind == .npy }

    /// `npy(float, <unknown>)`, `raw(float, (?, 3))`.
    public var description: String { "\(kind)(\(dtype), \(shape))" }

    /// Why a graph cannot use this format, or nil: a raw format needs a non-string dtype and a known rank with at
    /// most one unknown dimension.
    var buildProblem: String? {
        guard kind == .raw else {
            return dtype == .string ? "readFile reads no string .npy files" : nil
        }
        if dtype == .string { return "a raw file cannot hold string elements" }
        guard let dimensions = shape.dimensions else {
            return "a raw file's shape needs a known rank (use [nil] for a vector of any length)"
        }
        if dimensions.filter({ $0 == nil }).count > 1 {
            return "a raw file's shape \(shape) has more than one unknown dimension; only one can be inferred"
        }
        if dimensions.contains(where: { ($0 ?? 0) < 0 }) { return "a raw file's shape \(shape) has a negative dimension" }
        guard let known = dimensions.compactMap({ $0 }).checkedElementCount,
            !known.multipliedReportingOverflow(by: dtype.byteSize).overflow
        else { return "a raw file's shape \(shape) has too many elements" }
        return nil
    }

    /// The tensor in `bytes`, the contents of the file at `path` (named in errors).
    ///
    ///     let t = try TensorFileFormat.raw(.int32, [nil, 2]).decode([1, 0, 0, 0, 2, 0, 0, 0], path: "p.i32")
    ///     print(t)   // [[1, 2]]
    ///
    /// - Throws: ``TensorFileError`` when the bytes are not such a tensor.
    public func decode(_ bytes: [UInt8], path: String) throws(TensorFileError) -> NDArray {
        if let problem = buildProblem { throw TensorFileError(.unsupportedDType, path: path, "cannot read '\(path)': \(problem)") }
        switch kind {
        case .npy:
            let array = try NumPyFile.decode(bytes, path: path)
            if array.dtype != dtype {
                throw TensorFileError(
                    .dtypeMismatch, path: path, "'\(path)' holds \(array.dtype) elements, but readFile declared \(dtype)")
            }
            guard shape.isCompatible(with: array.dimensions) else {
                throw TensorFileError(
                    .shapeMismatch, path: path,
                    "'\(path)' holds an array of shape \(array.dimensions.shapeDescription), but readFile declared \(shape)")
            }
            return array
        case .raw:
            return try decodeRaw(bytes, path: path)
        }
    }

    private func decodeRaw(_ bytes: [UInt8], path: String) throws(TensorFileError) -> NDArray {
        // `buildProblem` guaranteed a numeric or bool dtype and a known rank with at most one unknown dimension.
        let declared = shape.dimensions ?? []
        let known = declared.reduce(1) { $0 * ($1 ?? 1) }
        let elementBytes = known * dtype.byteSize
        var dimensions = declared.map { $0 ?? 0 }
        if let unknown = declared.firstIndex(of: nil) {
            guard elementBytes > 0 ? bytes.count % elementBytes == 0 : bytes.isEmpty else {
                throw TensorFileError(
                    .sizeMismatch, path: path,
                    "'\(path)' holds \(bytes.count) bytes, not a multiple of the \(elementBytes) bytes of one "
                        + "\(dtype) slice of shape \(shape)")
            }
            dimensions[unknown] = elementBytes > 0 ? bytes.count / elementBytes : 0
        } else if bytes.count != elementBytes {
            throw TensorFileError(
                .sizeMismatch, path: path,
                "'\(path)' holds \(bytes.count) bytes, but shape \(shape) of \(dtype) needs \(elementBytes)")
        }
        let count = dimensions.reduce(1, *)
        let storage = LittleEndianElements.storage(dtype, from: bytes, offset: 0, count: count)
        return NDArray(unchecked: storage, dimensions: dimensions)
    }
}
