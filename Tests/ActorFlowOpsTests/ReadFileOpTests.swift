import ActorFlow
import ActorFlowTestSupport
import Testing

@Suite("readFile in a session", .timeLimit(.minutes(5)))
struct ReadFileOpTests {
    /// A `side × side` float32 matrix whose entries depend on `seed`, small integers so sums are exact.
    static func tile(_ seed: Int, side: Int) -> NDArray {
        let values = (0..<(side * side)).map { Float(($0 * 7 + seed * 13) % 11) - 5 }
        return try! NDArray(shape: [side, side], scalars: values)
    }

    /// Runs `fetches` in a session on its own `workers`-thread pool, from a plain thread (a run blocks its caller).
    static func run(
        _ g: Graph, _ fetches: [Tensor], feeds: FeedDict = [:], workers: Int = 2, options: RunOptions = RunOptions()
    ) async throws -> [NDArray] {
        let pool = WorkStealingExecutor(workers: workers)
        defer { pool.shutdown() }
        // The pool's own policy whatever ACTORFLOW_POLICY says: the point is what its workers do.
        let session = Session(graph: g, options: SessionOptions(policy: .default, executor: pool))
        return try await onPlainThread { try session.run(fetches, feeds: feeds, options: options) }
    }

    @Test("8 independent reads, each feeding a matMul and a sum, on a 2-worker pool give what constants give")
    func eightTilesOnTwoWorkers() async throws {
        let scratch = try ScratchDirectory()
        let tiles = (0..<8).map { Self.tile($0, side: 32) }
        let paths = try tiles.enumerated().map { i, tile in try scratch.write("tile-\(i).npy", bytes: try NumPyFile.encode(tile)) }

        func build(_ source: (Graph, Int) -> Tensor) -> (Graph, [Tensor]) {
            let g = Graph()
            let sums = (0..<8).map { i in
                let x = source(g, i)
                return g.reduceSum(g.matMul(x, x))
            }
            let total = sums.dropFirst().reduce(sums[0]) { g.add($0, $1) }
            return (g, sums + [total])
        }
        let (g, fetches) = build { g, i in g.readFile(paths[i], format: .npy(.float32, shape: [32, 32]), name: "read\(i)") }
        let reads = g.operations.filter { $0.type == "ReadTensorFile" }
        #expect(reads.count == 8 && reads.allSatisfy { $0.isStateful && $0.outputs[0].shape == [32, 32] })
        let (reference, referenceFetches) = build { g, i in g.constant(tiles[i]) }
        let expected = try await Self.run(reference, referenceFetches)
        #expect(try await Self.run(g, fetches) == expected)
    }
}

extension ReadFileOpTests {
    @Test("a path fed as a string tensor, raw files with an inferred dimension, and static output shapes")
    func pathTensorAndRaw() async throws {
        let scratch = try ScratchDirectory()
        let longs: [Int64] = [1, 2, 3, 4, 5, 6]
        let npy = try scratch.write("x.npy", bytes: try NumPyFile.encode(NDArray(shape: [3, 2], scalars: longs)))
        let raw = try scratch.write("x.i64", bytes: littleEndian(longs))

        let g = Graph()
        let path = g.placeholder(.string, shape: [], name: "path")
        let fromTensor = g.readFile(path, format: .npy(.int64))
        #expect(fromTensor.dtype == .int64 && fromTensor.shape == .unknown)
        let rawRows = g.readFile(raw, format: .raw(.int64, [nil, 3]), name: "rows")
        #expect(rawRows.shape == [nil, 3] && rawRows.op.name == "rows")
        let sum = g.add(g.reduceSum(fromTensor), g.reduceSum(rawRows))

        let values = try await Self.run(g, [fromTensor, rawRows, sum], feeds: [path: npy])
        #expect(values[0] == (try NDArray(shape: [3, 2], scalars: longs)))
        #expect(values[1] == (try NDArray(shape: [2, 3], scalars: longs)))
        #expect(values[2] == NDArray(Int64(42)))
    }

