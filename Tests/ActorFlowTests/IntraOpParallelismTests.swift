@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlow
import ActorFlowTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `KernelContext.parallelFor` / `parallelReduce` on a session's pool: coverage, results, limits, nesting,
/// cancellation. Behaviour only: nothing here measures time.
@Suite("Intra-op parallelism")
struct IntraOpParallelismTests {
    /// What a kernel's chunks did: the ranges they covered and the kernel thread of each.
    final class ChunkLog: Sendable {
        let entries = Locked<[(range: Range<Int>, thread: UInt32, worker: Int?)]>([])

        func record(_ range: Range<Int>) {
            let entry = (range: range, thread: CurrentWorker.threadID, worker: CurrentWorker.index)
            entries.withLock { $0.append(entry) }
        }

        /// Whether the recorded ranges cover `0..<count` exactly once.
        func coversOnce(_ count: Int) -> Bool {
            var seen = [Int](repeating: 0, count: count)
            for entry in entries.withLock({ $0 }) {
                for i in entry.range {
                    guard i >= 0 && i < count else { return false }
                    seen[i] += 1
                }
            }
            return seen.allSatisfy { $0 == 1 }
        }

        var threads: Set<UInt32> { Set(entries.withLock { $0.map(\.thread) }) }
        var count: Int { entries.withLock { $0.count } }
    }

    /// A graph of one custom op that runs `body` with its context and returns a scalar.
    static func graph(_ body: @escaping @Sendable (borrowing KernelContext) throws -> Float) -> (Graph, Tensor) {
        let g = Graph()
        let x = g.constant(Float(0), name: "x")
        let out = g.customOp(name: "chunks", inputs: [x], outputs: [(.float32, TensorShape([]))]) { _, ctx in
            [NDArray(try body(ctx))]
        }
        return (g, out[0])
    }

