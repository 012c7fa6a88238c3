@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTestSupport
import Synchronization
import Testing

@Suite("WorkStealingExecutor", .timeLimit(.minutes(5)))
struct WorkStealingExecutorTests {
    static let policies: [SchedulingPolicy] = SchedulingPolicy.all

    @Test("every policy runs chains, trees and fan-outs, each item exactly once", arguments: policies, [1, 2, 4])
    func shapes(policy: SchedulingPolicy, workers: Int) async {
        let pool = WorkStealingExecutor(workers: workers)
        defer { pool.shutdown() }
        let scheduler = pool.scheduler(for: policy)
        #expect(scheduler.policy == policy)
        let chain = ChainTarget(size: 2_000)
        let tree = TreeTarget(size: 4_095)
        let fanOut = FanOutTarget(size: 3_000)
        scheduler.submit([WorkItem(target: chain, index: 0)])
        scheduler.submit([WorkItem(target: tree, index: 0), WorkItem(target: fanOut, index: 0)])
        for ledger in [chain.ledger, tree.ledger, fanOut.ledger] {
            await wait(for: ledger.latch)
            #expect(ledger.isExactlyOnce)
        }
    }

    @Test("counters add up: items run plus inline continuations equal the firings")
    func counters() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let warmUp = ChainTarget(size: 10)
        pool.submit([WorkItem(target: warmUp, index: 0)])
        await wait(for: warmUp.ledger.latch)
        await poll("the warm-up's counters") { pool.counters.opsRun >= 10 }
        pool.resetCounters()
        let tree = TreeTarget(size: 1_023)
        pool.submit([WorkItem(target: tree, index: 0)])
        await wait(for: tree.ledger.latch)
        // The last firing's counters are written just after it records itself: wait for them.
        await poll("the last firing's counters") { pool.counters.opsRun >= 1_023 }
        let counters = pool.counters
        #expect(counters.opsRun == 1_023)
        #expect(counters.inlineContinuations == 511)
        #expect(counters.itemsRun == 512)
        #expect(counters.injectedItems == 1)
        #expect(counters.workers.count == 2)
        #expect(counters.workers.map(\.index) == [0, 1])
    }

    @Test("a submit from inside an item goes to the worker's own deque, not an injection queue")
    func nestedSubmit() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let inner = ChainTarget(size: 50)
        let outer = NestedSubmitter(pool: pool, inner: inner)
        pool.resetCounters()
        pool.submit([WorkItem(target: outer, index: 0)])
        await wait(for: inner.ledger.latch)
        #expect(inner.ledger.isExactlyOnce)
        #expect(pool.counters.injectedItems == 1)
        let ranOnWorker = outer.ranOnWorker.load(ordering: .relaxed)
        #expect(ranOnWorker)
    }

    @Test("many threads share one pool at once")
    func concurrentSubmitters() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let submitters = 8
        let stepsEach = 25
        let targets = Locked<[TreeTarget]>([])
        await blocking {
            _ = joinedThreads(submitters) { _ in
                for _ in 0..<stepsEach {
                    let tree = TreeTarget(size: 255)
                    targets.withLock { $0.append(tree) }
                    pool.submit([WorkItem(target: tree, index: 0)])
                    tree.ledger.latch.wait()
                }
            }
        }
        let all = targets.withLock { $0 }
        #expect(all.count == submitters * stepsEach)
        #expect(all.allSatisfy { $0.ledger.isExactlyOnce })
    }

    @Test("shutdown with work in flight runs all of it, then joins; a second shutdown does nothing")
    func shutdownDrains() async {
        let pool = WorkStealingExecutor(workers: 2)
        let trees = (0..<20).map { _ in TreeTarget(size: 2_047) }
        let chain = ChainTarget(size: 20_000)
        pool.submit(trees.map { WorkItem(target: $0, index: 0) } + [WorkItem(target: chain, index: 0)])
        await blocking { pool.shutdown() }
        #expect(pool.isShutDown)
        for tree in trees { #expect(tree.ledger.isExactlyOnce) }
        #expect(chain.ledger.isExactlyOnce)
        pool.shutdown()
        #expect(pool.testsOnly_sleepingWorkers.isEmpty || pool.isShutDown)
    }

    @Test("work submitted after shutdown still runs")
    func submitAfterShutdown() async {
        let pool = WorkStealingExecutor(workers: 1)
        pool.shutdown()
        let tree = TreeTarget(size: 63)
        pool.submit([WorkItem(target: tree, index: 0)])
        await wait(for: tree.ledger.latch)
        #expect(tree.ledger.isExactlyOnce)
    }

    @Test("workers are named af-w<i>-n<node> and pinned to the allowed CPUs")
    func workerNames() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let chain = ChainTarget(size: 2)
        pool.submit([WorkItem(target: chain, index: 0)])
        await wait(for: chain.ledger.latch)
        let names = pool.workerDescriptions.map(\.name)
        let nodes = pool.workerDescriptions.map(\.numaNode)
        #expect(names == zip(0..<2, nodes).map { "af-w\($0)-n\($1)" })
        #expect(pool.parallelism == 2)
    }

    @Test("idle workers sleep instead of spinning")
    func idleWorkersPark() async {
        let pool = WorkStealingExecutor(topology: .current(), workers: 2, policy: .default, startThreads: true,
                                        spinRounds: 1)
        defer { pool.shutdown() }
        await poll("both workers asleep") { pool.testsOnly_sleepingWorkers.count >= 2 }
        #expect(pool.counters.parks >= 2)
        let chain = ChainTarget(size: 100)
        pool.submit([WorkItem(target: chain, index: 0)])
        await wait(for: chain.ledger.latch)
        #expect(pool.counters.wakes >= 1)
    }

    @Test("Task(executorPreference:) runs on the pool's workers")
    func taskExecutor() async {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        let index = await Task(executorPreference: pool) { CurrentWorker.index }.value
        #expect(index != nil)
        let values = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<100 {
                group.addTask(executorPreference: pool) {
                    await Task.yield()
                    return CurrentWorker.index
                }
            }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(values.count == 100)
        #expect(values.allSatisfy { $0 != nil })
    }

    @Test("CurrentWorker on a thread outside any pool")
    func currentWorkerOutside() async {
        let (index, here, again) = await blocking { (CurrentWorker.index, CurrentWorker.threadID, CurrentWorker.threadID) }
        #expect(index == nil)
        #expect(here > 0)
        #expect(here == again, "one thread reports one id")
        let other = await blocking { CurrentWorker.threadID }
        #expect(other > 0 && other != here, "another thread reports another id")
    }
}

