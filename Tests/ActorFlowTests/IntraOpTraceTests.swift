@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowTestSupport
import Foundation
import Synchronization
import Testing

@testable import ActorFlow

#if canImport(Glibc)
import Glibc
#endif

/// Traced ops show how their loops spread over the pool: ``NodeExecRecord/intraOpLoops`` and
/// ``NodeExecRecord/intraOpChunks``, the `timeline_label` suffix and the Chrome export's `intra_op` argument.
/// Counts are checked against what the kernels themselves made; which worker ran what is left to the scheduler.
/// Sessions name the default policy: CI reruns this target under every `ACTORFLOW_POLICY`, and `.callerThread` and
/// `.swiftDefault` never split a loop.
@Suite("Intra-op chunks in traces")
struct IntraOpTraceTests {
    /// Chunk bodies a kernel ran, across runs.
    final class ChunkCounter: Sendable {
        let count = Atomic<Int>(0)
        /// Whether a chunk or kernel of an untraced step ever found a tally armed on its thread.
        let sawArmed = Atomic<Bool>(false)

        func chunk() { count.add(1, ordering: .relaxed) }
        func checkNotArmed() { if IntraOpTally.armed != nil { sawArmed.store(true, ordering: .relaxed) } }
        /// The chunks counted by `body`.
        func during(_ body: () throws -> Void) rethrows -> Int {
            let before = count.load(ordering: .relaxed)
            try body()
            return count.load(ordering: .relaxed) - before
        }
    }

    /// `spread`: a custom op whose `parallelFor` covers `0..<n` (n fed) in chunks of 100 (n = -1: chunk 5 throws;
    /// n = -2: 5000 chunks of 1 ms, for deadlines); `product`: a 512×512 `matMul`; `small`: an op that splits
    /// nothing; `probe`: an op that checks that no tally is armed, in its kernel and its chunks.
    static func model(_ counter: ChunkCounter) -> (Graph, n: Tensor, spread: Tensor, product: Tensor, small: Tensor, probe: Tensor) {
        let g = Graph()
        let n = g.placeholder(.int32, shape: [], name: "n")
        let spread = g.customOp(name: "spread", inputs: [n], outputs: [(.float32, TensorShape([]))]) { inputs, ctx in
            let n = Int(try inputs[0].scalar(as: Int32.self))
            switch n {
            case -1:
                try ctx.parallelFor(0..<1_000, grain: 100) { chunk in
                    counter.chunk()
                    if chunk.lowerBound == 500 { throw KernelError("chunk 5 fails") }
                }
            case -2:
                try ctx.parallelFor(0..<5_000, grain: 1) { _ in
                    counter.chunk()
                    usleep(1_000)
                }
            default:
                // Chunks long enough that the other worker steals some.
                try ctx.parallelFor(0..<n, grain: 100) { _ in
                    counter.chunk()
                    usleep(200)
                }
            }
            return [NDArray(Float(n))]
        }[0]
        let product = g.matMul(
            g.fill([512, 512], value: Float(1), name: "a"), g.fill([512, 512], value: Float(0.5), name: "b"),
            name: "product")
        let small = g.add(g.constant(Float(1), name: "one"), g.constant(Float(2), name: "two"), name: "small")
        let probe = g.customOp(name: "probe", inputs: [n], outputs: [(.float32, TensorShape([]))]) { _, ctx in
            counter.checkNotArmed()
            try ctx.parallelFor(0..<64, grain: 1) { _ in
                counter.checkNotArmed()
                usleep(100)
            }
            return [NDArray(Float(0))]
        }[0]
        return (g, n, spread, product, small, probe)
    }

    /// The record of node `name` in a traced run's metadata.
    static func record(_ md: RunMetadata, _ name: String) throws -> NodeExecRecord {
        let source = try #require(md.statsSource, "a traced run leaves its records")
        let index = try #require(source.plan.ops.firstIndex { $0.name == name })
        return source.records[index]
    }

    /// The `timeline_label` of node `name`.
    static func label(_ md: RunMetadata, _ name: String) throws -> String {
        try #require(md.stepStats.devStats.first?.nodeStats.first { $0.nodeName == name }).timelineLabel
    }

    /// The label suffix a record should produce, spelled out independently of the formatter.
    static func expectedSuffix(_ r: NodeExecRecord) -> String {
        let total = r.intraOpChunks.reduce(0) { $0 + $1.chunks }
        let workers = r.intraOpChunks.map { ($0.worker == -1 ? "off-pool" : "w\($0.worker)") + " \($0.chunks)" }
        return " [intra-op \(r.intraOpLoops) loop\(r.intraOpLoops == 1 ? "" : "s"), \(total) chunk\(total == 1 ? "" : "s"): "
            + workers.joined(separator: ", ") + "]"
    }

    static let traced = RunOptions(traceLevel: .softwareTrace)

    static let keyOrder = {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return options
    }()

