import ActorFlowCore

/// A computation written once, generically, for every element type; ``NDArray/visitElements(_:)`` picks
/// the type from the storage (the generic body is specialized per dtype by the optimizer).
package protocol ElementVisitor {
    associatedtype Output
    func visit<T: NDArrayScalar>(_ values: [T]) throws -> Output
}

/// A computation for the arithmetic types (`float`, `double`, `int32`, `int64`).
package protocol NumericVisitor {
    associatedtype Output
    func visit<T: NumericScalar>(_ values: [T]) throws -> Output
}

/// A computation for the floating-point types (`float`, `double`).
package protocol FloatingVisitor {
    associatedtype Output
    func visit<T: FloatingScalar>(_ values: [T]) throws -> Output
}

extension NDArray {
    /// Calls `visitor` with the elements in their Swift type.
    package func visitElements<V: ElementVisitor>(_ visitor: V) throws -> V.Output {
        switch storage {
        case .float32(let v): try visitor.visit(v)
        case .float64(let v): try visitor.visit(v)
        case .int32(let v): try visitor.visit(v)
        case .int64(let v): try visitor.visit(v)
        case .bool(let v): try visitor.visit(v)
        case .string(let v): try visitor.visit(v)
        }
    }

    /// Calls `visitor` with the elements of an arithmetic array.
    ///
    /// - Throws: ``KernelError`` naming `op` when the dtype is `bool` or `string`.
    package func visitNumeric<V: NumericVisitor>(_ visitor: V, op: String) throws -> V.Output {
        switch storage {
        case .float32(let v): return try visitor.visit(v)
        case .float64(let v): return try visitor.visit(v)
        case .int32(let v): return try visitor.visit(v)
        case .int64(let v): return try visitor.visit(v)
        case .bool, .string:
            throw KernelError("\(op) does not support dtype \(dtype) (expected \(DType.numericNames))")
        }
    }

    /// Calls `visitor` with the elements of a floating-point array.
    ///
    /// - Throws: ``KernelError`` naming `op` for any other dtype.
    package func visitFloating<V: FloatingVisitor>(_ visitor: V, op: String) throws -> V.Output {
        switch storage {
        case .float32(let v): return try visitor.visit(v)
        case .float64(let v): return try visitor.visit(v)
        default:
            throw KernelError("\(op) does not support dtype \(dtype) (expected \(DType.floatingNames))")
        }
    }

    /// An array of `values` with `dimensions`, for kernels that computed both consistently.
    package init<T: NDArrayScalar>(values: [T], dimensions: [Int]) {
        self.init(unchecked: T.makeStorage(values), dimensions: dimensions)
    }

    /// The elements as `T`, for a second operand whose dtype the kernel already matched with the first.
    ///
    /// - Throws: ``KernelError`` naming `op` when the dtypes differ after all (a fed value of another dtype).
    package func elements<T: NDArrayScalar>(as type: T.Type, op: String) throws(KernelError) -> [T] {
        guard let values = T.extract(from: storage), dtype == T.dtype else {
            throw KernelError("\(op) expects dtype \(T.dtype) but got \(dtype)")
        }
        return values
    }

    /// The elements of an `int32` or `int64` array as `Int` (shape tensors, axes, indices).
    ///
    /// - Throws: ``KernelError`` naming `what` for any other dtype.
    package func indexValues(_ what: String) throws(KernelError) -> [Int] {
        switch storage {
        case .int32(let v): return v.map { Int($0) }
        case .int64(let v): return v.map { Int($0) }
        default: throw KernelError("\(what) must be int32 or int64, got \(dtype)")
        }
    }
}

extension DType {
    /// A scalar of this dtype with value 0 (`""` for strings, `false` for booleans).
    package var zeroScalar: NDArray {
        switch self {
        case .float32: NDArray(Float(0))
        case .float64: NDArray(Double(0))
        case .int32: NDArray(Int32(0))
        case .int64: NDArray(Int64(0))
        case .bool: NDArray(false)
        case .string: NDArray("")
        }
    }

    /// A scalar of this dtype with value 1, or `nil` for strings.
    package var oneScalar: NDArray? {
        switch self {
        case .float32: NDArray(Float(1))
        case .float64: NDArray(Double(1))
        case .int32: NDArray(Int32(1))
        case .int64: NDArray(Int64(1))
        case .bool: NDArray(true)
        case .string: nil
        }
    }
}
