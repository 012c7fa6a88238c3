import Foundation
import Testing

@testable import ActorFlowTracing

@Suite("Trace formatting internals")
struct TraceFormattingTests {
    @Test(
        "nanoseconds are written as exact microseconds",
        arguments: [
            (Int64(0), "0"), (1, "0.001"), (10, "0.01"), (1_500, "1.5"), (1_000, "1"), (-2_000, "-2"), (-1, "-0.001"),
            (1_000_010, "1000.01"), (1_700_000_000_123_456_789, "1700000000123456.789"), (Int64.min, "-9223372036854775.808"),
        ])
    func microseconds(nanos: Int64, text: String) {
        var w = JSONWriter()
        w.microseconds(nanos)
        #expect(w.text == text)
    }

    @Test("every string round-trips through Foundation's JSON parser")
    func strings() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let samples = ["", "plain", "q\"uote", "back\\slash", "\\\"", "/slash", controls, "ünï🙂\u{7F}\u{2028}"]
        for sample in samples {
            var w = JSONWriter()
            w.array { w in w.string(sample) }
            let text = w.text
            let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
            #expect(parsed == [sample], "\(text)")
        }
        var w = JSONWriter()
        w.string("a\"b\\c\n\u{01}\u{1F}")
        #expect(w.text == #""a\"b\\c\n\u0001\u001f""#)
    }

    @Test("objects keep their key order and nest with commas in the right places")
    func objects() {
        var w = JSONWriter()
        w.raw("[")
        w.object { w in
            w.member("b", 1)
            w.key("a")
            w.bool(true)
            w.member("c", strings: [])
            w.member("d", object: { w in w.member("x", Int64(-3)); w.member("y", strings: ["p", "q"]) })
        }
        w.lineBreak()
        w.object { _ in }
        w.raw("]")
        #expect(w.text == "[{\"b\":1,\"a\":true,\"c\":[],\"d\":{\"x\":-3,\"y\":[\"p\",\"q\"]}},\n{}]")
    }

    @Test(
        "labels split into type, data inputs and control inputs",
        arguments: [
            ("y = MatMul(x, w:1)", "y", "MatMul", ["x", "w:1"], [String]()),
            ("[cpu 0.4MB 0.4MB] y = MatMul(x, ^init)", "y", "MatMul", ["x"], ["init"]),
            ("[cpu 1.0MB] [gpu 2.0MB] z = Add(a, b)", "z", "Add", ["a", "b"], []),
            ("c = Const()", "c", "Const", [], []),
            ("n = NoOp(^a, ^b)", "n", "NoOp", [], ["a", "b"]),
            ("a = b = Weird(x)", "a = b", "Weird", ["x"], []),
            ("s = Strange(f(x), y)", "s", "Strange", ["f(x)", "y"], []),
            ("t = Bare", "t", "Bare", [], []),
        ])
    func labels(label: String, node: String, type: String, inputs: [String], controls: [String]) {
        let parsed = TimelineLabel(label, nodeName: node)
        #expect(parsed.opType == type)
        #expect(parsed.inputs == inputs)
        #expect(parsed.controlInputs == controls)
    }

    @Test("a label without an op yields no type")
    func labelWithoutOp() {
        #expect(TimelineLabel("", nodeName: "x").opType == nil)
        #expect(TimelineLabel("just text", nodeName: "x") == TimelineLabel("", nodeName: "x"))
    }

    @Test("an input names its producer without the output index", arguments: [
        ("x", "x"), ("x:0", "x"), ("scope/y:12", "scope/y"), ("odd:name", "odd:name"), ("z:", "z:"),
    ])
    func producers(input: String, producer: String) {
        #expect(TimelineLabel.producer(of: input) == producer[...])
    }

    @Test("table numbers round half away from zero", arguments: [
        (Int64(15_000), Int64(1_000_000), 3, "0.015"), (1_234_567, 1_000_000, 3, "1.235"), (1_449, 1_000, 1, "1.4"),
        (1_450, 1_000, 1, "1.5"), (-1_500, 1_000, 1, "-1.5"), (-40, 1_000, 1, "0.0"), (7, 1, 0, "7"),
        (Int64.max, 1_000_000, 3, "9223372036854.776"), (999_999, 1_000, 1, "1000.0"),
    ])
    func decimals(value: Int64, per: Int64, digits: Int, text: String) {
        #expect(StepStatsAccumulator.decimal(value, per: per, digits: digits) == text)
    }
}
