import ActorFlowTracing
import Testing

@Suite("InternedCString")
struct InternedCStringTests {
    @Test("keeps the text it was made from", arguments: ["", "a", "layer1/matmul_3", "ünïcødé/αβγ/🙂", String(repeating: "long/", count: 60)])
    func roundTrip(text: String) {
        let interned = InternedCString(text)
        #expect(interned.string == text)
        #expect(interned.description == text)
    }

    @Test("the C copy ends at the first NUL character")
    func embeddedNul() {
        #expect(InternedCString("op\u{0}hidden").string == "op")
    }

    @Test("is shared between concurrent tasks")
    func sharedAcrossTasks() async {
        let interned = InternedCString("shared/op")
        let reads = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { interned.string } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(reads == Array(repeating: "shared/op", count: 8))
    }
}
