import ActorFlowCore
import Testing

@Suite("NDArray description")
struct NDArrayDescriptionTests {
    @Test func nestedBrackets() throws {
        #expect(try NDArray([[1, 2], [3, 4]] as [[Float]]).description == "[[1.0, 2.0], [3.0, 4.0]]")
        #expect(NDArray([10, -20] as [Int32]).description == "[10, -20]")
        #expect(try NDArray([[[1, 2]], [[3, 4]]] as [[[Int]]]).description == "[[[1, 2]], [[3, 4]]]")
        #expect(NDArray([true, false]).description == "[true, false]")
        #expect(NDArray([0.5] as [Double]).description == "[0.5]")
    }

    @Test func scalarPrintsAlone() {
        #expect(NDArray(Float(42)).description == "42.0")
        #expect(NDArray(Int32(-3)).description == "-3")
        #expect(NDArray(false).description == "false")
        #expect("\(NDArray(5))" == "5")
    }

    @Test func stringsAreQuoted() throws {
        #expect(NDArray("hi").description == "\"hi\"")
        #expect(NDArray(["a", "b c"]).description == "[\"a\", \"b c\"]")
        #expect(try NDArray([[""]]).description == "[[\"\"]]")
    }

    @Test func emptyArrays() throws {
        #expect(NDArray([] as [Float]).description == "[]")
        #expect(try NDArray(shape: [2, 0], scalars: [] as [Int32]).description == "[[], []]")
        #expect(try NDArray(shape: [0, 3], scalars: [] as [Int32]).description == "[]")
        #expect(try NDArray(shape: [1 << 40, 0], scalars: [] as [Int32]).description == "[[], [], [], ..., [], [], []]")
    }

    @Test func thousandElementsArePrintedInFull() {
        let text = NDArray((0..<1000).map { Int32($0) }).description
        #expect(!text.contains("..."))
        #expect(text.hasPrefix("[0, 1, 2, 3, ") && text.hasSuffix(", 997, 998, 999]"))
        #expect(text.split(separator: ",").count == 1000)
    }

    @Test func moreThanAThousandElementsAreSummarized() throws {
        #expect(NDArray((0..<1001).map { Int32($0) }).description == "[0, 1, 2, ..., 998, 999, 1000]")
        let wide = try NDArray(shape: [2, 600], scalars: (0..<1200).map { Int64($0) })
        #expect(
            wide.description
                == "[[0, 1, 2, ..., 597, 598, 599], [600, 601, 602, ..., 1197, 1198, 1199]]"
        )
        // Every axis longer than 6 is cut; axes of length ≤ 6 are kept whole.
        let deep = try NDArray(shape: [7, 1, 150], scalars: (0..<1050).map { Int32($0) })
        let rows = [
            "[[0, 1, 2, ..., 147, 148, 149]]",
            "[[150, 151, 152, ..., 297, 298, 299]]",
            "[[300, 301, 302, ..., 447, 448, 449]]",
            "...",
            "[[600, 601, 602, ..., 747, 748, 749]]",
            "[[750, 751, 752, ..., 897, 898, 899]]",
            "[[900, 901, 902, ..., 1047, 1048, 1049]]",
        ]
        #expect(deep.description == "[" + rows.joined(separator: ", ") + "]")
    }

    @Test func debugDescriptionNamesDTypeAndShape() throws {
        #expect(
            try NDArray([[1, 2], [3, 4]] as [[Float]]).debugDescription
                == "NDArray(float, shape (2, 2)) [[1.0, 2.0], [3.0, 4.0]]"
        )
        #expect(NDArray(5).debugDescription == "NDArray(int64, shape ()) 5")
        #expect(NDArray(["s"]).debugDescription == "NDArray(string, shape (1,)) [\"s\"]")
        #expect(String(reflecting: NDArray(true)) == "NDArray(bool, shape ()) true")
    }
}
