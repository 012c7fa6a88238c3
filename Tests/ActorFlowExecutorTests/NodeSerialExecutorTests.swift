@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A node actor as the session builds them: its executor is its own NodeSerialExecutor.
actor CountingNode {
    let executor: NodeSerialExecutor
    private var count = 0
    private let inside = Atomic<Int>(0)
    private let overlaps = Atomic<Int>(0)

    init(pool: WorkStealingExecutor) {
        executor = NodeSerialExecutor(pool: pool)
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func bump() -> Int {
        if inside.add(1, ordering: .sequentiallyConsistent).newValue != 1 {
            overlaps.add(1, ordering: .relaxed)
        }
        count += 1
        let seen = count
        inside.subtract(1, ordering: .sequentiallyConsistent)
        return seen
    }

    func snapshot() -> (count: Int, overlaps: Int, onWorker: Bool, isolated: Bool?) {
        (count, overlaps.load(ordering: .relaxed), CurrentWorker.index != nil,
         executor.isIsolatingCurrentContext())
    }

    /// What a firing does on the hot path: synchronous access under the executor's claim.
    nonisolated func fireSynchronously() -> Int {
        assumeIsolated { node in node.count += 1; return node.count }
    }
}

/// What `jobWaitsForFiring` saw while it held the executor.
struct HeldObservations: Sendable {
    var acquired = false
    var jobQueued = false
    var secondClaimRefused = false
    var isolatedWhileHeld = false
    var firstFiring = 0
    var queuedWhileHeld = 0
    var secondFiring = 0
    var isolatedAfterRelease = true
    var call: Task<Int, Never>?
}

@Suite("NodeSerialExecutor", .timeLimit(.minutes(5)))
struct NodeSerialExecutorTests {
    @Test("actor calls from many tasks run on the pool, one at a time")
    func serialized() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let node = CountingNode(pool: pool)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<500 {
                group.addTask { _ = await node.bump() }
            }
        }
        let state = await node.snapshot()
        #expect(state.count == 500)
        #expect(state.overlaps == 0)
        #expect(state.onWorker)
        #expect(state.isolated == true)
        #expect(node.executor.isIsolatingCurrentContext() == false)
    }

    @Test("a job enqueued while a firing holds the executor runs after the firing releases it")
    func jobWaitsForFiring() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let node = CountingNode(pool: pool)
        // A firing's claim belongs to its thread: hold it on one dedicated thread, no awaits in between.
        let observed = await blocking { () -> HeldObservations in
            var seen = HeldObservations()
            seen.acquired = node.executor.tryAcquire()
            seen.secondClaimRefused = !node.executor.tryAcquire()
            seen.isolatedWhileHeld = node.executor.isIsolatingCurrentContext() == true
            seen.firstFiring = node.fireSynchronously()
            let call = Task { await node.bump() }
            seen.jobQueued = spin { node.executor.testsOnly_queuedJobCount > 0 }
            // The job is queued and must stay queued while the firing holds the executor.
            seen.queuedWhileHeld = node.executor.testsOnly_queuedJobCount
            seen.secondFiring = node.fireSynchronously()
            node.executor.release()
            seen.isolatedAfterRelease = node.executor.isIsolatingCurrentContext() == true
            seen.call = call
            return seen
        }
        #expect(observed.acquired)
        #expect(observed.jobQueued, "the actor call never reached the node's queue")
        #expect(observed.secondClaimRefused, "a second claim must fail while the first holds")
        #expect(observed.isolatedWhileHeld)
        #expect(observed.firstFiring == 1)
        #expect(observed.queuedWhileHeld == 1)
        #expect(observed.secondFiring == 2)
        #expect(!observed.isolatedAfterRelease)
        guard let call = observed.call else { return }
        let seen = await call.value
        #expect(seen == 3)
    }

    @Test("firings and jobs interleave without overlapping")
    func firingsAndJobs() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let node = CountingNode(pool: pool)
        let firings = Atomic<Int>(0)
        async let jobs: Void = withTaskGroup(of: Void.self) { group in
            for _ in 0..<300 { group.addTask { _ = await node.bump() } }
        }
        let deadline = ContinuousClock.now + defaultWaitLimit
        while firings.load(ordering: .relaxed) < 300 {
            guard ContinuousClock.now < deadline else {
                Issue.record("only \(firings.load(ordering: .relaxed)) of 300 firings could claim the executor")
                break
            }
            if node.executor.tryAcquire() {
                _ = node.fireSynchronously()
                node.executor.release()
                firings.add(1, ordering: .relaxed)
            } else {
                await Task.yield()
            }
        }
        await jobs
        let state = await node.snapshot()
        #expect(state.count == 600)
        #expect(state.overlaps == 0)
    }
}