    @Test("a traced op that splits records its loops and every chunk it made, per worker; the label says so")
    func splitOpOnTwoWorkers() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let counter = ChunkCounter()
        let m = Self.model(counter)
        let session = Session(graph: m.0, options: SessionOptions(policy: .default, executor: pool, intraOpParallelism: 0))
        let (md, made) = try await onPlainThread { () -> (RunMetadata, Int) in
            var md = RunMetadata()
            let made = try counter.during {
                _ = try session.run([m.spread, m.product], feeds: [m.n: Int32(2_000)], options: Self.traced, metadata: &md)
            }
            return (md, made)
        }
        #expect(made == 20)
        let spread = try Self.record(md, "spread")
        #expect(spread.intraOpLoops == 1)
        #expect(spread.intraOpChunks.reduce(0) { $0 + $1.chunks } == made)
        #expect(spread.intraOpChunks.allSatisfy { $0.chunks > 0 && $0.worker >= -1 && $0.worker < 2 })
        #expect(Set(spread.intraOpChunks.map(\.worker)).count == spread.intraOpChunks.count, "one entry per worker")
        #expect(try Self.label(md, "spread") == "spread = CustomOp(n)" + Self.expectedSuffix(spread))

        let product = try Self.record(md, "product")
        #expect(product.intraOpLoops >= 1)
        #expect(product.intraOpChunks.reduce(0) { $0 + $1.chunks } >= 2)
        let label = try Self.label(md, "product")
        #expect(label.hasSuffix("product = MatMul(a, b)" + Self.expectedSuffix(product)), "\(label)")
    }

    @Test("with intraOpParallelism: 1 every chunk is the firing worker's")
    func limitOne() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let g = Graph()
        let x = g.constant(Float(0), name: "x")
        let out = g.customOp(name: "serial", inputs: [x], outputs: [(.float32, TensorShape([]))]) { _, ctx in
            let sum = try ctx.parallelReduce(0..<64, grain: 1, initial: Float(0)) { Float($0.count) } combine: { $0 + $1 }
            try ctx.parallelFor(0..<64, grain: 1) { _ in }   // one chunk: nobody to share it with
            return [NDArray(sum)]
        }[0]
        let session = Session(graph: g, options: SessionOptions(policy: .default, executor: pool, intraOpParallelism: 1))
        let md = try await onPlainThread { () -> RunMetadata in
            var md = RunMetadata()
            _ = try session.run(out, options: Self.traced, metadata: &md)
            return md
        }
        let r = try Self.record(md, "serial")
        #expect(r.intraOpLoops == 2)
        #expect(r.intraOpChunks == [WorkerChunks(worker: r.worker, chunks: 65)])
        #expect(try Self.label(md, "serial").hasSuffix(Self.expectedSuffix(r)))
    }

    @Test("an op that does not split has no suffix and no counts")
    func noSplit() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let counter = ChunkCounter()
        let m = Self.model(counter)
        let session = Session(graph: m.0, options: SessionOptions(policy: .default, executor: pool))
        let md = try await onPlainThread { () -> RunMetadata in
            var md = RunMetadata()
            // n = 100: one grain, so parallelFor calls its body once without splitting.
            _ = try session.run([m.spread, m.small], feeds: [m.n: Int32(100)], options: Self.traced, metadata: &md)
            return md
        }
        for name in ["spread", "small", "one", "two"] {
            let r = try Self.record(md, name)
            #expect(r.intraOpLoops == 0 && r.intraOpChunks.isEmpty, "\(name)")
            #expect(try !Self.label(md, name).contains("[intra-op"), "\(name)")
        }
    }

    @Test("the Chrome export carries intra_op: loops, chunks and chunks per worker")
    func chromeExport() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let counter = ChunkCounter()
        let m = Self.model(counter)
        let session = Session(graph: m.0, options: SessionOptions(policy: .default, executor: pool))
        let md = try await onPlainThread { () -> RunMetadata in
            var md = RunMetadata()
            _ = try session.run([m.spread, m.small], feeds: [m.n: Int32(1_000)], options: Self.traced, metadata: &md)
            return md
        }
        let json = ChromeTraceExporter().json(for: md)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let events = try #require(root["traceEvents"] as? [[String: Any]])
        func args(_ node: String) throws -> [String: Any] {
            let event = try #require(events.first { ($0["args"] as? [String: Any])?["node"] as? String == node })
            return try #require(event["args"] as? [String: Any])
        }
        let spread = try Self.record(md, "spread")
        let intraOp = try #require(try args("spread")["intra_op"] as? [String: Any])
        #expect(intraOp["loops"] as? Int == 1)
        #expect(intraOp["chunks"] as? Int == 10)
        let workers = try #require(intraOp["workers"] as? [String: Int])
        #expect(workers.values.reduce(0, +) == 10)
        let expected = Dictionary(uniqueKeysWithValues: spread.intraOpChunks.map {
            ($0.worker == -1 ? "off-pool" : "w\($0.worker)", $0.chunks)
        })
        #expect(workers == expected)
        #expect(try args("small")["intra_op"] == nil)
        #expect(try args("spread")["op"] as? String == "CustomOp", "the suffix leaves the label's op type alone")
    }

    @Test("counts belong to one firing: nothing carries over between steps, traced or not, and the label follows")
    func noCarryOver() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let counter = ChunkCounter()
        let m = Self.model(counter)
        let session = Session(graph: m.0, options: SessionOptions(policy: .default, executor: pool))
        try await onPlainThread {
            var md = RunMetadata()
            // Untraced first: nothing recorded, nothing left over for the traced step after it.
            _ = try session.run(m.spread, feeds: [m.n: Int32(1_000)], metadata: &md)
            #expect(md.statsSource == nil)
            // Then traced steps of different sizes, one that does not split among them, through one metadata value
            // (the recycler rewrites the kept messages) and each time the same bytes as an eager build.
            for n in [1_000, 1_000, 50, 1_500, 0, 700] as [Int32] {
                let made = try counter.during {
                    _ = try session.run(m.spread, feeds: [m.n: n], options: Self.traced, metadata: &md)
                }
                let r = try Self.record(md, "spread")
                #expect(made == (Int(n) + 99) / 100, "n = \(n)")
                #expect(r.intraOpLoops == (n > 100 ? 1 : 0), "n = \(n)")
                #expect(r.intraOpChunks.reduce(0) { $0 + $1.chunks } == (n > 100 ? made : 0), "n = \(n)")
                let label = try Self.label(md, "spread")
                #expect(label == "spread = CustomOp(n)" + (n > 100 ? Self.expectedSuffix(r) : ""), "n = \(n)")
                let source = try #require(md.statsSource)
                let eager = try source.eagerMetadata().serializedBytes(options: Self.keyOrder) as [UInt8]
                #expect(try md.serializedBytes(options: Self.keyOrder) == eager, "n = \(n)")
                _ = try session.run(m.spread, feeds: [m.n: Int32(800)])   // untraced between traced ones
            }
        }
    }

    @Test("lazily built metadata equals the eager build's bytes with ops that split, at every trace level",
        arguments: [RunOptions.TraceLevel.softwareTrace, .hardwareTrace, .fullTrace])
    func lazyEqualsEager(level: RunOptions.TraceLevel) async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let counter = ChunkCounter()
        let m = Self.model(counter)
        let session = Session(graph: m.0, options: SessionOptions(policy: .default, executor: pool))
        try await onPlainThread {
            var md = RunMetadata()
            for run in 0..<3 {
                _ = try session.run(
                    [m.spread, m.product, m.small], feeds: [m.n: Int32(600 + 300 * run)],
                    options: RunOptions(traceLevel: level), metadata: &md)
                let source = try #require(md.statsSource)
                let eager = try source.eagerMetadata().serializedBytes(options: Self.keyOrder) as [UInt8]
                #expect(try md.serializedBytes(options: Self.keyOrder) == eager, "run \(run)")
                #expect(try Self.label(md, "spread").contains("[intra-op 1 loop, \(6 + 3 * run) chunks: "))
            }
        }
    }

    @Test("a kernel that throws mid-loop or a step that times out mid-loop leaves no tally armed and no counts behind")
    func failuresDisarm() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let counter = ChunkCounter()
        let m = Self.model(counter)
        let session = Session(graph: m.0, options: SessionOptions(policy: .default, executor: pool))
        try await onPlainThread {
            let failed = sessionError { try session.run(m.spread, feeds: [m.n: Int32(-1)], options: Self.traced) }
            guard case .opFailed(op: "spread", _)? = failed else {
                Issue.record("expected opFailed, got \(String(describing: failed))")
                return
            }
            #expect(IntraOpTally.armed == nil)
            let stopped = sessionError {
                try session.run(m.spread, feeds: [m.n: Int32(-2)], options: RunOptions(traceLevel: .softwareTrace, timeoutInMs: 30))
            }
            guard case .deadlineExceeded? = stopped else {
                Issue.record("expected deadlineExceeded, got \(String(describing: stopped))")
                return
            }
            #expect(IntraOpTally.armed == nil)
            // Untraced kernels and their chunks, on whichever threads run them, find no tally armed.
            for _ in 0..<4 { _ = try session.run(m.probe, feeds: [m.n: Int32(0)]) }
            let sawArmed = counter.sawArmed.load(ordering: .relaxed)
            #expect(!sawArmed)
            // The failed firing's counts were taken with its record: the next traced firing counts only its own.
            var md = RunMetadata()
            let made = try counter.during {
                _ = try session.run(m.spread, feeds: [m.n: Int32(1_000)], options: Self.traced, metadata: &md)
            }
            let r = try Self.record(md, "spread")
            #expect(r.intraOpLoops == 1)
            #expect(r.intraOpChunks.reduce(0) { $0 + $1.chunks } == made)
        }
    }
}
