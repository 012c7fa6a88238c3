import ActorFlowCore
import Testing

@Suite("NDArray initializers")
struct NDArrayInitTests {
    @Test func scalars() throws {
        let f = NDArray(Float(1.5))
        #expect(f.dtype == .float32 && f.dimensions == [] && f.rank == 0 && f.elementCount == 1)
        #expect(f.storage == .float32([1.5]))
        #expect(f.shape == .scalar)
        #expect(NDArray(Double(2)).storage == .float64([2]))
        #expect(NDArray(Int32(3)).storage == .int32([3]))
        #expect(NDArray(Int64(4)).storage == .int64([4]))
        #expect(NDArray(true).storage == .bool([true]))
        #expect(NDArray("s").storage == .string(["s"]))
        // Swift Int is int64, as Python ints become int64 in TensorFlow.
        let i = NDArray(5)
        #expect(i.dtype == .int64 && i.storage == .int64([5]) && i.dimensions == [])
        #expect(try Int(7).makeNDArray() == NDArray(Int64(7)))
    }

    @Test func rankOne() {
        let a = NDArray([10, 20, 30] as [Int32])
        #expect(a.dtype == .int32 && a.dimensions == [3] && a.rank == 1 && a.elementCount == 3)
        #expect(a.shape == [3])
        #expect(NDArray([1, 2] as [Int]).storage == .int64([1, 2]))
        #expect(NDArray([0.5] as [Double]).storage == .float64([0.5]))
        #expect(NDArray(["a", "b"]).storage == .string(["a", "b"]))
        #expect(NDArray([true, false]).storage == .bool([true, false]))
    }