/// Item 0 submits `inner`'s first item through the pool's `submit` (from a worker thread).
final class NestedSubmitter: WorkTarget {
    let pool: WorkStealingExecutor
    let inner: ChainTarget
    let ranOnWorker = Atomic<Bool>(false)
    init(pool: WorkStealingExecutor, inner: ChainTarget) {
        self.pool = pool
        self.inner = inner
    }
    func run(_ index: Int, in context: inout WorkerContext) {
        ranOnWorker.store(CurrentWorker.index == context.workerIndex, ordering: .relaxed)
        pool.submit([WorkItem(target: inner, index: 0)])
    }
}

@Suite("WorkStealingExecutor as a TaskExecutor", .timeLimit(.minutes(5)))
struct TaskExecutorFairnessTests {
    @Test("on one worker, a task yielding in a loop lets a later task run")
    func yieldingTaskDoesNotStarveOthers() async {
        let pool = WorkStealingExecutor(workers: 1)
        defer { pool.shutdown() }
        let state = YieldState()
        let waiter = Task(executorPreference: pool) {
            while !state.flag.load(ordering: .acquiring) {
                state.spins.add(1, ordering: .relaxed)
                await Task.yield()
            }
        }
        await poll("the waiter's first spin") { state.spins.load(ordering: .relaxed) > 0 }
        let setter = Task(executorPreference: pool) { state.flag.store(true, ordering: .releasing) }
        await setter.value
        await waiter.value
        let ran = state.flag.load(ordering: .acquiring)
        #expect(ran)
    }
}

final class YieldState: Sendable {
    let flag = Atomic<Bool>(false)
    let spins = Atomic<Int>(0)
}

/// Item 0 runs a nested step (a tree) on the same pool and waits for it from the worker thread.
final class NestedWaiter: WorkTarget {
    let pool: WorkStealingExecutor
    let inner = TreeTarget(size: 1_023)
    let done = CompletionLatch(count: 1)
    init(pool: WorkStealingExecutor) { self.pool = pool }
    func run(_ index: Int, in context: inout WorkerContext) {
        pool.submit([WorkItem(target: inner, index: 0)])
        pool.waitHelping(for: inner.ledger.latch)
        done.countDown()
    }
}

@Suite("Waiting on the pool", .timeLimit(.minutes(5)))
struct WaitHelpingTests {
    @Test("a worker waiting for a nested step runs it instead of deadlocking", arguments: [1, 2])
    func nestedWait(workers: Int) async {
        let pool = WorkStealingExecutor(workers: workers)
        defer { pool.shutdown() }
        let outers = (0..<workers * 2).map { _ in NestedWaiter(pool: pool) }
        pool.submit(outers.map { WorkItem(target: $0, index: 0) })
        for outer in outers {
            await wait(for: outer.done)
            #expect(outer.inner.ledger.isExactlyOnce)
        }
    }

    @Test("off the pool, waitHelping is a plain wait")
    func offPool() async {
        let pool = WorkStealingExecutor(workers: 1)
        defer { pool.shutdown() }
        let tree = TreeTarget(size: 255)
        pool.submit([WorkItem(target: tree, index: 0)])
        await blocking { pool.waitHelping(for: tree.ledger.latch) }
        #expect(tree.ledger.isExactlyOnce)
    }
}
