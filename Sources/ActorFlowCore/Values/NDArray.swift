/// A dense, immutable n-dimensional array: the value a tensor takes in one run.
///
/// `NDArray` is a value type with a dtype, a fully defined shape and contiguous row-major storage.
/// Build one from Swift scalars or (nested) arrays, read it back with ``scalars(as:)``:
///
///     let m = try NDArray([[1, 2], [3, 4]] as [[Float]])
///     print(m.dimensions)                      // [2, 2]
///     print(try m.scalars(as: Float.self))     // [1.0, 2.0, 3.0, 4.0]
///     print(m)                                 // [[1.0, 2.0], [3.0, 4.0]]
///     NDArray(Float(2)) == NDArray(Float(2))   // true
///
/// Copies share storage until one is mutated (copy-on-write), so passing values between ops is cheap.
///
/// On traced steps each value also knows where its buffer came from: ``allocationID`` and ``numaNode`` (see
/// ``AllocationScope``). They do not take part in `==`, which compares dtype, shape and elements.
public struct NDArray: Sendable, Equatable {
    /// Typed, row-major element storage.
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int32([Int32])
        case int64([Int64])
        case bool([Bool])
        case string([String])

        /// The dtype of the elements.
        public var dtype: DType {
            switch self {
            case .float32: .float32
            case .float64: .float64
            case .int32: .int32
            case .int64: .int64
            case .bool: .bool
            case .string: .string
            }
        }

