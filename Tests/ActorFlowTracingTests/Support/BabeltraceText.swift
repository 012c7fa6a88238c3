/// One event as printed by `babeltrace2 --clock-cycles TRACE`.
struct RecordedEvent: Sendable, CustomStringConvertible {
    /// The event's timestamp in clock cycles; LTTng's clock counts nanoseconds of CLOCK_MONOTONIC.
    var cycles: UInt64
    /// The full event name, such as `actorflow:op_start`.
    var name: String
    /// Every context field (`cpu_id`, `vtid`, `vpid`, `procname`, …).
    var context: [String: String]
    /// The payload: integers in decimal, strings without quotes, enumerations by their label.
    var fields: [String: String]

    var vtid: Int? { context["vtid"].flatMap { Int($0) } }
    var vpid: Int? { context["vpid"].flatMap { Int($0) } }

    var description: String {
        "\(name) \(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
    }
}

struct BabeltraceParseError: Error, CustomStringConvertible {
    var line: String
    var problem: String
    var description: String { "cannot parse babeltrace2 output (\(problem)): \(line)" }
}

/// Parses babeltrace2's default text output, one event per line:
/// `[CYCLES] (+DELTA) HOST PROVIDER:EVENT: { packet context }, { event context }, { payload }`.
enum BabeltraceText {
    static func parse(_ text: String) throws -> [RecordedEvent] {
        try text.split(separator: "\n").map { try parseLine(String($0)) }
    }

    static func parseLine(_ line: String) throws -> RecordedEvent {
        func fail(_ problem: String) -> BabeltraceParseError { BabeltraceParseError(line: line, problem: problem) }
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]"),
            let cycles = UInt64(line[line.index(after: line.startIndex)..<close])
        else { throw fail("no [cycles] timestamp") }
        // After the timestamp: "(+delta)", the host name, "provider:event:", then the field groups.
        let words = line[line.index(after: close)...].split(separator: " ", maxSplits: 3)
        guard words.count == 4, words[0].hasPrefix("(+"), words[2].hasSuffix(":") else { throw fail("no event name") }
        let groups = try splitTopLevel(String(words[3]), separator: ",", line: line)
            .map { $0.trimmingSpaces }
        guard let payload = groups.last, groups.allSatisfy({ $0.hasPrefix("{") && $0.hasSuffix("}") }) else {
            throw fail("field groups are not { … }")
        }
        var context: [String: String] = [:]
        for group in groups.dropLast() {
            context.merge(try fields(of: group, line: line)) { _, new in new }
        }
        return RecordedEvent(
            cycles: cycles,
            name: String(words[2].dropLast()),
            context: context,
            fields: try fields(of: payload, line: line)
        )
    }

    /// `{ a = 1, b = "x", c = ( "ok" : container = 0 ) }` → ["a": "1", "b": "x", "c": "ok"].
    private static func fields(of group: String, line: String) throws -> [String: String] {
        let inner = String(group.dropFirst().dropLast()).trimmingSpaces
        var result: [String: String] = [:]
        guard !inner.isEmpty else { return result }
        for item in try splitTopLevel(inner, separator: ",", line: line) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw BabeltraceParseError(line: line, problem: "no '=' in \(item)") }
            result[String(parts[0]).trimmingSpaces] = try value(String(parts[1]).trimmingSpaces, line: line)
        }
        return result
    }

    private static func value(_ raw: String, line: String) throws -> String {
        if raw.hasPrefix("\"") {
            return unquote(raw)
        }
        if raw.hasPrefix("(") {
            // An enumeration: ( "label" : container = N ); keep the label.
            guard let start = raw.firstIndex(of: "\"") else { return raw }
            return unquote(String(raw[start...]))
        }
        return raw
    }

    /// The text between the first pair of unescaped double quotes, with \" and \\ unescaped.
    private static func unquote(_ quoted: String) -> String {
        var result = ""
        var escaped = false
        for character in quoted.dropFirst() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                break
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Splits at `separator` where it is outside quotes, braces and parentheses.
    private static func splitTopLevel(_ text: String, separator: Character, line: String) throws -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" {
                    inString = false
                }
                current.append(character)
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "(": depth += 1
            case "}", ")": depth -= 1
            case separator where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        guard depth == 0, !inString else { throw BabeltraceParseError(line: line, problem: "unbalanced braces or quotes") }
        parts.append(current)
        return parts
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
