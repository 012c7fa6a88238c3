import ActorFlow
import ActorFlowCore
import ActorFlowTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Softmax, transpose, concat and fill split their loops (issue #12): split on a 2-worker pool they give the same
/// bits as on one thread, large tensors split into several chunks and small ones stay one.
@Suite("Intra-op shape kernels")
struct IntraOpShapeKernelsTests {
    /// Deterministic values in [-8, 8), with repeats, zeros and negatives.
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float((($0 &* 2_654_435_761 &+ seed) >> 7) % 16001) / 1000 - 8 }
    }

    /// Whether two arrays have the same dimensions and elements, floating-point ones compared bit for bit.
    static func identical(_ a: NDArray, _ b: NDArray) throws -> Bool {
        guard a.dtype == b.dtype, a.dimensions == b.dimensions else { return false }
        switch a.dtype {
        case .float32:
            return try a.scalars(as: Float.self).map(\.bitPattern) == b.scalars(as: Float.self).map(\.bitPattern)
        case .float64:
            return try a.scalars(as: Double.self).map(\.bitPattern) == b.scalars(as: Double.self).map(\.bitPattern)
        default: return a == b
        }
    }

    /// Runs `fetches` on a session that may split ops over a 2-worker pool (`intraOpParallelism: 0`) and on one
    /// that may not (`intraOpParallelism: 1`); expects the same dimensions and bits, and returns the split results.
    static func expectSplitEqualsSerial(_ g: Graph, _ fetches: [Tensor], feeds: FeedDict = [:]) async throws
        -> [NDArray]
    {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let split = Session(graph: g, options: SessionOptions(executor: pool, intraOpParallelism: 0))
        let serial = Session(graph: g, options: SessionOptions(executor: pool, intraOpParallelism: 1))
        let splitValues = try await onPlainThread { try split.run(fetches, feeds: feeds) }
        let serialValues = try await onPlainThread { try serial.run(fetches, feeds: feeds) }
        for i in fetches.indices {
            #expect(try identical(splitValues[i], serialValues[i]), "fetch \(i): \(fetches[i].name)")
        }
        return splitValues
    }

    // MARK: Same bits split and unsplit, on a real pool

    @Test("softmax, float and double, 4M elements: the same bits split and unsplit, rows summing to 1")
    func softmax() async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2048, 2048], name: "x")
        let y = g.placeholder(.float64, shape: [1024, 4096], name: "y")
        let xs = Self.values(1 << 22, seed: 1)
        let ys = Self.values(1 << 22, seed: 2).map { Double($0) * 3 }
        let feeds: FeedDict = [
            x: try NDArray(shape: [2048, 2048], scalars: xs), y: try NDArray(shape: [1024, 4096], scalars: ys),
        ]
        let out = try await Self.expectSplitEqualsSerial(g, [g.softmax(x), g.softmax(y)], feeds: feeds)
        let p = try out[0].scalars(as: Float.self)
        let q = try out[1].scalars(as: Double.self)
        // Sampled elements against a softmax computed here in double precision.
        for (row, column) in [(0, 0), (1023, 2047), (2047, 17), (700, 1500)] {
            let logits = xs[(row * 2048)..<((row + 1) * 2048)].map { Double($0) }
            let peak = logits.max()!
            let expected = exp(logits[column] - peak) / logits.reduce(0) { $0 + exp($1 - peak) }
            let got = Double(p[row * 2048 + column])
            #expect(abs(got - expected) <= 1e-4 * expected + 1e-12, "float (\(row), \(column))")
        }
        for (row, column) in [(0, 4095), (511, 0), (1023, 2222)] {
            let logits = Array(ys[(row * 4096)..<((row + 1) * 4096)])
            let peak = logits.max()!
            let expected = exp(logits[column] - peak) / logits.reduce(0) { $0 + exp($1 - peak) }
            #expect(abs(q[row * 4096 + column] - expected) <= 1e-12 * expected, "double (\(row), \(column))")
            #expect(abs(q[(row * 4096)..<((row + 1) * 4096)].reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test("transpose, 3-D tiled and row permutations and 2-D, 4M elements: the same bits split and unsplit")
    func transpose() async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [64, 256, 256], name: "x")
        let m = g.placeholder(.int32, shape: [2048, 2048], name: "m")
        let xs = Self.values(1 << 22, seed: 3)
        let ms = (0..<Int32(1 << 22)).map { $0 &* 7 }
        let feeds: FeedDict = [
            x: try NDArray(shape: [64, 256, 256], scalars: xs), m: try NDArray(shape: [2048, 2048], scalars: ms),
        ]
        let fetches = [g.transpose(x, perm: [2, 0, 1]), g.transpose(x, perm: [1, 0, 2]), g.transpose(m)]
        let out = try await Self.expectSplitEqualsSerial(g, fetches, feeds: feeds)
        #expect(out.map(\.dimensions) == [[256, 64, 256], [256, 64, 256], [2048, 2048]])
        let tiled = try out[0].scalars(as: Float.self)
        let rows = try out[1].scalars(as: Float.self)
        let flipped = try out[2].scalars(as: Int32.self)
        for (i, j, k) in [(0, 0, 0), (63, 255, 255), (5, 200, 7), (40, 1, 129)] {
            let input = xs[(i * 256 + j) * 256 + k]
            #expect(tiled[(k * 64 + i) * 256 + j] == input, "[2, 0, 1] at \((i, j, k))")
            #expect(rows[(j * 64 + i) * 256 + k] == input, "[1, 0, 2] at \((i, j, k))")
        }
        for (i, j) in [(0, 0), (2047, 0), (3, 2046), (1234, 999)] {
            #expect(flipped[j * 2048 + i] == ms[i * 2048 + j], "2-D at \((i, j))")
        }
    }

    @Test("concat along axis 0 and a middle axis, 4M elements: the same bits split and unsplit")
    func concat() async throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [1024, 2048], name: "a")
        let b = g.placeholder(.float32, shape: [1024, 2048], name: "b")
        let c = g.placeholder(.float64, shape: [64, 100, 320], name: "c")
        let d = g.placeholder(.float64, shape: [64, 105, 320], name: "d")
        let (av, bv) = (Self.values(1 << 21, seed: 4), Self.values(1 << 21, seed: 5))
        let cv = Self.values(64 * 100 * 320, seed: 6).map(Double.init)
        let dv = Self.values(64 * 105 * 320, seed: 7).map(Double.init)
        let feeds: FeedDict = [
            a: try NDArray(shape: [1024, 2048], scalars: av), b: try NDArray(shape: [1024, 2048], scalars: bv),
            c: try NDArray(shape: [64, 100, 320], scalars: cv), d: try NDArray(shape: [64, 105, 320], scalars: dv),
        ]
        let fetches = [g.concat([a, b], axis: 0), g.concat([c, d, c], axis: 1)]
        let out = try await Self.expectSplitEqualsSerial(g, fetches, feeds: feeds)
        #expect(out.map(\.dimensions) == [[2048, 2048], [64, 305, 320]])
        let rows = try out[0].scalars(as: Float.self)
        let middle = try out[1].scalars(as: Double.self)
        for (i, j) in [(0, 0), (1023, 2047), (1024, 0), (2047, 2047), (1500, 3)] {
            let expected = i < 1024 ? av[i * 2048 + j] : bv[(i - 1024) * 2048 + j]
            #expect(rows[i * 2048 + j] == expected, "axis 0 at \((i, j))")
        }
        for (i, j, k) in [(0, 0, 0), (63, 99, 319), (10, 100, 5), (31, 204, 300), (7, 205, 0), (63, 304, 319)] {
            let expected =
                j < 100 ? cv[(i * 100 + j) * 320 + k]
                : j < 205 ? dv[(i * 105 + j - 100) * 320 + k] : cv[(i * 100 + j - 205) * 320 + k]
            #expect(middle[(i * 305 + j) * 320 + k] == expected, "axis 1 at \((i, j, k))")
        }
    }

    @Test("fill, float and int32, 4M elements: the same bits split and unsplit")
    func fill() async throws {
        let g = Graph()
        let fetches = [g.fill([2048, 2048], value: Float(-0.375)), g.fill([4, 1024, 1024], value: Int32(-7))]
        let out = try await Self.expectSplitEqualsSerial(g, fetches)
        #expect(out.map(\.dimensions) == [[2048, 2048], [4, 1024, 1024]])
        let f = try out[0].scalars(as: Float.self)
        let n = try out[1].scalars(as: Int32.self)
        #expect(f.count == 1 << 22 && f[0] == -0.375 && f[(1 << 22) - 1] == -0.375 && f[123_457] == -0.375)
        #expect(f.allSatisfy { $0 == -0.375 } && n.allSatisfy { $0 == -7 })
    }

    // MARK: How the kernels split

    /// An ``IntraOpPool`` that records how many chunks each split loop made and runs them on the calling thread,
    /// last chunk first (so a chunk that depended on the one before it would show).
    final class ChunkCounter: IntraOpPool {
        let loops = Mutex<[Int]>([])

        var parallelism: Int { 2 }

        func run(
            chunks count: Int, participants: Int, cancellation: StepCancellation,
            _ chunk: @Sendable (Int) throws -> Void
        ) throws {
            loops.withLock { $0.append(count) }
            for index in (0..<count).reversed() { try chunk(index) }
        }
    }

    /// Runs `t`'s kernel on `inputs` (its op's input values) with loops that may split; returns the value and
    /// the chunk count of every split loop, after expecting the value to match the unsplit kernel's bit for bit.
    static func chunks(_ t: Tensor, _ inputs: [NDArray]) throws -> (value: NDArray, loops: [Int]) {
        let counter = ChunkCounter()
        let runner = IntraOpRunner(pool: counter, limit: 0)
        let state = SessionState()
        let split = try t.op.kernel.compute(
            KernelContext(
                op: t.op, inputs: inputs, state: state, stepID: 1, cancellation: StepCancellation(), intraOp: runner))
        let serial = try t.op.kernel.compute(
            KernelContext(op: t.op, inputs: inputs, state: state, stepID: 2, cancellation: StepCancellation()))
        #expect(try identical(split[t.index], serial[t.index]), "\(t.op.type)")
        return (split[t.index], counter.loops.withLock { $0 })
    }

    /// Whether the kernel made exactly one split loop of at least two chunks.
    static func split(_ loops: [Int]) -> Bool { loops.count == 1 && loops[0] >= 2 }

    @Test("large softmax, transpose, concat and fill split into chunks; small ones stay one")
    func chunkCounts() throws {
        let g = Graph()
        let f32 = g.placeholder(.float32, name: "f32")
        let f64 = g.placeholder(.float64, name: "f64")
        let other = g.placeholder(.float32, name: "other")
        let dims = g.placeholder(.int32, shape: [nil], name: "dims")
        func array(_ shape: [Int], seed: Int) throws -> NDArray {
            try NDArray(shape: shape, scalars: Self.values(shape.reduce(1, *), seed: seed))
        }
        func doubles(_ shape: [Int], seed: Int) throws -> NDArray {
            try NDArray(shape: shape, scalars: Self.values(shape.reduce(1, *), seed: seed).map(Double.init))
        }
        func dimsValue(_ shape: [Int]) -> NDArray { NDArray(shape.map { Int32($0) }) }

        // Softmax: rows of 1024 cost about 30k cycles, so 7 rows and more split; a row is never cut.
        #expect(Self.split(try Self.chunks(g.softmax(f32), [try array([256, 1024], seed: 1)]).loops))
        #expect(Self.split(try Self.chunks(g.softmax(f64), [try doubles([128, 1024], seed: 2)]).loops))
        #expect(try Self.chunks(g.softmax(f32), [try array([4, 1024], seed: 3)]).loops.isEmpty)
        #expect(try Self.chunks(g.softmax(f32), [try array([1, 1 << 18], seed: 3)]).loops.isEmpty)
        #expect(try Self.chunks(g.softmax(f64), [try doubles([3, 5], seed: 4)]).loops.isEmpty)

        // Transpose: tiled (the input's last axis moves), rows (it stays last) and 2-D; the identity forwards.
        let cube = try array([32, 64, 128], seed: 5)
        for perm in [[2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0]] {
            #expect(Self.split(try Self.chunks(g.transpose(f32, perm: perm), [cube]).loops), "\(perm)")
            #expect(try Self.chunks(g.transpose(f32, perm: perm), [try array([3, 4, 5], seed: 6)]).loops.isEmpty)
        }
        #expect(Self.split(try Self.chunks(g.transpose(f32), [try array([512, 512], seed: 7)]).loops))
        #expect(try Self.chunks(g.transpose(f32), [try array([8, 8], seed: 8)]).loops.isEmpty)
        #expect(try Self.chunks(g.transpose(f32, perm: [0, 1, 2]), [cube]).loops.isEmpty)

        // Concat: the inputs' elements in turn, whatever the axis (along axis 0 the output is one row).
        let rows = g.concat([f32, other], axis: 0)
        let bigRows = [try array([256, 512], seed: 9), try array([100, 512], seed: 10)]
        #expect(Self.split(try Self.chunks(rows, bigRows).loops))
        #expect(try Self.chunks(rows, [try array([2, 3], seed: 11), try array([1, 3], seed: 12)]).loops.isEmpty)
        let middle = g.concat([f32, other], axis: 1)
        let bigMiddle = [try array([16, 50, 320], seed: 13), try array([16, 30, 320], seed: 14)]
        #expect(Self.split(try Self.chunks(middle, bigMiddle).loops))
        #expect(try Self.chunks(middle, [try array([2, 3, 4], seed: 15), try array([2, 1, 4], seed: 16)]).loops.isEmpty)
        // Many parts of different widths, one of them empty: chunks start and end inside parts and rows.
        let empty = g.placeholder(.float32, name: "empty")
        let mixed = g.concat([f32, empty, other, f32], axis: 1)
        let (left, right) = (try array([300, 100], seed: 17), try array([300, 7], seed: 18))
        let joined = try Self.chunks(mixed, [left, try NDArray(shape: [300, 0], scalars: [Float]()), right, left])
        #expect(Self.split(joined.loops) && joined.value.dimensions == [300, 207])
        let (l, r) = (try left.scalars(as: Float.self), try right.scalars(as: Float.self))
        let j = try joined.value.scalars(as: Float.self)
        for row in [0, 151, 299] {
            #expect(j[row * 207 + 99] == l[row * 100 + 99] && j[row * 207 + 100] == r[row * 7])
            #expect(j[row * 207 + 106] == r[row * 7 + 6] && j[row * 207 + 107] == l[row * 100])
        }

        // Fill: the output buffer in chunks (bool too); strings stay one `repeating` fill.
        let n = 512 * 1024
        let fills: [(value: NDArray, expected: NDArray)] = [
            (NDArray(Float(1.5)), try NDArray(shape: [512, 1024], scalars: [Float](repeating: 1.5, count: n))),
            (NDArray(Int32(3)), try NDArray(shape: [512, 1024], scalars: [Int32](repeating: 3, count: n))),
            (NDArray(true), try NDArray(shape: [512, 1024], scalars: [Bool](repeating: true, count: n))),
            (NDArray("s"), try NDArray(shape: [512, 1024], scalars: [String](repeating: "s", count: n))),
        ]
        for (value, expected) in fills {
            let filled = g.fill(dims, value: g.placeholder(value.dtype))
            let large = try Self.chunks(filled, [dimsValue([512, 1024]), value])
            #expect(Self.split(large.loops) == (value.dtype != .string), "\(value.dtype)")
            #expect(large.value == expected, "\(value.dtype)")
            #expect(try Self.chunks(filled, [dimsValue([10, 10]), value]).loops.isEmpty)
        }
    }

    @Test("strings transpose and concat through split chunks; empty tensors with huge dimensions do not loop")
    func stringsAndEmpties() throws {
        let g = Graph()
        let s = g.placeholder(.string, name: "s")
        let t = g.placeholder(.string, name: "t")
        let words = (0..<60_000).map { "w\($0 % 977)" }
        let matrix = try NDArray(shape: [200, 300], scalars: words)
        let flipped = try Self.chunks(g.transpose(s), [matrix])
        #expect(Self.split(flipped.loops))
        let out = try flipped.value.scalars(as: String.self)
        #expect(out[299 * 200 + 199] == words[199 * 300 + 299] && out[5 * 200 + 7] == words[7 * 300 + 5])
        let joined = try Self.chunks(g.concat([s, t], axis: 1), [matrix, matrix])
        #expect(Self.split(joined.loops))
        #expect(try joined.value.scalars(as: String.self)[(150 * 600 + 300 + 4)] == words[150 * 300 + 4])

        // [2^40, 0] and friends: no element, no loop.
        let f = g.placeholder(.float32, name: "f")
        let h = g.placeholder(.float32, name: "h")
        let huge = try NDArray(shape: [1 << 40, 0], scalars: [Float]())
        let concatenated = try Self.chunks(g.concat([f, h], axis: 0), [huge, huge])
        #expect(concatenated.value.dimensions == [1 << 41, 0] && concatenated.loops.isEmpty)
        let softmaxed = try Self.chunks(g.softmax(f), [try NDArray(shape: [1 << 40, 0], scalars: [Float]())])
        #expect(softmaxed.value.dimensions == [1 << 40, 0] && softmaxed.loops.isEmpty)
        #expect(try Self.chunks(g.transpose(f), [huge]).value.dimensions == [0, 1 << 40])
        let dims = g.placeholder(.int64, shape: [2], name: "dims64")
        let filled = try Self.chunks(
            g.fill(dims, value: g.constant(Float(1))), [NDArray([1 << 40, 0] as [Int64]), NDArray(Float(1))])
        #expect(filled.value.dimensions == [1 << 40, 0] && filled.loops.isEmpty)
    }
}
