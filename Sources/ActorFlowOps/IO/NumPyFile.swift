import ActorFlowCore

/// NumPy's `.npy` format (versions 1.0, 2.0 and 3.0): decoding a file's bytes to an ``NDArray`` and encoding one.
///
///     let bytes = try NumPyFile.encode(NDArray([[1, 2], [3, 4]] as [[Float]]))
///     let back = try NumPyFile.decode(bytes, path: "m.npy")
///     print(back.dimensions)   // [2, 2]
///
/// A file is the magic string `\x93NUMPY`, a major and minor version byte, the header's length (2 bytes
/// little-endian in version 1, 4 bytes in versions 2 and 3), the header — a Python dictionary literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }` padded to a multiple of 64 bytes — and the
/// elements in row-major order.
///
/// The element types read are ActorFlow's: `<f4` (float32), `<f8` (float64), `<i4` (int32), `<i8` (int64) and
/// `|b1` (bool); `=` (native order) is read as `<` since every host Swift targets on Linux is little-endian.
/// Big-endian types (`>f4`), other types (`<f2`, `|u1`, `<i2`, …; cast them with NumPy first), structured types,
/// Fortran order, and data shorter or longer than the shape are ``TensorFileError``s naming the file.
public enum NumPyFile {
    /// The first six bytes of every `.npy` file.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// What a `.npy` header declares.
    struct Header: Equatable {
        var dtype: DType
        var dimensions: [Int]
        /// Where the elements start.
        var dataOffset: Int
    }

    /// The array stored in `bytes`, the contents of the `.npy` file at `path` (named in errors).
    ///
    /// - Throws: ``TensorFileError`` when the bytes are not a `.npy` file ActorFlow can read.
    public static func decode(_ bytes: [UInt8], path: String) throws(TensorFileError) -> NDArray {
        let header = try parseHeader(bytes, path: path)
        let count = header.dimensions.checkedElementCount ?? 0   // (parseHeader checked that it fits)
        let needed = count * header.dtype.byteSize
        let available = bytes.count - header.dataOffset
        guard available == needed else {
            throw TensorFileError(
                .sizeMismatch, path: path,
                "'\(path)' holds \(available) bytes of data after its .npy header, but shape "
                    + "\(header.dimensions.shapeDescription) of \(header.dtype) needs \(needed)")
        }
        let storage = LittleEndianElements.storage(header.dtype, from: bytes, offset: header.dataOffset, count: count)
        return NDArray(unchecked: storage, dimensions: header.dimensions)
    }

