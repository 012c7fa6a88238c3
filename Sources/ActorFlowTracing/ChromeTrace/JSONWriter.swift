/// Writes JSON text straight into UTF-8 bytes, so a trace of a million events costs no intermediate values, keys
/// come out in the order written and timestamps keep their nanosecond digits (a `Double` cannot hold Unix-epoch
/// microseconds with three decimals).
///
///     var w = JSONWriter()
///     w.object { w in
///         w.member("name", "a\"b")
///         w.member("ts", microseconds: 1_500)
///     }
///     w.text   // {"name":"a\"b","ts":1.5}
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next key or value follows a sibling and needs a comma first.
    private var needsComma = false

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends a fixed fragment of JSON verbatim (such as `{"traceEvents":[`); a value may follow it directly.
    mutating func raw(_ fragment: StaticString) {
        bytes.append(contentsOf: fragment.description.utf8)
        needsComma = false
    }

    /// Ends the current line after the previous value (and its comma), for one event per line.
    mutating func lineBreak() {
        separate()
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    // MARK: Values

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func string(_ text: String) {
        separate()
        Self.writeString(text, to: &bytes)
        needsComma = true
    }

    mutating func integer(_ value: Int64) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        writeDigits(value.magnitude)
        needsComma = true
    }

    /// Nanoseconds written as microseconds, exactly: `1500` → `1.5`, `-2000` → `-2`, `1` → `0.001`.
    mutating func microseconds(_ nanos: Int64) {
        separate()
        let magnitude = nanos.magnitude
        if nanos < 0 { bytes.append(UInt8(ascii: "-")) }
        writeDigits(magnitude / 1000)
        var fraction = magnitude % 1000
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            bytes.append(UInt8(ascii: "."))
            writeDigits(fraction, minimumCount: digits)
        }
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    // MARK: Members of an object

    /// Writes `"key":`; the value written next belongs to it.
    mutating func key(_ key: String) {
        separate()
        Self.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func member(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func member(_ key: String, _ value: Int64) {
        self.key(key)
        integer(value)
    }

    mutating func member(_ key: String, _ value: Int) {
        self.key(key)
        integer(Int64(value))
    }

    mutating func member(_ key: String, microseconds nanos: Int64) {
        self.key(key)
        microseconds(nanos)
    }

    mutating func member(_ key: String, strings: [String]) {
        self.key(key)
        array { w in for s in strings { w.string(s) } }
    }

    mutating func member(_ key: String, object body: (inout JSONWriter) -> Void) {
        self.key(key)
        object(body)
    }

    // MARK: Encoding

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// At least `minimumCount` decimal digits (zero-padded).
    private mutating func writeDigits(_ value: UInt64, minimumCount: Int = 1) {
        let start = bytes.count
        var rest = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest != 0 || bytes.count - start < minimumCount
        bytes[start...].reverse()
    }

    /// A string literal: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`. Works on UTF-8
    /// bytes: every byte that needs escaping is ASCII, and no byte of a multi-byte sequence is.
    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var clean = true
        for byte in text.utf8 where needsEscape(byte) {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: text.utf8)
        } else {
            for byte in text.utf8 {
                guard needsEscape(byte) else {
                    out.append(byte)
                    continue
                }
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 15))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
