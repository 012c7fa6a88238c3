import ActorFlow
import ActorFlowTestSupport
import Testing

/// The kernels that split their loops give the same results split as on one thread: bit for bit, except
/// reductions to one value, whose fixed chunking makes them the same on any pool (and close to the plain sum).
@Suite("Intra-op kernels")
struct IntraOpKernelTests {
    /// Deterministic values in [-1, 1), including some that matter (zeros, negatives).
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float((($0 &* 2_654_435_761 &+ seed) >> 7) % 2001) / 1000 - 1 }
    }

    /// Runs `fetches` with the same feeds on one session that may split ops over a 2-worker pool and one that
    /// may not; returns both results' bit patterns.
    static func splitAndSerial(
        _ g: Graph, _ fetches: [Tensor], feeds: FeedDict
    ) async throws -> (split: [[UInt32]], serial: [[UInt32]]) {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let split = Session(graph: g, options: SessionOptions(executor: pool))
        let serial = Session(graph: g, options: SessionOptions(executor: pool, intraOpParallelism: 1))
        func bits(_ session: Session) async throws -> [[UInt32]] {
            try await onPlainThread {
                try session.run(fetches, feeds: feeds).map { try $0.scalars(as: Float.self).map(\.bitPattern) }
            }
        }
        return (try await bits(split), try await bits(serial))
    }

    @Test("element-wise binary and unary ops (same shapes and broadcast) and casts, equal bit for bit")
    func elementwise() async throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [600, 1000], name: "a")
        let b = g.placeholder(.float32, shape: [600, 1000], name: "b")
        let row = g.placeholder(.float32, shape: [1000], name: "row")
        let column = g.placeholder(.float32, shape: [600, 1], name: "column")
        let fetches = [
            g.add(a, b), g.mul(a, b), g.div(a, g.add(b, g.constant(Float(3)))), g.add(a, row), g.mul(column, a),
            g.sub(a, g.constant(Float(0.5))), g.maximum(row, a), g.exp(a), g.tanh(b), g.relu(a), g.neg(b),
            g.cast(g.cast(g.mul(a, g.constant(Float(1000))), to: .int32), to: .float32),
            g.cast(g.cast(a, to: .float64), to: .float32), g.cast(g.cast(b, to: .bool), to: .float32),
        ]
        let feeds: FeedDict = [
            a: try NDArray(shape: [600, 1000], scalars: Self.values(600_000, seed: 1)),
            b: try NDArray(shape: [600, 1000], scalars: Self.values(600_000, seed: 2)),
            row: NDArray(Self.values(1000, seed: 3)),
            column: try NDArray(shape: [600, 1], scalars: Self.values(600, seed: 4)),
        ]
        let (split, serial) = try await Self.splitAndSerial(g, fetches, feeds: feeds)
        for i in fetches.indices { #expect(split[i] == serial[i], "fetch \(i): \(fetches[i].name)") }
    }

    @Test("reductions over kept leading axes equal bit for bit; full reductions agree on any pool")
    func reductions() async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [300, 40, 50], name: "x")
        let flat = g.placeholder(.float32, shape: [1 << 20], name: "flat")
        let fetches = [
            g.reduceSum(x, axes: [2]), g.reduceSum(x, axes: [1, 2]), g.reduceMean(x, axes: [1]),
            g.reduceMax(x, axes: [2]), g.reduceMin(x, axes: [0]), g.reduceSum(x, axes: [0, 2]),
            g.reduceSum(flat), g.reduceMean(flat), g.reduceMax(flat), g.reduceSum(x),
        ]
        let xs = Self.values(600_000, seed: 5)
        let fs = Self.values(1 << 20, seed: 6)
        let feeds: FeedDict = [x: try NDArray(shape: [300, 40, 50], scalars: xs), flat: NDArray(fs)]
        let (split, serial) = try await Self.splitAndSerial(g, fetches, feeds: feeds)
        for i in fetches.indices { #expect(split[i] == serial[i], "fetch \(i): \(fetches[i].name)") }
        // The chunked full sum is close to a double-precision sum.
        let exact = fs.reduce(0.0) { $0 + Double($1) }
        let got = Double(Float(bitPattern: split[6][0]))
        #expect(abs(got - exact) <= 1e-5 * fs.reduce(0.0) { $0 + abs(Double($1)) })
        #expect(Float(bitPattern: split[8][0]) == fs.max())
    }

    @Test("matMul split over row blocks equals the unsplit product bit for bit, every transpose")
    func matMul() async throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [130, 300], name: "a")
        let b = g.placeholder(.float32, shape: [300, 200], name: "b")
        let at = g.placeholder(.float32, shape: [300, 130], name: "at")
        let bt = g.placeholder(.float32, shape: [200, 300], name: "bt")
        let fetches = [
            g.matMul(a, b), g.matMul(at, b, transposeA: true), g.matMul(a, bt, transposeB: true),
            g.matMul(at, bt, transposeA: true, transposeB: true),
        ]
        let av = Self.values(39_000, seed: 7)
        let bv = Self.values(60_000, seed: 8)
        var atv = [Float](repeating: 0, count: av.count)
        for i in 0..<130 { for j in 0..<300 { atv[j * 130 + i] = av[i * 300 + j] } }
        var btv = [Float](repeating: 0, count: bv.count)
        for i in 0..<300 { for j in 0..<200 { btv[j * 300 + i] = bv[i * 200 + j] } }
        let feeds: FeedDict = [
            a: try NDArray(shape: [130, 300], scalars: av), b: try NDArray(shape: [300, 200], scalars: bv),
            at: try NDArray(shape: [300, 130], scalars: atv), bt: try NDArray(shape: [200, 300], scalars: btv),
        ]
        let (split, serial) = try await Self.splitAndSerial(g, fetches, feeds: feeds)
        for i in fetches.indices { #expect(split[i] == serial[i], "fetch \(i)") }
        // Every transpose combination packs to the same operands, so all four products are the same bits.
        for i in 1..<fetches.count { #expect(split[i] == split[0], "fetch \(i)") }
        // Spot-check against a double-precision product.
        for (i, j) in [(0, 0), (17, 145), (129, 199), (64, 1)] {
            var exact = 0.0
            for k in 0..<300 { exact += Double(av[i * 300 + k]) * Double(bv[k * 200 + j]) }
            #expect(abs(Double(Float(bitPattern: split[0][i * 200 + j])) - exact) <= 1e-3)
        }
    }
}
