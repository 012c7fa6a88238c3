import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Element-wise binary ops")
struct ElementwiseTests {
    let runner = MiniRunner()

    @Test func matrixPlusTrailingVector() throws {
        let g = Graph()
        let y = g.add(g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]]), g.constant([10, 20, 30] as [Float]))
        #expect(y.op.type == "Add" && y.op.name == "Add")
        #expect(y.shape == [2, 3])
        #expect(try runner.run(y) == NDArray([[11, 22, 33], [14, 25, 36]] as [[Float]]))
    }

    @Test func columnTimesRow() throws {
        let g = Graph()
        let y = g.mul(g.constant([[1], [2]] as [[Int32]]), g.constant([[1, 10, 100]] as [[Int32]]))
        #expect(y.shape == [2, 3])
        #expect(try runner.run(y) == NDArray([[1, 10, 100], [2, 20, 200]] as [[Int32]]))
    }

    @Test func scalarMinusMatrixAndBack() throws {
        let g = Graph()
        let m = g.constant([[1, 2], [3, 4]] as [[Double]])
        let s = g.constant(Double(10))
        #expect(try runner.run(g.sub(s, m)) == NDArray([[9, 8], [7, 6]] as [[Double]]))
        #expect(try runner.run(g.sub(m, s)) == NDArray([[-9, -8], [-7, -6]] as [[Double]]))
    }

    @Test func threeDimensionalBroadcast() throws {
        let g = Graph()
        let a = g.constant(try NDArray(shape: [2, 1, 3], scalars: (1...6).map { Int64($0) }))
        let b = g.constant([[100], [200]] as [[Int64]])  // (2, 1)
        let y = g.add(a, b)
        #expect(y.shape == [2, 2, 3])
        let expected: [Int64] = [101, 102, 103, 201, 202, 203, 104, 105, 106, 204, 205, 206]
        #expect(try runner.run(y) == NDArray(shape: [2, 2, 3], scalars: expected))
    }

    @Test func divisionTruncatesIntegersAndFloorDivFloors() throws {
        let g = Graph()
        let x = g.constant([7, -7, 6, -1] as [Int32])
        let two = g.constant(Int32(2))
        #expect(try runner.run(g.div(x, two)) == NDArray([3, -3, 3, 0] as [Int32]))
        #expect(try runner.run(g.floorDiv(x, two)) == NDArray([3, -4, 3, -1] as [Int32]))
        let f = g.div(g.constant([1, -1] as [Float]), g.constant([0, 4] as [Float]))
        #expect(try runner.run(f) == NDArray([Float.infinity, -0.25]))
    }

    @Test func integerDivisionByZeroIsAKernelError() {
        let g = Graph()
        let y = g.div(g.constant([1, 2] as [Int64]), g.constant([1, 0] as [Int64]))
        #expect(kernelMessage { _ = try runner.run(y) } == "Integer division by zero")
        let z = g.floorDiv(g.constant(Int32(5)), g.constant(Int32(0)))
        #expect(kernelMessage { _ = try runner.run(z) } == "Integer division by zero")
    }

    @Test func integerOverflowWrapsInsteadOfTrapping() throws {
        let g = Graph()
        let big = g.constant([Int32.max, Int32.min] as [Int32])
        #expect(try runner.run(g.add(big, g.constant(Int32(1)))) == NDArray([Int32.min, Int32.min + 1]))
        #expect(try runner.run(g.div(big, g.constant(Int32(-1)))) == NDArray([-Int32.max, Int32.min]))
        #expect(try runner.run(g.mul(big, g.constant(Int32(2)))) == NDArray([-2, 0] as [Int32]))
    }

    @Test func maximumAndMinimum() throws {
        let g = Graph()
        let x = g.constant([1, 5, -2] as [Float])
        let three = g.constant(Float(3))
        #expect(try runner.run(g.maximum(x, three)) == NDArray([3, 5, 3] as [Float]))
        #expect(try runner.run(g.minimum(x, three)) == NDArray([1, 3, -2] as [Float]))
        let nan = try runner.run(g.maximum(g.constant([Float.nan]), three)).scalars(as: Float.self)
        #expect(nan[0].isNaN)
    }

    @Test func mismatchedDTypesAreABuildError() {
        let g = Graph()
        let y = g.add(g.constant([1] as [Float]), g.constant([1] as [Int32]))
        #expect(
            buildError(y) == "Add: Input 'y' of 'Add' Op has type int32 that does not match type float of argument 'x'."
        )
        #expect(y.shape == .unknown)
        #expect(throws: MiniRunner.Failure.self) { try runner.run(y) }
    }

    @Test func nonNumericDTypeIsABuildError() {
        let g = Graph()
        let y = g.mul(g.constant([true]), g.constant([false]))
        #expect(buildError(y)?.hasPrefix("Mul: dtype bool is not supported") == true)
    }

    @Test func staticShapeClashIsABuildError() {
        let g = Graph()
        let y = g.add(g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]]), g.constant([1, 2, 3, 4] as [Float]))
        #expect(buildError(y) == "Add: Dimensions must be equal, but are 3 and 4 for input shapes (2, 3) and (4,)")
    }

    @Test func runtimeShapeClashIsAKernelError() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 3], name: "x")
        let v = g.placeholder(.float32, name: "v")
        let y = g.add(x, v)
        #expect(y.op.buildError == nil)
        #expect(y.shape == .unknown)
        let message = kernelMessage {
            _ = try runner.run(
                y,
                feeds: [x: try NDArray([[1, 2, 3], [4, 5, 6]] as [[Float]]), v: NDArray([1, 2, 3, 4] as [Float])])
        }
        #expect(message == "Incompatible shapes: [2,3] vs. [4]")
    }

    @Test func partialShapesPropagate() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 3])
        #expect(g.add(x, g.constant([1, 2, 3] as [Float])).shape == [nil, 3])
        #expect(g.mul(x, g.placeholder(.float32, shape: [5, 1])).shape == [5, 3])
    }

    @Test func fedValueOfTheWrongDTypeIsAKernelError() {
        let g = Graph()
        let x = g.placeholder(.float32)
        let y = g.add(x, g.constant(Float(1)))
        let message = kernelMessage { _ = try runner.run(y, feeds: [x: NDArray([1] as [Int32])]) }
        #expect(message?.contains("Add") == true)
    }
}
