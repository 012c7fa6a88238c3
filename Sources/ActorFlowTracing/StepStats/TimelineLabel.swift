/// The parts of a `timeline_label`: `"[cpu 0.4MB 0.4MB] y = MatMul(x, w:1, ^init)"`.
///
/// TensorFlow's timeline finds the op type and inputs with the regular expression `(.*) = (.*)\((.*)\)`. This
/// parser does the same without a regular expression and without being fooled by the memory prefix or by an
/// op type or input that contains `=` or parentheses: it looks for the node's own name followed by `" = "`,
/// takes the type up to the first `(` and the inputs up to the last `)`, split on `", "`.
struct TimelineLabel: Sendable, Equatable {
    /// The op type, or `nil` when the label has no `" = "` after the node name (an empty label, a foreign form).
    var opType: String?
    /// The data inputs as written (`"x"`, `"w:1"`).
    var inputs: [String]
    /// The control inputs, without their `^`.
    var controlInputs: [String]

    init(_ label: String, nodeName: String) {
        opType = nil
        inputs = []
        controlInputs = []
        guard let rest = Self.afterName(label, nodeName: nodeName) else { return }
        guard let open = rest.firstIndex(of: "(") else {
            opType = String(rest)
            return
        }
        opType = String(rest[..<open])
        let afterOpen = rest.index(after: open)
        let close = rest.lastIndex(of: ")").flatMap { $0 >= afterOpen ? $0 : nil } ?? rest.endIndex
        let arguments = rest[afterOpen..<close]
        // Split on ", " by hand: both bytes are ASCII, so every cut falls on a character boundary.
        let bytes = arguments.utf8
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            let next = bytes.index(after: i)
            if bytes[i] == UInt8(ascii: ","), next < bytes.endIndex, bytes[next] == UInt8(ascii: " ") {
                add(arguments[start..<i])
                start = bytes.index(after: next)
                i = start
            } else {
                i = next
            }
        }
        add(arguments[start...])
    }

    private mutating func add(_ argument: Substring) {
        guard !argument.isEmpty else { return }
        if argument.first == "^" {
            controlInputs.append(String(argument.dropFirst()))
        } else {
            inputs.append(String(argument))
        }
    }

    /// The label after `"<nodeName> = "`, skipping any `"[allocator …MB] "` memory prefixes.
    private static func afterName(_ label: String, nodeName: String) -> Substring? {
        if let rest = after(nodeName, in: label[...]) { return rest }
        var text = label[...]
        while text.first == "[", let close = text.firstRange(of: "] ") {
            text = text[close.upperBound...]
        }
        if let rest = after(nodeName, in: text) { return rest }
        guard let separator = text.firstRange(of: " = ") else { return nil }
        return text[separator.upperBound...]
    }

    /// `text` after a leading `"<name> = "`, or `nil` when it does not start so (or `name` is empty).
    private static func after(_ name: String, in text: Substring) -> Substring? {
        guard !name.isEmpty, text.utf8.starts(with: name.utf8) else { return nil }
        let rest = text.utf8.dropFirst(name.utf8.count)
        guard rest.starts(with: " = ".utf8) else { return nil }
        return Substring(rest.dropFirst(3))
    }

    /// The node that produces `input`: the name without an `:N` output index.
    ///
    ///     TimelineLabel.producer(of: "w:1")     // "w"
    ///     TimelineLabel.producer(of: "x")       // "x"
    static func producer(of input: String) -> Substring {
        guard let colon = input.lastIndex(of: ":") else { return input[...] }
        let index = input[input.index(after: colon)...]
        guard !index.isEmpty, index.allSatisfy(\.isASCII), index.allSatisfy(\.isNumber) else { return input[...] }
        return input[..<colon]
    }
}
