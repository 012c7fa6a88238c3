import ActorFlowCore
import Testing

@Suite("DType")
struct DTypeTests {
    /// (dtype, name, TensorFlow DataType number, byte size, floating, integer).
    static let table: [(DType, String, Int, Int, Bool, Bool)] = [
        (.float32, "float", 1, 4, true, false),
        (.float64, "double", 2, 8, true, false),
        (.int32, "int32", 3, 4, false, true),
        (.string, "string", 7, 16, false, false),
        (.int64, "int64", 9, 8, false, true),
        (.bool, "bool", 10, 1, false, false),
    ]

    @Test(arguments: table)
    func properties(_ row: (DType, String, Int, Int, Bool, Bool)) {
        let (dtype, name, code, size, floating, integer) = row
        #expect(dtype.rawValue == name)
        #expect(dtype.description == name)
        #expect("\(dtype)" == name)
        #expect(DType(rawValue: name) == dtype)
        #expect(dtype.dataTypeCode == code)
        #expect(dtype.byteSize == size)
        #expect(dtype.isFloatingPoint == floating)
        #expect(dtype.isInteger == integer)
        #expect(dtype.isNumeric == (floating || integer))
    }

    @Test func tableCoversEveryCaseOnce() {
        #expect(Set(Self.table.map(\.0)) == Set(DType.allCases))
        #expect(Self.table.count == DType.allCases.count)
    }

    @Test func pythonSpellingsAreNotRawValues() {
        #expect(DType(rawValue: "float32") == nil)
        #expect(DType(rawValue: "float64") == nil)
    }
}