    /// The `.npy` bytes (format version 1.0, or 2.0 when the header needs more than 65 535 bytes) of `array`.
    ///
    /// - Throws: ``TensorFileError`` with code ``TensorFileError/Code/unsupportedDType`` for a string array
    ///   (`.npy` stores strings as fixed-width Unicode, which ActorFlow does not write).
    public static func encode(_ array: NDArray) throws(TensorFileError) -> [UInt8] {
        guard let descr = descr(of: array.dtype) else {
            throw TensorFileError(.unsupportedDType, path: "", "NumPyFile.encode cannot store a \(array.dtype) array")
        }
        let dims = array.dimensions.map(String.init)
        let shape = "(" + dims.joined(separator: ", ") + (dims.count == 1 ? ",)" : ")")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        // Magic (6) + version (2) + length (2 or 4) + header + newline, padded with spaces to a multiple of 64.
        let prefixLength = header.utf8.count + 1 + 10 <= 65_535 ? 10 : 12
        let padding = (64 - (prefixLength + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        let length = header.utf8.count
        var bytes = magic
        if prefixLength == 10 {
            bytes += [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        } else {
            bytes += [2, 0] + (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
        }
        bytes += Array(header.utf8)
        bytes += LittleEndianElements.bytes(of: array.storage)
        return bytes
    }

    /// The `descr` NumPy writes for `dtype` on a little-endian host, or nil for `.string`.
    static func descr(of dtype: DType) -> String? {
        switch dtype {
        case .float32: "<f4"
        case .float64: "<f8"
        case .int32: "<i4"
        case .int64: "<i8"
        case .bool: "|b1"
        case .string: nil
        }
    }

    /// The dtype of a `descr`, or a message saying why there is none.
    static func dtype(ofDescr descr: String, path: String) throws(TensorFileError) -> DType {
        guard let order = descr.first, descr.count >= 2 else {
            throw TensorFileError(.malformedHeader, path: path, "'\(path)' has a .npy header with descr '\(descr)'")
        }
        let code = String(descr.dropFirst())
        if order == ">" && code != "b1" {
            throw TensorFileError(
                .unsupportedDType, path: path,
                "'\(path)' holds big-endian \(descr) elements, which readFile does not read; "
                    + "save the array as little-endian ('<\(code)')")
        }
        let dtype: DType? =
            switch (order, code) {
            case ("<", "f4"), ("=", "f4"): .float32
            case ("<", "f8"), ("=", "f8"): .float64
            case ("<", "i4"), ("=", "i4"): .int32
            case ("<", "i8"), ("=", "i8"): .int64
            case (_, "b1") where "|<=>".contains(order): .bool
            default: nil
            }
        guard let dtype else {
            throw TensorFileError(
                .unsupportedDType, path: path,
                "'\(path)' holds \(descr) elements, which have no ActorFlow dtype; readFile reads <f4 (float32), "
                    + "<f8 (float64), <i4 (int32), <i8 (int64) and |b1 (bool)")
        }
        return dtype
    }

    /// Reads the magic, version, header length and header dictionary.
    static func parseHeader(_ bytes: [UInt8], path: String) throws(TensorFileError) -> Header {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw TensorFileError(.notNumPy, path: path, "'\(path)' is not a .npy file: it does not start with \\x93NUMPY")
        }
        let major = bytes[6]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default:
            throw TensorFileError(
                .notNumPy, path: path, "'\(path)' is a .npy file of format version \(major).\(bytes[7]); readFile reads 1.0, 2.0 and 3.0")
        }
        let headerStart = 8 + lengthBytes
        guard bytes.count >= headerStart else {
            throw TensorFileError(.malformedHeader, path: path, "'\(path)' ends inside its .npy header")
        }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        guard bytes.count >= headerStart + headerLength else {
            throw TensorFileError(.malformedHeader, path: path, "'\(path)' ends inside its .npy header")
        }
        let text = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        var parser = HeaderParser(text: text)
        let entries: [String: HeaderParser.Value]
        do {
            entries = try parser.dictionary()
        } catch {
            throw TensorFileError(.malformedHeader, path: path, "'\(path)' has a malformed .npy header (\(error.reason)): \(text)")
        }
        guard case .string(let descr)? = entries["descr"], case .bool(let fortranOrder)? = entries["fortran_order"],
            case .tuple(let dimensions)? = entries["shape"], dimensions.allSatisfy({ $0 >= 0 })
        else {
            throw TensorFileError(
                .malformedHeader, path: path,
                "'\(path)' has a .npy header without a string 'descr', a boolean 'fortran_order' and a 'shape' tuple: \(text)")
        }
        let dtype = try dtype(ofDescr: descr, path: path)
        if fortranOrder && dimensions.count > 1 {
            throw TensorFileError(
                .fortranOrder, path: path,
                "'\(path)' is a .npy file in Fortran order, which readFile does not read; save it with "
                    + "np.save(path, np.ascontiguousarray(a))")
        }
        guard let count = dimensions.checkedElementCount, !count.multipliedReportingOverflow(by: dtype.byteSize).overflow
        else {
            throw TensorFileError(.malformedHeader, path: path, "'\(path)' declares shape \(dimensions.shapeDescription), too large")
        }
        return Header(dtype: dtype, dimensions: dimensions, dataOffset: headerStart + headerLength)
    }
}

/// A parser for the Python literals of a `.npy` header: a dictionary with string keys whose values are strings,
/// `True`/`False`, integers or tuples of integers (Python 2's `3L` included).
struct HeaderParser {
    enum Value: Equatable {
        case string(String)
        case bool(Bool)
        case int(Int)
        case tuple([Int])
    }

    struct Failure: Error {
        let reason: String
    }

    private let characters: [Character]
    private var index = 0

    init(text: String) {
        characters = Array(text)
    }

    /// The dictionary, which must be all the text holds (besides spaces and the final newline).
    mutating func dictionary() throws(Failure) -> [String: Value] {
        try expect("{")
        var entries: [String: Value] = [:]
        while true {
            skipSpaces()
            if peek() == "}" { break }
            guard case .string(let key) = try value() else { throw Failure(reason: "a key is not a string") }
            try expect(":")
            entries[key] = try value()
            skipSpaces()
            if peek() == "," {
                index += 1
            } else if peek() != "}" {
                throw Failure(reason: "expected ',' or '}' at offset \(index)")
            }
        }
        index += 1
        skipSpaces()
        guard index == characters.count else { throw Failure(reason: "text after the dictionary") }
        return entries
    }

    private mutating func value() throws(Failure) -> Value {
        skipSpaces()
        guard let first = peek() else { throw Failure(reason: "the header ends early") }
        switch first {
        case "'", "\"":
            index += 1
            var text = ""
            while let c = peek(), c != first {
                text.append(c)
                index += 1
            }
            try expect(first)
            return .string(text)
        case "(":
            index += 1
            var items: [Int] = []
            while true {
                skipSpaces()
                if peek() == ")" { break }
                guard case .int(let item) = try value() else { throw Failure(reason: "a shape entry is not an integer") }
                items.append(item)
                skipSpaces()
                if peek() == "," {
                    index += 1
                } else if peek() != ")" {
                    throw Failure(reason: "expected ',' or ')' at offset \(index)")
                }
            }
            index += 1
            return .tuple(items)
        case "T", "F":
            if word("True") { return .bool(true) }
            if word("False") { return .bool(false) }
            throw Failure(reason: "unexpected word at offset \(index)")
        default:
            var digits = ""
            if first == "-" || first == "+" {
                digits.append(first)
                index += 1
            }
            while let c = peek(), c.isASCII, c.isNumber {
                digits.append(c)
                index += 1
            }
            if peek() == "L" { index += 1 }
            guard let number = Int(digits) else { throw Failure(reason: "unexpected character at offset \(index)") }
            return .int(number)
        }
    }

    private func peek() -> Character? { index < characters.count ? characters[index] : nil }

    private mutating func skipSpaces() {
        while let c = peek(), c.isWhitespace { index += 1 }
    }

    private mutating func expect(_ c: Character) throws(Failure) {
        skipSpaces()
        guard peek() == c else { throw Failure(reason: "expected '\(c)' at offset \(index)") }
        index += 1
    }

    private mutating func word(_ w: String) -> Bool {
        let letters = Array(w)
        guard index + letters.count <= characters.count, Array(characters[index..<(index + letters.count)]) == letters
        else { return false }
        index += letters.count
        return true
    }
}