        /// The number of elements.
        public var count: Int {
            switch self {
            case .float32(let v): v.count
            case .float64(let v): v.count
            case .int32(let v): v.count
            case .int64(let v): v.count
            case .bool(let v): v.count
            case .string(let v): v.count
            }
        }
    }

    /// The elements. (A `var` only so that ``combineOnlyElement(_:with:_:)`` can update a buffer it owns alone.)
    public internal(set) var storage: Storage
    /// The concrete dimensions (empty for a scalar).
    public let dimensions: [Int]
    /// The tracked buffer this value shares, when it was created under an ``AllocationScope`` (or forwards a
    /// value that was); `nil` otherwise. A `var` only so that its reference count can be read in place.
    var allocation: TrackedAllocation?

    /// The element type.
    public var dtype: DType { storage.dtype }

    /// The shape as a (fully defined) ``TensorShape``.
    public var shape: TensorShape { TensorShape(dimensions) }

    /// The number of dimensions.
    public var rank: Int { dimensions.count }

    /// The number of elements.
    public var elementCount: Int { storage.count }

    /// The bytes the elements occupy: `dtype.byteSize × elementCount`, plus the UTF-8 bytes of strings.
    public var byteCount: Int { Self.byteCount(of: storage) }

    /// ``byteCount`` of a value with `storage`.
    static func byteCount(of storage: Storage) -> Int {
        if case .string(let values) = storage {
            return values.reduce(values.count * DType.string.byteSize) { $0 + $1.utf8.count }
        }
        return storage.dtype.byteSize * storage.count
    }

    /// Creates an array from storage and dimensions.
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` when the element count is not the product of
    ///   `dimensions`, a dimension is negative, or the product overflows `Int`.
    public init(storage: Storage, dimensions: [Int]) throws(SessionError) {
        try Self.check(storage.count, fits: dimensions)
        self.storage = storage
        self.dimensions = dimensions
        self.allocation = AllocationScope.track(storage)
    }

    /// Throws unless `count` elements can have `dimensions`.
    private static func check(_ count: Int, fits dimensions: [Int]) throws(SessionError) {
        guard dimensions.allSatisfy({ $0 >= 0 }) else {
            throw .invalidValue(reason: "negative dimension in shape \(dimensions.shapeDescription)")
        }
        guard let expected = dimensions.checkedElementCount else {
            throw .invalidValue(reason: "shape \(dimensions.shapeDescription) has too many elements")
        }
        guard expected == count else {
            throw .invalidValue(
                reason: "\(count) elements cannot have shape \(dimensions.shapeDescription) (\(expected) elements)"
            )
        }
    }

    /// Creates an array without checking that the element count matches (kernels that computed both).
    package init(unchecked storage: Storage, dimensions: [Int]) {
        #if ACTORFLOW_INTERNAL_CHECKS
        precondition(dimensions.checkedElementCount == storage.count, "NDArray element count does not match its shape")
        #endif
        self.storage = storage
        self.dimensions = dimensions
        self.allocation = AllocationScope.track(storage)
    }

    /// `source`'s buffer with new dimensions (the kernels that forward a buffer: `Reshape`, an identity
    /// `Transpose`, …): the result shares `source`'s tracked allocation instead of making one.
    package init(forwarding source: NDArray, dimensions: [Int]) {
        #if ACTORFLOW_INTERNAL_CHECKS
        precondition(dimensions.checkedElementCount == source.elementCount, "NDArray element count does not match its shape")
        #endif
        self.storage = source.storage
        self.dimensions = dimensions
        self.allocation = source.allocation
    }

    /// Creates a scalar (rank-0) array.
    ///
    ///     NDArray(Float(0)).dimensions   // []
    public init<T: NDArrayScalar>(_ scalar: T) {
        self.storage = T.makeStorage([scalar])
        self.dimensions = []
        self.allocation = AllocationScope.track(storage)
    }

    /// Creates a rank-1 array.
    ///
    ///     NDArray([10, 20] as [Int32]).dimensions   // [2]
    public init<T: NDArrayScalar>(_ scalars: [T]) {
        self.storage = T.makeStorage(scalars)
        self.dimensions = [scalars.count]
        self.allocation = AllocationScope.track(storage)
    }

    /// Creates an array of the given shape from row-major scalars.
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` when `scalars.count` does not match `shape`.
    public init<T: NDArrayScalar>(shape: [Int], scalars: [T]) throws(SessionError) {
        try self.init(storage: T.makeStorage(scalars), dimensions: shape)
    }

    /// Creates an array from a scalar or a nested array of any depth.
    ///
    ///     let v = try NDArray([[1, 2], [3, 4]] as [[Int32]])   // int32, shape (2, 2)
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` when the nesting is ragged.
    public init(_ value: some NDArrayConvertible) throws(SessionError) {
        self = try value.makeNDArray()
    }

    /// A copy with the same elements and new dimensions. It shares this value's buffer, and so its
    /// ``allocationID`` and ``numaNode``.
    ///
    ///     try NDArray([1, 2, 3, 4] as [Float]).reshaped(to: [2, 2]).dimensions   // [2, 2]
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` when the element counts differ.
    public func reshaped(to dimensions: [Int]) throws(SessionError) -> NDArray {
        try Self.check(elementCount, fits: dimensions)
        return NDArray(forwarding: self, dimensions: dimensions)
    }

    /// The elements in row-major order.
    ///
    ///     try NDArray([1, 2] as [Float]).scalars(as: Float.self)   // [1.0, 2.0]
    ///
    /// `Int` reads `.int32` and `.int64` arrays; every other type must match ``dtype`` exactly.
    /// - Throws: ``SessionError/invalidValue(reason:)`` when `T` does not match ``dtype``.
    public func scalars<T: NDArrayScalar>(as type: T.Type) throws(SessionError) -> [T] {
        guard let values = T.extract(from: storage) else {
            throw .invalidValue(reason: "cannot read \(dtype) elements as \(T.self)")
        }
        return values
    }

    /// The single element of a one-element array (a scalar, or any shape holding one element).
    ///
    ///     try NDArray(Float(42)).scalar(as: Float.self)   // 42.0
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` for a dtype mismatch or more than one element.
    public func scalar<T: NDArrayScalar>(as type: T.Type) throws(SessionError) -> T {
        let values = try scalars(as: type)
        guard values.count == 1 else {
            throw .invalidValue(reason: "expected one element, the array has shape \(dimensions.shapeDescription)")
        }
        return values[0]
    }
}
