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

    @Test("element-wise binary and unary ops, same shapes and broadcast, equal bit for bit")
    func elementwise() async throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [600, 1000], name: "a")
        let b = g.placeholder(.float32, shape: [600, 1000], name: "b")
        let row = g.placeholder(.float32, shape: [1000], name: "row")
        let column = g.placeholder(.float32, shape: [600, 1], name: "column")
        let fetches = [
            g.add(a, b), g.mul(a, b), g.div(a, g.add(b, g.constant(Float(3)))), g.add(a, row), g.mul(column, a),
            g.sub(a, g.constant(Float(0.5))), g.maximum(row, a), g.exp(a), g.tanh(b), g.relu(a), g.neg(b),
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
}
