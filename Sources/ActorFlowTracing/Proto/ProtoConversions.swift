import ActorFlowCore
import ActorFlowProto

extension Tensorflow_DataType {
    /// TensorFlow's wire enum for an ActorFlow element type (`.float32` → `.dtFloat`, …).
    ///
    ///     Tensorflow_DataType(DType.int64)            // .dtInt64
    ///     Tensorflow_DataType(DType.int64).rawValue   // 9, the same as DType.int64.dataTypeCode
    public init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .dtFloat
        case .float64: self = .dtDouble
        case .int32: self = .dtInt32
        case .int64: self = .dtInt64
        case .bool: self = .dtBool
        case .string: self = .dtString
        }
    }
}

extension DType {
    /// The ActorFlow element type for a TensorFlow wire type, or `nil` when ActorFlow has no such type
    /// (`.dtHalf`, the `…Ref` types, `.dtInvalid`, an unrecognized number, …).
    ///
    ///     DType(Tensorflow_DataType.dtDouble)   // .float64
    ///     DType(Tensorflow_DataType.dtHalf)     // nil
    public init?(_ dataType: Tensorflow_DataType) {
        switch dataType {
        case .dtFloat: self = .float32
        case .dtDouble: self = .float64
        case .dtInt32: self = .int32
        case .dtInt64: self = .int64
        case .dtBool: self = .bool
        case .dtString: self = .string
        default: return nil
        }
    }
}

extension Tensorflow_TensorShapeProto {
    /// TensorFlow's wire form of a static shape: an unknown dimension becomes size `-1`, an unknown rank
    /// sets `unknownRank` with no dimensions, and a scalar has no dimensions.
    ///
    ///     TensorShapeProto(TensorShape([nil, 2])).dim.map(\.size)   // [-1, 2]
    ///     TensorShapeProto(TensorShape.unknown).unknownRank         // true
    ///     TensorShapeProto(TensorShape.scalar).dim.isEmpty          // true
    public init(_ shape: TensorShape) {
        self.init()
        guard let dimensions = shape.dimensions else {
            unknownRank = true
            return
        }
        dim = dimensions.map { size in
            var d = Tensorflow_TensorShapeProto.Dim()
            d.size = Int64(size ?? -1)
            return d
        }
    }
}

extension TensorShape {
    /// The static shape a TensorFlow wire shape describes: size `-1` is an unknown dimension and
    /// `unknownRank` an unknown rank. Dimension names are dropped.
    ///
    /// Returns `nil` when the proto is malformed: `unknownRank` together with dimensions, a size below `-1`,
    /// or a size that does not fit in `Int`.
    ///
    ///     var p = TensorShapeProto(); p.unknownRank = true
    ///     TensorShape(p)                               // <unknown>
    public init?(_ proto: Tensorflow_TensorShapeProto) {
        if proto.unknownRank {
            guard proto.dim.isEmpty else { return nil }
            self = .unknown
            return
        }
        var dimensions: [Int?] = []
        dimensions.reserveCapacity(proto.dim.count)
        for d in proto.dim {
            if d.size == -1 {
                dimensions.append(nil)
            } else if d.size >= 0, let size = Int(exactly: d.size) {
                dimensions.append(size)
            } else {
                return nil
            }
        }
        self.init(dimensions)
    }
}

extension Tensorflow_TensorDescription {
    /// A description of a computed value, as a traced run records it for each node output: its dtype, its
    /// concrete shape and its size.
    ///
    /// `allocationDescription.requestedBytes` and `allocatedBytes` are both ``NDArray/byteCount``, because
    /// ActorFlow's storage does not report allocator rounding; `allocatorName` is `allocatorName`.
    /// TensorFlow's timeline reads these two fields (`requestedBytes`, `allocatorName`) for its memory view.
    ///
    ///     let d = TensorDescription(try NDArray([[1, 2], [3, 4]] as [[Int32]]))
    ///     d.dtype                                   // .dtInt32
    ///     d.shape.dim.map(\.size)                   // [2, 2]
    ///     d.allocationDescription.requestedBytes    // 16
    ///
    /// - Parameters:
    ///   - value: The value to describe.
    ///   - allocatorName: The allocator to name in the description; TensorFlow's CPU allocator is `"cpu"`.
    public init(_ value: NDArray, allocatorName: String = "cpu") {
        self.init()
        dtype = Tensorflow_DataType(value.dtype)
        shape = Tensorflow_TensorShapeProto(value.shape)
        var allocation = Tensorflow_AllocationDescription()
        allocation.requestedBytes = Int64(value.byteCount)
        allocation.allocatedBytes = Int64(value.byteCount)
        allocation.allocatorName = allocatorName
        allocationDescription = allocation
    }
}
