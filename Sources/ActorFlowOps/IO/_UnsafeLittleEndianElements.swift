import ActorFlowCore

/// Converting between little-endian element bytes (as `.npy` and raw files hold them) and NDArray storage:
/// the file formats' only pointer code. On a little-endian host (every Linux target Swift supports: x86-64,
/// AArch64) the bytes are the elements, so each conversion is one copy.
enum LittleEndianElements {
    /// The storage of `count` elements of `dtype` from `bytes[offset...]` (which must hold them all).
    /// `.bool` elements are bytes, nonzero meaning true; `.string` has no byte layout (the caller rejects it).
    static func storage(_ dtype: DType, from bytes: [UInt8], offset: Int, count: Int) -> NDArray.Storage {
        precondition(offset >= 0 && count >= 0 && offset + count * dtype.byteSize <= bytes.count, "too few bytes")
        switch dtype {
        case .float32: return .float32(elements(Float.self, bytes, offset, count))
        case .float64: return .float64(elements(Double.self, bytes, offset, count))
        case .int32: return .int32(elements(Int32.self, bytes, offset, count))
        case .int64: return .int64(elements(Int64.self, bytes, offset, count))
        case .bool: return .bool(bytes[offset..<(offset + count)].map { $0 != 0 })
        case .string: preconditionFailure("string tensors have no byte layout")
        }
    }

    /// The little-endian bytes of `storage`'s elements (`.bool` as 0 or 1; `.string` gives no bytes).
    static func bytes(of storage: NDArray.Storage) -> [UInt8] {
        switch storage {
        case .float32(let values): bytes(values)
        case .float64(let values): bytes(values)
        case .int32(let values): bytes(values)
        case .int64(let values): bytes(values)
        case .bool(let values): values.map { $0 ? 1 : 0 }
        case .string: []
        }
    }

    private static func elements<T: BitwiseCopyable>(_ type: T.Type, _ bytes: [UInt8], _ offset: Int, _ count: Int) -> [T] {
        #if _endian(little)
        return unsafe [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            unsafe bytes.withUnsafeBytes { source in
                let start = unsafe source.baseAddress! + offset
                unsafe UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(start: start, count: count * MemoryLayout<T>.size))
            }
            initialized = count
        }
        #else
        #error("ActorFlow's file formats assume a little-endian host")
        #endif
    }

    private static func bytes<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] {
        unsafe values.withUnsafeBytes { unsafe [UInt8]($0) }
    }
}
