/// The element type of a tensor.
///
/// The cases mirror TensorFlow's `DataType` values that ActorFlow supports on the CPU. `rawValue` is the
/// name TensorFlow prints (`float`, `int32`, …), and ``dataTypeCode`` is TensorFlow's enum number, so a
/// `TensorDescription` we write is read back by TensorFlow as the same type.
///
///     let t = DType.float32
///     print(t)                 // float
///     print(t.byteSize)        // 4
public enum DType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32 = "float"
    case float64 = "double"
    case int32
    case int64
    case bool
    case string

    /// The size in bytes of one element. For `.string` this is the size of one element's handle in
    /// our storage (the characters are counted separately by ``NDArray/byteCount``).
    public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .bool: 1
        case .string: MemoryLayout<String>.size
        }
    }

    /// TensorFlow's `DataType` enum number (`DT_FLOAT` = 1, `DT_DOUBLE` = 2, …).
    public var dataTypeCode: Int {
        switch self {
        case .float32: 1
        case .float64: 2
        case .int32: 3
        case .string: 7
        case .int64: 9
        case .bool: 10
        }
    }

    /// Whether the type is `.float32` or `.float64`.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Whether the type is `.int32` or `.int64`.
    public var isInteger: Bool { self == .int32 || self == .int64 }

    /// Whether arithmetic ops accept the type.
    public var isNumeric: Bool { isFloatingPoint || isInteger }

    public var description: String { rawValue }
}
