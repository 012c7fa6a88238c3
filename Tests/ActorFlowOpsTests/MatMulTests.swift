import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("MatMul")
struct MatMulTests {
    let runner = MiniRunner()

    @Test func smallProductByHand() throws {
        let g = Graph()
        let a = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]])
        let b = g.constant([[1], [0], [1]] as [[Float]])
        let y = g.matMul(a, b, name: "y")
        #expect(y.op.name == "y" && y.op.type == "MatMul" && y.shape == [2, 1])
        #expect(try runner.run(y) == NDArray([[4], [10]] as [[Float]]))
        #expect(try runner.run(g.matMul(a, a, transposeB: true)) == NDArray([[14, 32], [32, 77]] as [[Float]]))
        #expect(try runner.run(g.matMul(a, a, transposeA: true)).dimensions == [3, 3])
    }

    /// Shapes that hit the small path, the blocked path, partial tiles at every edge and several depth blocks; the
    /// last three cut the fused kernel's 6×16 tiles and 96-row blocks at every edge (a last tile of 7 columns, of
    /// 8, of 1 row, 16-column tiles with rows left over, two column blocks).
    static let sizes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (3, 5, 2), (7, 9, 13), (33, 40, 31), (64, 64, 64), (65, 257, 19), (5, 300, 70), (130, 17, 520),
        (100, 300, 23), (97, 64, 40), (193, 90, 530),
    ]

    @Test("float32 against the naive product, all transpose flags", arguments: sizes)
    func float32AgainstReference(m: Int, k: Int, n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(m * 1_000_003 + k * 1009 + n))
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
        let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &rng) }
        let expected = naive(a, b, m: m, k: k, n: n)
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let g = Graph()
            let av = ta ? transposed(a, rows: m, columns: k) : a
            let bv = tb ? transposed(b, rows: k, columns: n) : b
            let y = g.matMul(
                g.constant(try NDArray(shape: ta ? [k, m] : [m, k], scalars: av)),
                g.constant(try NDArray(shape: tb ? [n, k] : [k, n], scalars: bv)), transposeA: ta, transposeB: tb)
            #expect(y.shape == TensorShape([m, n]))
            let got = try runner.run(y)
            #expect(got.dimensions == [m, n])
            let values = try got.scalars(as: Float.self)
            let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-4 * Float(k), "m=\(m) k=\(k) n=\(n) transposeA=\(ta) transposeB=\(tb)")
        }
    }

    @Test("float64, int32 and int64 products are exact", arguments: [(9, 70, 11), (40, 33, 50), (97, 300, 37)])
    func otherDTypes(m: Int, k: Int, n: Int) throws {
        var rng = SeededGenerator(seed: 42)
        let a = (0..<(m * k)).map { _ in Int.random(in: -9...9, using: &rng) }
        let b = (0..<(k * n)).map { _ in Int.random(in: -9...9, using: &rng) }
        let expected = naive(a.map(Double.init), b.map(Double.init), m: m, k: k, n: n)
        let g = Graph()
        let d = g.matMul(
            g.constant(try NDArray(shape: [m, k], scalars: a.map(Double.init))),
            g.constant(try NDArray(shape: [n, k], scalars: transposed(b, rows: k, columns: n).map(Double.init))),
            transposeB: true)
        #expect(try runner.run(d).scalars(as: Double.self) == expected)
        let i = g.matMul(
            g.constant(try NDArray(shape: [k, m], scalars: transposed(a, rows: m, columns: k).map { Int32($0) })),
            g.constant(try NDArray(shape: [k, n], scalars: b.map { Int32($0) })), transposeA: true)
        #expect(try runner.run(i).scalars(as: Int32.self) == expected.map { Int32($0) })
        let l = g.matMul(
            g.constant(try NDArray(shape: [m, k], scalars: a.map { Int64($0) })),
            g.constant(try NDArray(shape: [k, n], scalars: b.map { Int64($0) })))
        #expect(try runner.run(l).scalars(as: Int64.self) == expected.map { Int64($0) })
    }

    @Test func emptyDimensions() throws {
        let g = Graph()
        let zeroDepth = g.matMul(g.zeros(shape: [2, 0]), g.zeros(shape: [0, 3]))
        #expect(try runner.run(zeroDepth) == NDArray(shape: [2, 3], scalars: [Float](repeating: 0, count: 6)))
        let noRows = g.matMul(g.zeros(shape: [0, 4]), g.zeros(shape: [4, 3]))
        #expect(try runner.run(noRows).dimensions == [0, 3])
    }

    @Test func innerDimensionMismatchIsABuildError() {
        let g = Graph()
        let y = g.matMul(g.zeros(shape: [2, 3]), g.zeros(shape: [2, 2]))
        #expect(buildError(y) == "MatMul: inner dimensions 3 and 2 differ for a (2, 3) and b (2, 2)")
        let ok = g.matMul(g.zeros(shape: [2, 3]), g.zeros(shape: [2, 3]), transposeB: true)
        #expect(ok.op.buildError == nil && ok.shape == [2, 2])
    }

    @Test func rankAndDTypeProblemsAreBuildErrors() {
        let g = Graph()
        #expect(
            buildError(g.matMul(g.zeros(shape: [2]), g.zeros(shape: [2, 2])))
                == "MatMul: a must be a matrix, got shape (2,)")
        #expect(
            buildError(g.matMul(g.zeros(shape: [2, 2]), g.zeros(shape: [2, 2], dtype: .float64)))?.hasPrefix(
                "MatMul: Input 'b'") == true)
        #expect(
            buildError(g.matMul(g.zeros(shape: [1, 1], dtype: .bool), g.zeros(shape: [1, 1], dtype: .bool))) != nil)
    }

    @Test func partialShapesAndRuntimeMismatch() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 3])
        let w = g.placeholder(.float32)
        let y = g.matMul(x, w)
        #expect(y.shape == [nil, nil])
        #expect(g.matMul(x, g.zeros(shape: [3, 4])).shape == [nil, 4])
        let message = kernelMessage {
            _ = try runner.run(
                y,
                feeds: [
                    x: NDArray(shape: [2, 3], scalars: [Float](repeating: 1, count: 6)),
                    w: NDArray(shape: [2, 2], scalars: [Float](repeating: 1, count: 4)),
                ])
        }
        #expect(message == "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,2]")
        let notMatrix = kernelMessage {
            _ = try runner.run(
                y,
                feeds: [
                    x: NDArray(shape: [1, 3], scalars: [Float](repeating: 1, count: 3)),
                    w: NDArray([1, 2, 3] as [Float]),
                ])
        }
        #expect(notMatrix == "In[1] is not a matrix. Instead it has shape [3]")
    }

    private func naive<T: Numeric>(_ a: [T], _ b: [T], m: Int, k: Int, n: Int) -> [T] {
        var c = [T](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: T = 0
                for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = s
            }
        }
        return c
    }

    private func transposed<T>(_ x: [T], rows: Int, columns: Int) -> [T] {
        (0..<(rows * columns)).map { idx in x[(idx % rows) * columns + idx / rows] }
    }
}
