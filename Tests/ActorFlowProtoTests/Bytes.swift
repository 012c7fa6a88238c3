/// Bytes written as hex pairs, spaces ignored: `bytes("08 03 10 C8 01")`. Golden wire bytes in these tests
/// are spelled this way so they can be compared with `protoc --decode_raw` output by eye.
func bytes(_ hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }
    precondition(digits.count.isMultiple(of: 2), "odd number of hex digits in \(hex)")
    var result: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else {
            preconditionFailure("not a hex byte: \(digits[index..<next])")
        }
        result.append(byte)
        index = next
    }
    return result
}

/// The ASCII bytes of a string, for spelling golden bytes that contain names.
func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
