/// A Swift value that can become an ``NDArray``: scalars, nested arrays of scalars, and `NDArray` itself.
///
/// Feeds accept any `NDArrayConvertible`; the session converts the value to the fed tensor's dtype with
/// TensorFlow's rules (see ``NDArray/converted(to:)``).
///
///     let a = try [[1, 2], [3, 4]].makeNDArray()   // int64 (Swift Int), shape (2, 2)
///     let b = try ([] as [Float]).makeNDArray()     // float32, shape (0,)
public protocol NDArrayConvertible: FeedValueConvertible {
    /// The dtype of an empty array of this type (`[] as [Float]` is a `.float32` array of shape `(0,)`).
    static var defaultDType: DType { get }
    /// The value as an array of its natural dtype.
    func makeNDArray() throws(SessionError) -> NDArray
}

extension NDArrayConvertible {
    public var feedValue: FeedValue { .convertible(self) }
}

extension NDArray: NDArrayConvertible {
    /// An `NDArray` has its own dtype; this is only used for empty nested arrays of `NDArray`.
    public static var defaultDType: DType { .float32 }
    public func makeNDArray() throws(SessionError) -> NDArray { self }
}

extension Array: FeedValueConvertible where Element: NDArrayConvertible {}

extension Array: NDArrayConvertible where Element: NDArrayConvertible {
    public static var defaultDType: DType { Element.defaultDType }

    public func makeNDArray() throws(SessionError) -> NDArray {
        // Rank-1 arrays of scalars: no per-element work.
        if let storage = Self.directStorage(self) {
            return NDArray(unchecked: storage, dimensions: [count])
        }
        guard let first = first else {
            return NDArray(unchecked: NDArray.emptyStorage(Element.defaultDType), dimensions: [0])
        }
        let head = try first.makeNDArray()
        var parts: [NDArray] = [head]
        parts.reserveCapacity(count)
        for (index, element) in dropFirst().enumerated() {
            let part = try element.makeNDArray()
            guard part.dimensions == head.dimensions, part.dtype == head.dtype else {
                throw .invalidValue(
                    reason: "ragged nested array: element \(index + 1) has shape \(part.dimensions.shapeDescription) "
                        + "and dtype \(part.dtype), element 0 has shape \(head.dimensions.shapeDescription) "
                        + "and dtype \(head.dtype)"
                )
            }
            parts.append(part)
        }
        return NDArray(unchecked: NDArray.concatenatedStorage(parts), dimensions: [count] + head.dimensions)
    }

    private static func directStorage(_ array: Self) -> NDArray.Storage? {
        // An empty array casts to `[T]` for every `T`; let `Element.defaultDType` decide its dtype instead.
        guard !array.isEmpty else { return nil }
        return switch array {
        case let v as [Float]: .float32(v)
        case let v as [Double]: .float64(v)
        case let v as [Int32]: .int32(v)
        case let v as [Int64]: .int64(v)
        case let v as [Int]: .int64(v.map { Int64($0) })
        case let v as [Bool]: .bool(v)
        case let v as [String]: .string(v)
        default: nil
        }
    }
}

extension NDArray {
    /// Storage with no elements of `dtype`.
    package static func emptyStorage(_ dtype: DType) -> Storage {
        switch dtype {
        case .float32: .float32([])
        case .float64: .float64([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .bool: .bool([])
        case .string: .string([])
        }
    }

    /// The storages of `parts` (all of one dtype) joined in order.
    package static func concatenatedStorage(_ parts: [NDArray]) -> Storage {
        guard let first = parts.first else { return .float32([]) }
        func join<T>(_ extract: (Storage) -> [T]?) -> [T] {
            var out: [T] = []
            out.reserveCapacity(parts.reduce(0) { $0 + $1.elementCount })
            for p in parts { out.append(contentsOf: extract(p.storage)!) }
            return out
        }
        switch first.dtype {
        case .float32: return .float32(join(Float.extract))
        case .float64: return .float64(join(Double.extract))
        case .int32: return .int32(join(Int32.extract))
        case .int64: return .int64(join(Int64.extract))
        case .bool: return .bool(join(Bool.extract))
        case .string: return .string(join(String.extract))
        }
    }
}