    @Test func shapeAndScalars() throws {
        let m = try NDArray(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6] as [Float])
        #expect(m.dimensions == [2, 3] && m.elementCount == 6 && m.storage == .float32([1, 2, 3, 4, 5, 6]))
        let s = try NDArray(shape: [], scalars: [9] as [Int64])
        #expect(s == NDArray(Int64(9)))
        let empty = try NDArray(shape: [3, 0], scalars: [] as [Bool])
        #expect(empty.dimensions == [3, 0] && empty.dtype == .bool && empty.elementCount == 0)
        let direct = try NDArray(storage: .string(["x", "y"]), dimensions: [1, 2])
        #expect(direct.dtype == .string && direct.dimensions == [1, 2])
    }

    @Test func countShapeMismatchIsInvalidValue() {
        #expect(
            invalidValueReason { try NDArray(shape: [2, 2], scalars: [1, 2, 3] as [Float]) }
                == "3 elements cannot have shape (2, 2) (4 elements)"
        )
        #expect(
            invalidValueReason { try NDArray(shape: [], scalars: [] as [Int32]) }
                == "0 elements cannot have shape () (1 elements)"
        )
        #expect(
            invalidValueReason { try NDArray(storage: .bool([true]), dimensions: [2]) }
                == "1 elements cannot have shape (2,) (2 elements)"
        )
    }

    @Test func negativeDimensionIsInvalidValue() {
        #expect(
            invalidValueReason { try NDArray(shape: [-1, 2], scalars: [] as [Float]) }
                == "negative dimension in shape (-1, 2)"
        )
        // Two negatives multiply to a positive count; still rejected.
        #expect(
            invalidValueReason { try NDArray(shape: [-2, -1], scalars: [1, 2] as [Float]) }
                == "negative dimension in shape (-2, -1)"
        )
    }

    @Test func shapeWhoseElementCountOverflowsIsInvalidValueNotATrap() {
        #expect(
            invalidValueReason { try NDArray(shape: [Int.max, 2], scalars: [] as [Float]) }
                == "shape (\(Int.max), 2) has too many elements"
        )
        #expect(
            invalidValueReason { try NDArray(shape: [1 << 32, 1 << 32], scalars: [1] as [Int32]) }
                == "shape (4294967296, 4294967296) has too many elements"
        )
        // A zero dimension makes the count 0 however large the others are.
        #expect(throws: Never.self) { try NDArray(shape: [Int.max, 2, 0], scalars: [] as [Float]) }
    }

    @Test func nestedArraysOfDepthOneToFour() throws {
        let d1 = try ([1, 2, 3] as [Float]).makeNDArray()
        #expect(d1.dimensions == [3] && d1.storage == .float32([1, 2, 3]))

        let d2 = try NDArray([[1, 2, 3], [4, 5, 6]] as [[Int32]])
        #expect(d2.dimensions == [2, 3] && d2.storage == .int32([1, 2, 3, 4, 5, 6]))

        let d3 = try NDArray([[[1], [2]], [[3], [4]], [[5], [6]]] as [[[Double]]])
        #expect(d3.dimensions == [3, 2, 1] && d3.storage == .float64([1, 2, 3, 4, 5, 6]))

        let d4 = try NDArray([[[[true, false]], [[false, true]]]] as [[[[Bool]]]])
        #expect(d4.dimensions == [1, 2, 1, 2] && d4.storage == .bool([true, false, false, true]))

        let strings = try NDArray([["a", "b"], ["c", "d"]])
        #expect(strings.dimensions == [2, 2] && strings.storage == .string(["a", "b", "c", "d"]))

        // Swift Int nests as int64.
        let ints = try NDArray([[1, 2], [3, 4]])
        #expect(ints.dtype == .int64 && ints.dimensions == [2, 2] && ints.storage == .int64([1, 2, 3, 4]))

        // Arrays of NDArray stack them.
        let stacked = try NDArray([NDArray([1, 2] as [Float]), NDArray([3, 4] as [Float])])
        #expect(stacked.dimensions == [2, 2] && stacked.storage == .float32([1, 2, 3, 4]))
    }

    @Test func emptyArraysKeepTheirDType() throws {
        let f = try ([] as [Float]).makeNDArray()
        #expect(f.dtype == .float32 && f.dimensions == [0])
        #expect(NDArray([] as [Int32]).dtype == .int32 && NDArray([] as [Int32]).dimensions == [0])
        #expect(NDArray([] as [Int]).dtype == .int64)
        #expect(try ([] as [Int]).makeNDArray().dtype == .int64)
        #expect(try ([] as [String]).makeNDArray().dtype == .string)
        #expect(try ([] as [Bool]).makeNDArray().dtype == .bool)
        #expect(try ([] as [Double]).makeNDArray().dtype == .float64)
        #expect(try ([] as [NDArray]).makeNDArray().dtype == .float32)

        let outerEmpty = try NDArray([] as [[Double]])
        #expect(outerEmpty.dtype == .float64 && outerEmpty.dimensions == [0])
        let innerEmpty = try NDArray([[], []] as [[Int32]])
        #expect(innerEmpty.dtype == .int32 && innerEmpty.dimensions == [2, 0])
        let deepEmpty = try NDArray([[[]]] as [[[Bool]]])
        #expect(deepEmpty.dtype == .bool && deepEmpty.dimensions == [1, 1, 0])
        #expect([[Float]].defaultDType == .float32 && [[[Int]]].defaultDType == .int64)
    }

    @Test func raggedNestingNamesTheElement() {
        #expect(
            invalidValueReason { try NDArray([[1, 2], [3]] as [[Float]]) }
                == "ragged nested array: element 1 has shape (1,) and dtype float, "
                + "element 0 has shape (2,) and dtype float"
        )
        #expect(
            invalidValueReason { try NDArray([[1], [2], [3, 4]] as [[Int32]]) }
                == "ragged nested array: element 2 has shape (2,) and dtype int32, "
                + "element 0 has shape (1,) and dtype int32"
        )
        #expect(
            invalidValueReason { try NDArray([[[1, 2]], [[1, 2], [3, 4]]] as [[[Int]]]) }
                == "ragged nested array: element 1 has shape (2, 2) and dtype int64, "
                + "element 0 has shape (1, 2) and dtype int64"
        )
        // An empty row beside a full one is ragged too.
        #expect(
            invalidValueReason { try NDArray([[1], []] as [[Double]]) }
                == "ragged nested array: element 1 has shape (0,) and dtype double, "
                + "element 0 has shape (1,) and dtype double"
        )
        // NDArray elements of different dtypes.
        #expect(
            invalidValueReason { try NDArray([NDArray(Float(1)), NDArray(Int32(1))]) }
                == "ragged nested array: element 1 has shape () and dtype int32, "
                + "element 0 has shape () and dtype float"
        )
    }

    @Test func reshaped() throws {
        let a = NDArray([1, 2, 3, 4, 5, 6] as [Int32])
        let m = try a.reshaped(to: [3, 2])
        #expect(m.dimensions == [3, 2] && m.storage == a.storage)
        #expect(try m.reshaped(to: [6]) == a)
        #expect(try NDArray([7] as [Float]).reshaped(to: []) == NDArray(Float(7)))
        #expect(
            invalidValueReason { try a.reshaped(to: [4, 2]) } == "6 elements cannot have shape (4, 2) (8 elements)"
        )
        #expect(invalidValueReason { try a.reshaped(to: [-6]) } == "negative dimension in shape (-6,)")
    }
}
