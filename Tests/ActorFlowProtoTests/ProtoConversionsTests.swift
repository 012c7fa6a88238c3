import ActorFlow
import ActorFlowProto
import Testing

@Suite struct ProtoConversionsTests {
    @Test(arguments: DType.allCases)
    func dataTypeMatchesTensorFlowNumber(_ dtype: DType) {
        let wire = Tensorflow_DataType(dtype)
        #expect(wire.rawValue == dtype.dataTypeCode)
        #expect(DType(wire) == dtype)
    }

    @Test func dataTypesActorFlowDoesNotHave() {
        #expect(DType(Tensorflow_DataType.dtInvalid) == nil)
        #expect(DType(Tensorflow_DataType.dtHalf) == nil)
        #expect(DType(Tensorflow_DataType.dtFloatRef) == nil)
        #expect(DType(Tensorflow_DataType.UNRECOGNIZED(77)) == nil)
        #expect(Tensorflow_DataType.dtFloatRef.rawValue == Tensorflow_DataType.dtFloat.rawValue + 100)
        #expect(Tensorflow_DataType.dtFloat4E2M1FnRef.rawValue == 133)
    }

    @Test func shapes() {
        #expect(TensorShapeProto(TensorShape([3, 2])).dim.map(\.size) == [3, 2])
        #expect(TensorShapeProto(TensorShape([nil, 2])).dim.map(\.size) == [-1, 2])
        #expect(!TensorShapeProto(TensorShape([nil, 2])).unknownRank)
        #expect(TensorShapeProto(TensorShape.scalar) == TensorShapeProto())
        let unknown = TensorShapeProto(TensorShape.unknown)
        #expect(unknown.unknownRank)
        #expect(unknown.dim.isEmpty)
    }

    @Test(arguments: [TensorShape.unknown, .scalar, [nil], [0], [3, nil, 5], [1, 2, 3, 4]])
    func shapeRoundTrip(_ shape: TensorShape) {
        #expect(TensorShape(TensorShapeProto(shape)) == shape)
    }

    @Test func malformedShapeProtos() {
        var both = TensorShapeProto(TensorShape([2]))
        both.unknownRank = true
        #expect(TensorShape(both) == nil)
        var negative = TensorShapeProto()
        var dim = TensorShapeProto.Dim()
        dim.size = -2
        negative.dim = [dim]
        #expect(TensorShape(negative) == nil)
    }

    @Test func tensorDescriptionOfAValue() throws {
        let d = TensorDescription(try NDArray([[1, 2], [3, 4]] as [[Int32]]))
        #expect(d.dtype == .dtInt32)
        #expect(d.shape.dim.map(\.size) == [2, 2])
        #expect(d.allocationDescription.requestedBytes == 16)
        #expect(d.allocationDescription.allocatedBytes == 16)
        #expect(d.allocationDescription.allocatorName == "cpu")

        let scalar = TensorDescription(NDArray(Double(1)), allocatorName: "numa0")
        #expect(scalar.dtype == .dtDouble)
        #expect(scalar.hasShape)
        #expect(scalar.shape.dim.isEmpty)
        #expect(scalar.allocationDescription.requestedBytes == 8)
        #expect(scalar.allocationDescription.allocatorName == "numa0")
    }
}
