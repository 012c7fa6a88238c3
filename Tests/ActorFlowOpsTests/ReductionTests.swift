import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Reductions")
struct ReductionTests {
    let runner = MiniRunner()

    @Test func sumOverEveryAxisChoice() throws {
        let g = Graph()
        let m = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])
        let all = g.reduceSum(m)
        #expect(all.op.type == "Sum" && all.op.name == "Sum" && all.shape == .scalar)
        #expect(try runner.run(all) == NDArray(Float(21)))
        #expect(try runner.run(g.reduceSum(m, axes: [0])) == NDArray([5, 7, 9] as [Float]))
        #expect(try runner.run(g.reduceSum(m, axes: [1])) == NDArray([6, 15] as [Float]))
        let kept = g.reduceSum(m, axes: [-1], keepDims: true)
        #expect(kept.shape == [2, 1])
        #expect(try runner.run(kept) == NDArray([[6], [15]] as [[Float]]))
        let both = g.reduceSum(m, axes: [0, -1], keepDims: true)
        #expect(both.shape == [1, 1])
        #expect(try runner.run(both) == NDArray([[21]] as [[Float]]))
        #expect(try runner.run(g.reduceSum(m, axes: [])) == NDArray([[1, 2, 3], [4, 5, 6]] as [[Float]]))
    }

    /// Alternating reduced and kept axes on a rank-4 tensor, checked against a direct computation.
    @Test func rank4AgainstReference() throws {
        let dims = [2, 3, 4, 5]
        let values = (0..<120).map { Int64($0 * 7 % 11) }
        let g = Graph()
        let t = g.constant(try NDArray(shape: dims, scalars: values))
        for axes in [[0], [1], [3], [0, 2], [1, 3], [0, 1, 3], [-1, -3], [2, 1]] {
            let reduced = Set(axes.map { $0 < 0 ? $0 + 4 : $0 })
            let outDims = dims.indices.filter { !reduced.contains($0) }.map { dims[$0] }
            var expected = [Int64](repeating: 0, count: outDims.reduce(1, *))
            for flat in 0..<120 {
                var rest = flat
                var coords = [0, 0, 0, 0]
                for axis in (0..<4).reversed() {
                    coords[axis] = rest % dims[axis]
                    rest /= dims[axis]
                }
                var o = 0
                for axis in 0..<4 where !reduced.contains(axis) { o = o * dims[axis] + coords[axis] }
                expected[o] += values[flat]
            }
            let got = try runner.run(g.reduceSum(t, axes: axes))
            #expect(got == (try NDArray(shape: outDims, scalars: expected)), "axes \(axes)")
        }
    }

    /// A run is combined in sixteen lanes (element i in lane i % 16; lanes k and k + 8, then k and k + 4, then
    /// pairwise): the vector path of float and double sums and the scalar path of the other functions give exactly
    /// those bits, whatever the length's remainder.
    @Test(arguments: [1, 15, 16, 17, 1_000, 1_003])
    func runsCombineInTheDocumentedLaneOrder(count: Int) throws {
        func laneOrder<T>(_ x: [T], _ f: (T, T) -> T, identity: T) -> T {
            var lanes = [T](repeating: identity, count: 16)
            let whole = count / 16 * 16
            for i in 0..<whole { lanes[i % 16] = f(lanes[i % 16], x[i]) }
            for i in whole..<count { lanes[0] = f(lanes[0], x[i]) }
            let eight = (0..<8).map { f(lanes[$0], lanes[$0 + 8]) }
            let four = (0..<4).map { f(eight[$0], eight[$0 + 4]) }
            return f(f(four[0], four[1]), f(four[2], four[3]))
        }
        let floats = (0..<count).map { Float(($0 * 7_919) % 1_013) / 97 - 5 }
        let doubles = floats.map { Double($0) / 3 }
        let ints = (0..<count).map { Int32(($0 * 31) % 17) - 8 }
        let g = Graph()
        let floatSum = try runner.run(g.reduceSum(g.constant(NDArray(floats))))
        #expect(try floatSum.scalars(as: Float.self)[0].bitPattern == laneOrder(floats, +, identity: 0).bitPattern)
        let doubleSum = try runner.run(g.reduceSum(g.constant(NDArray(doubles))))
        #expect(try doubleSum.scalars(as: Double.self)[0].bitPattern == laneOrder(doubles, +, identity: 0).bitPattern)
        let floatProduct = try runner.run(g.reduceProd(g.constant(NDArray(floats.map { 1 + $0 / 1_000 }))))
        #expect(
            try floatProduct.scalars(as: Float.self)[0].bitPattern
                == laneOrder(floats.map { 1 + $0 / 1_000 }, *, identity: 1).bitPattern)
        #expect(try runner.run(g.reduceSum(g.constant(NDArray(ints)))) == NDArray(ints.reduce(0, &+)))
    }

    @Test func meanMaxMinProd() throws {
        let g = Graph()
        let m = g.constant([[1, 2], [3, 4]] as [[Float]])
        #expect(try runner.run(g.reduceMean(m, axes: [1])) == NDArray([1.5, 3.5] as [Float]))
        #expect(try runner.run(g.reduceMean(m)) == NDArray(Float(2.5)))
        let i = g.constant([[1, 7], [3, 4]] as [[Int32]])
        #expect(try runner.run(g.reduceMax(i, axes: [0])) == NDArray([3, 7] as [Int32]))
        #expect(try runner.run(g.reduceMin(i, axes: [1])) == NDArray([1, 3] as [Int32]))
        #expect(try runner.run(g.reduceMean(i, axes: [1])) == NDArray([4, 3] as [Int32]))
        #expect(try runner.run(g.reduceProd(g.constant([1, 2, 3, 4] as [Int64]))) == NDArray(Int64(24)))
        #expect(g.reduceMean(m).op.type == "Mean" && g.reduceMax(m).op.type == "Max")
    }

    @Test func emptyReductionsGiveIdentities() throws {
        let g = Graph()
        let empty = g.zeros(shape: [0, 3])
        #expect(try runner.run(g.reduceSum(empty, axes: [0])) == NDArray([0, 0, 0] as [Float]))
        #expect(try runner.run(g.reduceMax(empty)) == NDArray(-Float.infinity))
        #expect(try runner.run(g.reduceSum(empty, axes: [1])) == NDArray(shape: [0], scalars: [Float]()))
        #expect(try runner.run(g.reduceMean(empty)).scalars(as: Float.self)[0].isNaN)
        let ints = g.zeros(shape: [0], dtype: .int32)
        #expect(kernelMessage { _ = try runner.run(g.reduceMean(ints)) }?.contains("division by zero") == true)
    }

    @Test func badAxesAreBuildErrors() {
        let g = Graph()
        let m = g.zeros(shape: [2, 3])
        #expect(
            buildError(g.reduceSum(m, axes: [2])) == "Sum: Invalid reduction dimension (2 for input with 2 dimension(s)"
        )
        #expect(buildError(g.reduceMax(m, axes: [-3]))?.hasPrefix("Max: Invalid reduction dimension (-3") == true)
        #expect(buildError(g.reduceSum(m, axes: [0, -2]))?.contains("duplicate") == true)
        #expect(buildError(g.reduceSum(g.constant(["a"]))) != nil)
    }

    @Test func unknownRankDefersTheAxisCheckToTheKernel() {
        let g = Graph()
        let u = g.placeholder(.float32)
        #expect(g.reduceSum(u).shape == .scalar)
        #expect(g.reduceSum(u, axes: [0]).shape == .unknown)
        let y = g.reduceSum(u, axes: [3])
        #expect(y.op.buildError == nil)
        let message = kernelMessage { _ = try runner.run(y, feeds: [u: NDArray([1, 2] as [Float])]) }
        #expect(message == "Invalid reduction dimension (3 for input with 1 dimension(s)")
    }

    @Test func partialShapes() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 4, 5])
        #expect(g.reduceSum(x, axes: [1]).shape == [nil, 5])
        #expect(g.reduceMean(x, axes: [0], keepDims: true).shape == [1, 4, 5])
    }
}
