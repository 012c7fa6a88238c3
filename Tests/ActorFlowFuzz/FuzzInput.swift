/// Reads a fuzzer's bytes as a stream of choices; past the end every read is zero, so any input is a program.
struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isExhausted: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    /// A number in `0..<count`.
    mutating func choice(_ count: Int) -> Int { count <= 1 ? 0 : Int(byte()) % count }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A dimension: mostly small, sometimes zero, negative, unknown (`nil`) or enormous.
    mutating func dimension() -> Int? {
        switch choice(16) {
        case 0: return nil
        case 1: return -Int(byte())
        case 2: return 1 << (40 + choice(23))
        case 3: return Int.max
        default: return choice(5)
        }
    }

    /// A scalar for a constant or a feed: ordinary numbers and the awkward ones.
    mutating func number() -> Double {
        switch choice(12) {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return 1e300
        case 4: return Double(Int64.max)
        case 5: return -0.0
        default: return Double(Int8(bitPattern: byte())) / Double(1 + choice(4))
        }
    }

    /// The rest of the input, for a protobuf decoder.
    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }

    /// A short string: a name that may or may not exist, or may be malformed.
    mutating func name(among known: [String]) -> String {
        switch choice(6) {
        case 0 where !known.isEmpty: return known[choice(known.count)] + ":" + String(choice(3) - 1)
        case 1: return String(decoding: (0..<choice(6)).map { _ in byte() }, as: UTF8.self)
        case 2: return ":" + String(byte())
        default: return known.isEmpty ? "x:0" : known[choice(known.count)] + ":0"
        }
    }
}
