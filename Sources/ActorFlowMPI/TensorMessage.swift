import ActorFlowCore

/// How a tensor travels between ranks: a small header message, then the elements as a second message with the
/// same source and tag (MPI delivers the two in order).
///
/// The header is little-endian `UInt64`s: a magic number with the format version, the dtype's TensorFlow code,
/// the rank, the payload's byte count, then one per dimension. Numeric and bool payloads are the elements'
/// bytes, sent straight from the array's buffer and received straight into a new one; string payloads are each
/// element's UTF-8 length (a `UInt64`) followed by its bytes.
///
///     let header = TensorMessage.header(for: NDArray([1, 2, 3] as [Float]))
///     let parsed = try TensorMessage.parseHeader(header)   // float32, [3], 12 bytes
enum TensorMessage {
    /// "AFT1": ActorFlow tensor, format 1.
    static let magic: UInt64 = 0x3154_4641
    /// The largest header: four fields and `TensorShape.maxRank` dimensions.
    static let maximumHeaderBytes = (4 + TensorShape.maxRank) * 8

    struct Header: Equatable {
        let dtype: DType
        let dimensions: [Int]
        let payloadBytes: Int
    }

    static func header(for value: NDArray, payloadBytes: Int) -> [UInt8] {
        let fields = [magic, UInt64(value.dtype.dataTypeCode), UInt64(value.rank), UInt64(payloadBytes)]
            + value.dimensions.map { UInt64($0) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.count * 8)
        for field in fields { append(field, to: &bytes) }
        return bytes
    }

    /// - Throws: ``MPIError/malformedMessage(_:)`` naming what is wrong.
    static func parseHeader(_ bytes: some Collection<UInt8>, count: Int) throws(MPIError) -> Header {
        let bytes = Array(bytes.prefix(count))
        guard bytes.count >= 32, bytes.count % 8 == 0 else {
            throw .malformedMessage("a tensor header of \(bytes.count) bytes (expected 32 + 8 per dimension)")
        }
        let fields = stride(from: 0, to: bytes.count, by: 8).map { read(bytes, at: $0) }
        guard fields[0] == magic else { throw .malformedMessage("not an ActorFlow tensor header") }
        guard let dtype = DType.allCases.first(where: { UInt64($0.dataTypeCode) == fields[1] }) else {
            throw .malformedMessage("unknown dtype code \(fields[1])")
        }
        guard fields[2] == UInt64(fields.count - 4) else {
            throw .malformedMessage("rank \(fields[2]) with \(fields.count - 4) dimensions")
        }
        let dimensions = fields[4...].map { Int(truncatingIfNeeded: $0) }
        guard dimensions.allSatisfy({ $0 >= 0 }), dimensions.checkedElementCount != nil,
            fields[3] <= UInt64(Int32.max)
        else {
            throw .malformedMessage("shape \(dimensions) with \(fields[3]) payload bytes")
        }
        if dtype != .string {
            let count = dimensions.checkedElementCount ?? 0
            let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, bytes == Int(fields[3]) else {
                throw .malformedMessage("\(fields[3]) payload bytes for shape \(dimensions) of \(dtype)")
            }
        }
        return Header(dtype: dtype, dimensions: dimensions, payloadBytes: Int(fields[3]))
    }

    /// A string tensor's payload (numeric payloads are the array's own bytes).
    static func stringPayload(_ strings: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for s in strings {
            let utf8 = Array(s.utf8)
            append(UInt64(utf8.count), to: &bytes)
            bytes += utf8
        }
        return bytes
    }

    /// The strings of a string payload; `count` of them.
    static func strings(from payload: [UInt8], count: Int) throws(MPIError) -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        var offset = 0
        for _ in 0..<count {
            guard offset + 8 <= payload.count else { throw .malformedMessage("a string payload ends early") }
            let length = Int(truncatingIfNeeded: read(payload, at: offset))
            offset += 8
            guard length >= 0, length <= payload.count - offset else {
                throw .malformedMessage("a string of \(length) bytes past the payload's end")
            }
            out.append(String(decoding: payload[offset..<(offset + length)], as: UTF8.self))
            offset += length
        }
        guard offset == payload.count else { throw .malformedMessage("\(payload.count - offset) bytes after the strings") }
        return out
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func read(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        return value
    }
}