    @Test("chunks cover the range exactly once, under every policy")
    func coverage() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        for policy in SchedulingPolicy.all {
            let log = ChunkLog()
            let (g, out) = Self.graph { ctx in
                try ctx.parallelFor(0..<10_000, grain: 97) { log.record($0) }
                return 1
            }
            let session = Session(graph: g, options: SessionOptions(policy: policy, executor: pool))
            _ = try await onPlainThread { try session.run(out) }
            #expect(log.coversOnce(10_000), "\(policy)")
        }
    }

    @Test("intraOpParallelism: 1 runs every chunk on the firing thread")
    func limitOne() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let log = ChunkLog()
        let firing = Locked<UInt32?>(nil)
        let (g, out) = Self.graph { ctx in
            firing.withLock { $0 = CurrentWorker.threadID }
            #expect(ctx.intraOpParallelism == 1)
            // Chunks long enough that an idle worker would steal some if it were allowed to.
            let sum = try ctx.parallelReduce(0..<64, grain: 1, initial: Float(0)) { chunk in
                log.record(chunk)
                usleep(500)
                return Float(chunk.count)
            } combine: { $0 + $1 }
            try ctx.parallelFor(0..<64, grain: 1) { chunk in
                log.record(chunk)
                usleep(500)
            }
            return sum
        }
        let session = Session(graph: g, options: SessionOptions(executor: pool, intraOpParallelism: 1))
        let value = try await onPlainThread { try session.run(out) }
        #expect(try value.scalar(as: Float.self) == 64)
        #expect(log.count == 65)   // 64 reduction chunks, one loop call
        #expect(log.threads == [firing.withLock { $0 }!])
    }

    @Test("the limit is what the context reports: every worker by default, none under caller-thread policies")
    func reportedLimit() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let seen = Locked<[Int]>([])
        let (g, out) = Self.graph { ctx in
            seen.withLock { $0.append(ctx.intraOpParallelism) }
            return 0
        }
        for options in [
            SessionOptions(policy: .default, executor: pool),
            SessionOptions(policy: .globalQueue, executor: pool, intraOpParallelism: 5),
            SessionOptions(policy: .callerThread, executor: pool),
            SessionOptions(policy: .swiftDefault, executor: pool),
        ] {
            let session = Session(graph: g, options: options)
            _ = try await onPlainThread { try session.run(out) }
        }
        #expect(seen.withLock { $0 } == [2, 2, 1, 1])
        // One worker: nothing to split over.
        let one = WorkStealingExecutor(workers: 1)
        defer { one.shutdown() }
        _ = try await onPlainThread { try Session(graph: g, options: SessionOptions(executor: one)).run(out) }
        #expect(seen.withLock { $0.last } == 1)
    }

    @Test("parallel reductions give the same bits on one worker or two")
    func deterministicReduction() async throws {
        let data = (0..<200_000).map { Float(($0 * 7919) % 1013) * 0.001 - 0.5 }
        let (g, out) = Self.graph { ctx in
            return try ctx.parallelReduce(0..<data.count, grain: 1_000, initial: Float(0)) { chunk in
                var s: Float = 0
                for i in chunk { s += data[i] }
                return s
            } combine: { $0 + $1 }
        }
        var results: [UInt32] = []
        for (workers, limit) in [(1, 0), (2, 0), (2, 1), (2, 2)] {
            let pool = WorkStealingExecutor(workers: workers)
            let session = Session(graph: g, options: SessionOptions(executor: pool, intraOpParallelism: limit))
            for _ in 0..<3 {
                results.append(try await onPlainThread { try session.run(out) }.scalar(as: Float.self).bitPattern)
            }
            pool.shutdown()
        }
        #expect(Set(results).count == 1)
    }

    /// Splits 4 ways `depth` times through `loops` (a chunk splitting again); returns the number of leaves.
    static func recurse(_ loops: ParallelLoops, depth: Int) throws -> Int {
        if depth == 0 {
            var s = 0
            for i in 0..<2_000 { s &+= i &* i }
            return s == 1 ? 0 : 1
        }
        return try loops.parallelReduce(0..<4, grain: 1, initial: 0) { range in
            var leaves = 0
            for _ in range { leaves += try recurse(loops, depth: depth - 1) }
            return leaves
        } combine: { $0 + $1 }
    }

    @Test("nested loops from the kernels of concurrent runs on a 2-worker pool finish")
    func nestedConcurrentRuns() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let g = Graph()
        let x = g.constant(Float(0), name: "x")
        let outs = (0..<6).map { i in
            g.customOp(name: "nested\(i)", inputs: [x], outputs: [(.float32, TensorShape([]))]) { _, ctx in
                [NDArray(Float(try Self.recurse(ctx.loops, depth: 4)))]
            }[0]
        }
        for policy in [SchedulingPolicy.default, .globalQueue] {
            let session = Session(graph: g, options: SessionOptions(policy: policy, executor: pool))
            let results = try await withWatchdog(limit: .seconds(120), describe: { "\(pool.counters)" }) {
                try (0..<4).map { _ in
                    try (0..<2).flatMap { _ in try session.run(outs).map { try $0.scalar(as: Float.self) } }
                }
            }
            let concurrent = try await onPlainThreads(4) { _ in
                try (0..<2).flatMap { _ in try session.run(outs).map { try $0.scalar(as: Float.self) } }
            }
            #expect(results?.joined().allSatisfy { $0 == 256 } == true)
            #expect(concurrent.joined().allSatisfy { $0 == 256 })
        }
    }

    @Test("a deadline stops handing out chunks")
    func deadline() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let ran = Atomic<Int>(0)
        let (g, out) = Self.graph { ctx in
            try ctx.parallelFor(0..<5_000, grain: 1) { _ in
                usleep(1_000)
                ran.add(1, ordering: .relaxed)
            }
            return 0
        }
        let session = Session(graph: g, options: SessionOptions(policy: .workStealing(numaAware: true), executor: pool))
        let error = try await onPlainThread {
            sessionError { try session.run(out, options: RunOptions(timeoutInMs: 50)) }
        }
        guard case .deadlineExceeded(timeoutInMs: 50)? = error else {
            Issue.record("expected deadlineExceeded, got \(String(describing: error))")
            return
        }
        // 5,000 chunks of 1 ms cannot all run on two workers before a 50 ms deadline plus the chunks in flight.
        #expect(ran.load(ordering: .relaxed) < 5_000)
    }

    @Test("a chunk's error fails the op and stops the loop")
    func chunkError() async throws {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let (g, out) = Self.graph { ctx in
            try ctx.parallelFor(0..<1_000, grain: 1) { range in
                if range.lowerBound == 10 { throw KernelError("chunk 10 failed") }
            }
            return 0
        }
        // On the pool's policy whatever ACTORFLOW_POLICY says: without workers the loop is one chunk, which
        // never starts at 10.
        let session = Session(graph: g, options: SessionOptions(policy: .workStealing(numaAware: true), executor: pool))
        let error = try await onPlainThread { sessionError { try session.run(out) } }
        guard case .opFailed(op: "chunks", let underlying)? = error else {
            Issue.record("expected opFailed, got \(String(describing: error))")
            return
        }
        #expect("\(underlying)" == "chunk 10 failed")
    }
}
