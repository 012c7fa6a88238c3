import ActorFlowCore
import Testing

@Suite("TensorShape")
struct TensorShapeTests {
    @Test func literalsAndInitializers() {
        let partial: TensorShape = [nil, 2]
        #expect(partial.dimensions! == [nil, 2])
        #expect(TensorShape([3, 4] as [Int]).dimensions! == [3, 4])
        #expect(TensorShape([nil, 4] as [Int?]).dimensions! == [nil, 4])
        #expect(TensorShape(nil as [Int?]?) == .unknown)
        #expect(TensorShape.unknown.dimensions == nil)
        #expect(TensorShape.scalar.dimensions! == [])
        #expect(([] as TensorShape) == .scalar)
        #expect(([2] as TensorShape) == TensorShape([2] as [Int]))
        #expect(([2] as TensorShape) != [nil])
        #expect(TensorShape.unknown != .scalar)
    }

    @Test func rankAndDefinedness() {
        #expect(TensorShape.unknown.rank == nil)
        #expect(TensorShape.scalar.rank == 0)
        #expect(([nil, nil, 3] as TensorShape).rank == 3)

        #expect(!TensorShape.unknown.isFullyDefined)
        #expect(TensorShape.scalar.isFullyDefined)
        #expect(([2, 3] as TensorShape).isFullyDefined)
        #expect(!([2, nil] as TensorShape).isFullyDefined)

        #expect(([2, 3] as TensorShape).concreteDimensions == [2, 3])
        #expect(([2, nil] as TensorShape).concreteDimensions == nil)
        #expect(TensorShape.unknown.concreteDimensions == nil)
    }

    @Test func elementCount() {
        #expect(TensorShape.scalar.elementCount == 1)
        #expect(([2, 3, 4] as TensorShape).elementCount == 24)
        #expect(([5, 0, 7] as TensorShape).elementCount == 0)
        #expect(([2, nil] as TensorShape).elementCount == nil)
        #expect(TensorShape.unknown.elementCount == nil)
    }

    @Test func elementCountThatOverflowsIsUnknownInsteadOfTrapping() {
        #expect(([Int.max, 2] as TensorShape).elementCount == nil)
        #expect(([1 << 32, 1 << 32] as TensorShape).elementCount == nil)
        // A zero dimension makes the product 0 whatever the others are.
        #expect(([Int.max, 2, 0] as TensorShape).elementCount == 0)
    }

    @Test func compatibilityOfShapes() {
        let partial: TensorShape = [nil, 2]
        #expect(partial.isCompatible(with: [3, 2] as TensorShape))
        #expect(partial.isCompatible(with: [nil, nil] as TensorShape))
        #expect(!partial.isCompatible(with: [3, 3] as TensorShape))
        // Rank mismatch, both ways.
        #expect(!partial.isCompatible(with: [2] as TensorShape))
        #expect(!([2] as TensorShape).isCompatible(with: partial))
        #expect(!TensorShape.scalar.isCompatible(with: [1] as TensorShape))
        // Unknown rank accepts anything and is accepted by anything.
        #expect(TensorShape.unknown.isCompatible(with: [7, 1, 2] as TensorShape))
        #expect(TensorShape.unknown.isCompatible(with: .scalar))
        #expect(TensorShape.unknown.isCompatible(with: .unknown))
        #expect(([7, 1] as TensorShape).isCompatible(with: .unknown))
    }

    @Test func compatibilityWithConcreteDimensions() {
        let partial: TensorShape = [nil, 2]
        #expect(partial.isCompatible(with: [3, 2] as [Int]))
        #expect(partial.isCompatible(with: [0, 2] as [Int]))
        #expect(!partial.isCompatible(with: [3, 3] as [Int]))
        #expect(!partial.isCompatible(with: [2] as [Int]))
        #expect(!partial.isCompatible(with: [1, 2, 2] as [Int]))
        #expect(TensorShape.unknown.isCompatible(with: [] as [Int]))
        #expect(TensorShape.unknown.isCompatible(with: [4, 5, 6, 7] as [Int]))
        #expect(TensorShape.scalar.isCompatible(with: [] as [Int]))
        #expect(!TensorShape.scalar.isCompatible(with: [1] as [Int]))
    }

    @Test func merging() {
        #expect(([nil, 2] as TensorShape).merged(with: [3, nil]) == [3, 2])
        #expect(([nil, 2] as TensorShape).merged(with: [nil, nil]) == [nil, 2])
        #expect(([nil, 2] as TensorShape).merged(with: [3, 3]) == nil)
        #expect(([nil, 2] as TensorShape).merged(with: [2]) == nil)
        #expect(TensorShape.unknown.merged(with: [1, nil]) == [1, nil])
        #expect(([1, nil] as TensorShape).merged(with: .unknown) == [1, nil])
        #expect(TensorShape.unknown.merged(with: .unknown) == .unknown)
        #expect(TensorShape.scalar.merged(with: .scalar) == .scalar)
    }

    @Test func pythonDescriptions() {
        #expect(([2] as TensorShape).description == "(2,)")
        #expect(([nil] as TensorShape).description == "(?,)")
        #expect(([nil, 2] as TensorShape).description == "(?, 2)")
        #expect(([3, 4, 5] as TensorShape).description == "(3, 4, 5)")
        #expect(TensorShape.scalar.description == "()")
        #expect(TensorShape.unknown.description == "<unknown>")
        #expect("\([1, nil] as TensorShape)" == "(1, ?)")
    }
}
