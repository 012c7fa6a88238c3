import ActorFlowCore
import Testing

@Suite("NDArray access")
struct NDArrayAccessTests {
    @Test func scalarsOfEachDType() throws {
        #expect(try NDArray([1, 2] as [Float]).scalars(as: Float.self) == [1, 2])
        #expect(try NDArray([1, 2] as [Double]).scalars(as: Double.self) == [1, 2])
        #expect(try NDArray([1, 2] as [Int32]).scalars(as: Int32.self) == [1, 2])
        #expect(try NDArray([1, 2] as [Int64]).scalars(as: Int64.self) == [1, 2])
        #expect(try NDArray([true]).scalars(as: Bool.self) == [true])
        #expect(try NDArray(["x"]).scalars(as: String.self) == ["x"])
        #expect(try NDArray([[1, 2], [3, 4]] as [[Float]]).scalars(as: Float.self) == [1, 2, 3, 4])
    }

    @Test func intReadsBothIntegerWidths() throws {
        #expect(try NDArray([-1, 2] as [Int32]).scalars(as: Int.self) == [-1, 2])
        #expect(try NDArray([Int64.max] as [Int64]).scalars(as: Int.self) == [Int.max])
        #expect(try NDArray(Int32(7)).scalar(as: Int.self) == 7)
    }

    @Test func dtypeMismatchIsInvalidValue() {
        #expect(
            invalidValueReason { try NDArray([1] as [Float]).scalars(as: Double.self) }
                == "cannot read float elements as Double"
        )
        #expect(
            invalidValueReason { try NDArray([1] as [Int32]).scalars(as: Int64.self) }
                == "cannot read int32 elements as Int64"
        )
        #expect(
            invalidValueReason { try NDArray([1] as [Double]).scalars(as: Int.self) }
                == "cannot read double elements as Int"
        )
        #expect(
            invalidValueReason { try NDArray(true).scalar(as: String.self) } == "cannot read bool elements as String"
        )
    }

    @Test func scalarOfOneElementArrays() throws {
        #expect(try NDArray(Float(42)).scalar(as: Float.self) == 42)
        #expect(try NDArray(shape: [1, 1, 1], scalars: ["only"]).scalar(as: String.self) == "only")
        #expect(
            invalidValueReason { try NDArray([1, 2] as [Float]).scalar(as: Float.self) }
                == "expected one element, the array has shape (2,)"
        )
        #expect(
            invalidValueReason { try NDArray([] as [Float]).scalar(as: Float.self) }
                == "expected one element, the array has shape (0,)"
        )
    }

    @Test func byteCount() throws {
        #expect(NDArray([1, 2, 3] as [Float]).byteCount == 12)
        #expect(try NDArray(shape: [2, 3], scalars: [Double](repeating: 0, count: 6)).byteCount == 48)
        #expect(NDArray(Int32(1)).byteCount == 4)
        #expect(NDArray([1, 2] as [Int64]).byteCount == 16)
        #expect(NDArray([true, false, true, false]).byteCount == 4)
        #expect(NDArray([] as [Float]).byteCount == 0)
        // Strings: one 16-byte String per element plus their UTF-8 bytes ("é" is 2, "日本" is 6).
        #expect(NDArray(["ab", "é", ""]).byteCount == 3 * 16 + 2 + 2 + 0)
        #expect(NDArray("日本").byteCount == 16 + 6)
        #expect(NDArray([] as [String]).byteCount == 0)
    }

    @Test func equality() throws {
        let a = try NDArray([[1, 2], [3, 4]] as [[Float]])
        #expect(a == (try NDArray(shape: [2, 2], scalars: [1, 2, 3, 4] as [Float])))
        #expect(a != NDArray([1, 2, 3, 4] as [Float]))  // same elements, other shape
        #expect(a != (try NDArray([[1, 2], [3, 5]] as [[Float]])))
        #expect(a != (try NDArray([[1, 2], [3, 4]] as [[Double]])))  // same values, other dtype
        #expect(NDArray(Int64(1)) != NDArray(Int32(1)))
        #expect(NDArray([] as [Float]) != NDArray([] as [Double]))
        #expect(NDArray(Float.nan) != NDArray(Float.nan))  // element-wise IEEE equality
    }

    @Test func sharesStorage() throws {
        let a = NDArray([1, 2, 3, 4] as [Float])
        let copy = a
        #expect(a.sharesStorage(with: a))
        #expect(a.sharesStorage(with: copy))
        #expect(a.sharesStorage(with: try a.reshaped(to: [2, 2])))
        #expect(a.sharesStorage(with: try a.converted(to: .float32)))
        #expect(a.sharesStorage(with: try a.makeNDArray()))
        #expect(!a.sharesStorage(with: NDArray([1, 2, 3, 4] as [Float])))
        #expect(!a.sharesStorage(with: try a.converted(to: .float64)))
        #expect(!a.sharesStorage(with: NDArray([1, 2, 3, 4] as [Int32])))
        let empty = NDArray([] as [Float])
        #expect(!empty.sharesStorage(with: empty))
        let strings = NDArray(["a", "b"])
        #expect(strings.sharesStorage(with: try strings.reshaped(to: [1, 2])))
    }

    @Test func shapeAccessors() throws {
        let a = try NDArray(shape: [2, 3, 4], scalars: [Int32](repeating: 0, count: 24))
        #expect(a.rank == 3 && a.elementCount == 24 && a.shape == [2, 3, 4] && a.shape.isFullyDefined)
        #expect(a.storage.count == 24 && a.storage.dtype == .int32)
    }
}
