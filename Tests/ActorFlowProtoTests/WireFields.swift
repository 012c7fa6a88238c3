/// The field numbers at the top level of a serialized message, in wire order. A small independent reader of
/// the protobuf wire format (varint, 64-bit, length-delimited, 32-bit), so tests can check which of
/// TensorFlow's field numbers a message writes without trusting the library that wrote it.
func wireFieldNumbers(_ data: [UInt8]) -> [Int]? {
    var numbers: [Int] = []
    var index = 0

    func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < data.count, shift < 64 {
            let byte = data[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    while index < data.count {
        guard let tag = varint() else { return nil }
        numbers.append(Int(tag >> 3))
        switch tag & 7 {
        case 0: guard varint() != nil else { return nil }
        case 1: index += 8
        case 2:
            guard let length = varint(), length <= UInt64(data.count - index) else { return nil }
            index += Int(length)
        case 5: index += 4
        default: return nil
        }
        guard index <= data.count else { return nil }
    }
    return numbers
}

/// The distinct top-level field numbers of a serialized message, sorted.
func distinctWireFieldNumbers(_ data: [UInt8]) -> [Int]? {
    wireFieldNumbers(data).map { Array(Set($0)).sorted() }
}