    @Test("a missing file fails the run naming the op and the path; a wrong dtype names the file")
    func runtimeErrors() async throws {
        let scratch = try ScratchDirectory()
        let missing = scratch.path(of: "missing.npy")
        let g = Graph()
        let x = g.readFile(missing, format: .npy(.float32), name: "load_x")
        let error = try await #require(throws: SessionError.self) { try await Self.run(g, [x]) }
        guard case .opFailed(let op, let underlying as FileReadError) = error else {
            Issue.record("expected opFailed with a FileReadError, got \(error)")
            return
        }
        #expect(op == "load_x" && underlying.code == .notFound && underlying.path == missing)
        #expect("\(error)".contains("load_x") && "\(error)".contains(missing) && "\(error)".contains("No such file"))

        let ints = try scratch.write("ints.npy", bytes: try NumPyFile.encode(NDArray([1, 2] as [Int32])))
        let h = Graph()
        let y = h.readFile(ints, format: .npy(.float32), name: "load_y")
        let mismatch = try await #require(throws: SessionError.self) { try await Self.run(h, [y]) }
        guard case .opFailed("load_y", let file as TensorFileError) = mismatch else {
            Issue.record("expected opFailed with a TensorFileError, got \(mismatch)")
            return
        }
        #expect(file.code == .dtypeMismatch && file.path == ints)
    }

    @Test("formats and paths that cannot work make the op invalid when it is built")
    func buildErrors() async throws {
        let g = Graph()
        let strings = g.readFile("/x", format: .raw(.string, [1]), name: "strings")
        let twoUnknown = g.readFile("/x", format: .raw(.float32, [nil, nil]), name: "two")
        let intPath = g.readFile(g.constant(Int32(1)), format: .npy(.float32), name: "int_path")
        let vectorPath = g.readFile(g.constant(["/a", "/b"]), format: .npy(.float32), name: "vector_path")
        for (tensor, words) in [(strings, "string"), (twoUnknown, "more than one unknown"), (intPath, "string tensor"),
                                (vectorPath, "scalar")] {
            let error = try await #require(throws: SessionError.self) { try await Self.run(g, [tensor]) }
            guard case .invalidGraph(let op, let reason) = error else {
                Issue.record("expected invalidGraph for \(tensor.op.name), got \(error)")
                continue
            }
            #expect(op == tensor.op.name && reason.contains(words), "\(reason)")
        }
    }
}

extension ReadFileOpTests {
    @Test("two FIFO reads on a one-worker pool are in progress at once: a waiting read does not hold the worker")
    func waitingReadsLeaveTheWorkerFree() async throws {
        let scratch = try ScratchDirectory()
        let fifos = [try scratch.makeFIFO("a"), try scratch.makeFIFO("b")]
        let contents: [[Float]] = [[1, 2, 3], [10, 20]]
        let g = Graph()
        let reads = fifos.map { g.readFile($0, format: .raw(.float32, [nil])) }
        let total = g.add(g.reduceSum(reads[0]), g.reduceSum(reads[1]))

        // The writer writes only once both FIFOs have a reader: a non-blocking open for writing fails until the
        // read has opened its FIFO. With one worker, the second read can start only if the first, waiting for
        // data, gave the worker back. Otherwise the step's deadline (a bound on a hang) cancels the reads.
        let writerSawBoth = Signal()
        startDetachedThread {
            var descriptors: [CInt?] = [nil, nil]
            let both = spin(until: .seconds(120)) {
                for i in 0..<2 where descriptors[i] == nil { descriptors[i] = ScratchDirectory.openFIFOIfReaderPresent(fifos[i]) }
                return descriptors.allSatisfy { $0 != nil }
            }
            // Without both readers, write nothing (writing to a FIFO whose reader has gone raises SIGPIPE).
            if both { writerSawBoth.raise() }
            for i in 0..<2 {
                if let descriptor = descriptors[i] {
                    let bytes = both ? littleEndian(contents[i].map(\.bitPattern)) : []
                    try? ScratchDirectory.writeAndClose(descriptor, bytes: bytes)
                }
            }
        }
        let values = try await Self.run(g, [reads[0], reads[1], total], workers: 1, options: RunOptions(timeoutInMs: 120_000))
        #expect(writerSawBoth.isRaised)
        #expect(values == [NDArray(contents[0]), NDArray(contents[1]), NDArray(Float(36))])
    }
}

extension ReadFileOpTests {
    @Test("a read that waits for a writer that never comes ends with the step's deadline")
    func deadlineEndsAWaitingRead() async throws {
        let scratch = try ScratchDirectory()
        let fifo = try scratch.makeFIFO("never")
        let g = Graph()
        let x = g.readFile(fifo, format: .raw(.float32, [nil]))
        let error = try await #require(throws: SessionError.self) {
            try await Self.run(g, [x], options: RunOptions(timeoutInMs: 200))
        }
        guard case .deadlineExceeded(200) = error else {
            Issue.record("expected deadlineExceeded, got \(error)")
            return
        }
    }
}
