import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Cast")
struct CastTests {
    let runner = MiniRunner()

    @Test func floatToIntegerTruncatesAndSaturates() throws {
        let g = Graph()
        let x = g.constant([1.9, -1.9, 0.5, 3e9, -3e9, .nan, .infinity, -.infinity] as [Float])
        let y = g.cast(x, to: .int32)
        #expect(y.op.type == "Cast" && y.dtype == .int32 && y.shape == [8])
        #expect(try runner.run(y) == NDArray([1, -1, 0, .max, .min, 0, .max, .min] as [Int32]))
        let big = g.cast(g.constant([9.3e18, -9.3e18, 2147483647.9] as [Double]), to: .int64)
        #expect(try runner.run(big) == NDArray([.max, .min, 2_147_483_647] as [Int64]))
    }

    @Test func integerNarrowingKeepsLowBits() throws {
        let g = Graph()
        let y = g.cast(g.constant([(1 << 32) + 1, -1, 1 << 31] as [Int64]), to: .int32)
        #expect(try runner.run(y) == NDArray([1, -1, Int32.min] as [Int32]))
    }

    @Test func toAndFromBoolAndFloat() throws {
        let g = Graph()
        #expect(try runner.run(g.cast(g.constant([0, 2, -1] as [Int32]), to: .bool)) == NDArray([false, true, true]))
        #expect(try runner.run(g.cast(g.constant([true, false]), to: .float64)) == NDArray([1, 0] as [Double]))
        #expect(try runner.run(g.cast(g.constant([0.0, .nan] as [Double]), to: .bool)) == NDArray([false, true]))
        #expect(
            try runner.run(g.cast(g.constant([16_777_217] as [Int32]), to: .float32))
                == NDArray([16_777_216] as [Float]))
        #expect(try runner.run(g.cast(g.constant([1e300] as [Double]), to: .float32)) == NDArray([Float.infinity]))
        let same = g.constant([1, 2] as [Int32])
        #expect(try runner.run(g.cast(same, to: .int32)) == NDArray([1, 2] as [Int32]))
    }

    @Test func stringsAreRejectedAtBuildTime() {
        let g = Graph()
        #expect(buildError(g.cast(g.constant(["1"]), to: .int32)) == "Cast: casting string to int32 is not supported")
        #expect(buildError(g.cast(g.constant([1] as [Float]), to: .string)) != nil)
        #expect(g.cast(g.constant(["a"]), to: .string).op.buildError == nil)
    }
}
