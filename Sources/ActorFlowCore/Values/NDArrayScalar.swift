/// A Swift type that is the element type of an ``NDArray`` dtype.
///
/// `Float` ↔ `.float32`, `Double` ↔ `.float64`, `Int32` ↔ `.int32`, `Int64` and `Int` ↔ `.int64`,
/// `Bool` ↔ `.bool`, `String` ↔ `.string`.
public protocol NDArrayScalar: NDArrayConvertible, Sendable, Equatable {
    /// The dtype an array of this type has.
    static var dtype: DType { get }
    /// Wraps scalars as storage.
    static func makeStorage(_ scalars: [Self]) -> NDArray.Storage
    /// The scalars of `storage` when it holds this type.
    static func extract(from storage: NDArray.Storage) -> [Self]?
}

extension NDArrayScalar {
    public static var defaultDType: DType { dtype }
    public func makeNDArray() throws(SessionError) -> NDArray { NDArray(self) }
}

extension Float: NDArrayScalar {
    public static var dtype: DType { .float32 }
    public static func makeStorage(_ scalars: [Float]) -> NDArray.Storage { .float32(scalars) }
    public static func extract(from storage: NDArray.Storage) -> [Float]? {
        if case .float32(let v) = storage { return v }
        return nil
    }
}

extension Double: NDArrayScalar {
    public static var dtype: DType { .float64 }
    public static func makeStorage(_ scalars: [Double]) -> NDArray.Storage { .float64(scalars) }
    public static func extract(from storage: NDArray.Storage) -> [Double]? {
        if case .float64(let v) = storage { return v }
        return nil
    }
}

extension Int32: NDArrayScalar {
    public static var dtype: DType { .int32 }
    public static func makeStorage(_ scalars: [Int32]) -> NDArray.Storage { .int32(scalars) }
    public static func extract(from storage: NDArray.Storage) -> [Int32]? {
        if case .int32(let v) = storage { return v }
        return nil
    }
}

extension Int64: NDArrayScalar {
    public static var dtype: DType { .int64 }
    public static func makeStorage(_ scalars: [Int64]) -> NDArray.Storage { .int64(scalars) }
    public static func extract(from storage: NDArray.Storage) -> [Int64]? {
        if case .int64(let v) = storage { return v }
        return nil
    }
}

extension Int: NDArrayScalar {
    /// Swift `Int` values become `.int64` arrays (TensorFlow converts Python ints to int64 too).
    public static var dtype: DType { .int64 }
    public static func makeStorage(_ scalars: [Int]) -> NDArray.Storage { .int64(scalars.map { Int64($0) }) }
    /// Reads `.int64` and `.int32` arrays.
    public static func extract(from storage: NDArray.Storage) -> [Int]? {
        switch storage {
        case .int64(let v): v.map { Int($0) }
        case .int32(let v): v.map { Int($0) }
        default: nil
        }
    }
}

extension Bool: NDArrayScalar {
    public static var dtype: DType { .bool }
    public static func makeStorage(_ scalars: [Bool]) -> NDArray.Storage { .bool(scalars) }
    public static func extract(from storage: NDArray.Storage) -> [Bool]? {
        if case .bool(let v) = storage { return v }
        return nil
    }
}

extension String: NDArrayScalar {
    public static var dtype: DType { .string }
    public static func makeStorage(_ scalars: [String]) -> NDArray.Storage { .string(scalars) }
    public static func extract(from storage: NDArray.Storage) -> [String]? {
        if case .string(let v) = storage { return v }
        return nil
    }
}
