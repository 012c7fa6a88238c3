import ActorFlowExecutor
import Synchronization
import Testing

/// Work items are plain words: owning items keep their target until they ran or were discarded, borrowing
/// items never touch its reference count.
@Suite("WorkItem ownership")
struct WorkItemTests {
    /// Counts the items it ran.
    final class Counter: WorkTarget {
        let runs = Atomic<Int>(0)
        func run(_ index: Int, in context: inout WorkerContext) { runs.add(index, ordering: .relaxed) }
    }

    @Test("an owning item keeps its target alive until it ran, then lets it go")
    func owningItem() {
        weak var weakTarget: Counter?
        let item: WorkItem
        do {
            let target = Counter()
            weakTarget = target
            item = WorkItem(target: target, index: 3)
        }
        #expect(weakTarget != nil)
        #expect(weakTarget === item.target as AnyObject)
        CallerThreadScheduler().submit([item])
        #expect(weakTarget == nil)
    }

    @Test("a borrowing item does not keep its target alive, and runs it while the caller does")
    func borrowingItem() {
        var target: Counter? = Counter()
        weak let weakTarget = target
        let item = WorkItem(borrowing: target!, index: 5)
        CallerThreadScheduler().submit([item, WorkItem(borrowing: target!, index: 2)])
        #expect(target?.runs.load(ordering: .relaxed) == 7)
        target = nil
        #expect(weakTarget == nil)
        item.discard()  // nothing to give back
    }

    @Test("borrowed items run on every policy's scheduler, each exactly once")
    func borrowedOnPools() {
        let pool = WorkStealingExecutor(workers: 2)
        defer { pool.shutdown() }
        for policy in [SchedulingPolicy.workStealing(numaAware: true), .workStealing(numaAware: false), .globalQueue] {
            let tree = TreeTarget(size: 4_095, borrowing: true)
            pool.scheduler(for: policy).submit([WorkItem(borrowing: tree, index: 0)])
            tree.ledger.latch.wait()
            #expect(tree.ledger.isExactlyOnce)
        }
    }
}
