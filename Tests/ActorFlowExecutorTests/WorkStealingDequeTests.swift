@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTestSupport
import Synchronization
import Testing

/// Items here borrow their target (the test holds it), except in the test of owning items: items taken out of a
/// deque are not run, and an owning item must be run or discarded.
@Suite("WorkStealingDeque")
struct WorkStealingDequeTests {
    @Test("owner pops newest first, thieves steal oldest first")
    func ends() {
        let deque = WorkStealingDeque(capacity: 4)
        let target = InertTarget()
        for index in 0..<3 { deque.push(WorkItem(borrowing: target, index: index)) }
        #expect(deque.approximateCount == 3)
        #expect(deque.pop()?.index == 2)
        guard case .stolen(let oldest) = deque.steal() else {
            Issue.record("expected a steal")
            return
        }
        #expect(oldest.index == 0)
        #expect(deque.pop()?.index == 1)
        #expect(deque.pop() == nil)
        guard case .empty = deque.steal() else {
            Issue.record("expected an empty deque")
            return
        }
    }

    @Test("grows past its capacity and keeps order", arguments: [2, 3, 64])
    func growth(capacity: Int) {
        let deque = WorkStealingDeque(capacity: capacity)
        let target = InertTarget()
        for index in 0..<1000 { deque.push(WorkItem(borrowing: target, index: index)) }
        var stolen: [Int] = []
        for _ in 0..<10 {
            if case .stolen(let item) = deque.steal() { stolen.append(item.index) }
        }
        #expect(stolen == Array(0..<10))
        var popped: [Int] = []
        while let item = deque.pop() { popped.append(item.index) }
        #expect(popped == Array((10..<1000).reversed()))
    }

    @Test("releases the targets of owning items, those it still holds when it goes away and those discarded")
    func releasesTargets() {
        weak var weakTarget: InertTarget?
        do {
            let deque = WorkStealingDeque(capacity: 2)
            let target = InertTarget()
            weakTarget = target
            for index in 0..<10 { deque.push(WorkItem(target: target, index: index)) }
            // Items taken out and not run must be discarded, as the pool does with none (it runs them all).
            deque.pop()?.discard()
            if case .stolen(let item) = deque.steal() { item.discard() }
        }
        #expect(weakTarget == nil)
    }

    @Test("10^6 items pushed, popped and stolen across threads: none lost, none taken twice")
    func stress() async {
        let total = 1_000_000
        let thieves = 3
        let deque = WorkStealingDeque(capacity: 16)
        let target = InertTarget()
        let ownerDone = Atomic<Bool>(false)
        let taken = Locked<[[Int]]>(Array(repeating: [], count: thieves + 1))
        await blocking {
        _ = joinedThreads(thieves + 1) { thread in
            var mine: [Int] = []
            mine.reserveCapacity(total / 2)
            if thread == 0 {
                // The owner: pushes everything, popping one item after every third push.
                for index in 0..<total {
                    deque.push(WorkItem(borrowing: target, index: index))
                    if index % 3 == 2, let item = deque.pop() { mine.append(item.index) }
                }
                while let item = deque.pop() { mine.append(item.index) }
                ownerDone.store(true, ordering: .releasing)
            } else {
                while true {
                    switch deque.steal() {
                    case .stolen(let item): mine.append(item.index)
                    case .contended: continue
                    case .empty:
                        if ownerDone.load(ordering: .acquiring) && deque.approximateCount == 0 {
                            taken.withLock { $0[thread] = mine }
                            return
                        }
                    }
                }
            }
            taken.withLock { $0[thread] = mine }
        }
        }
        let all = taken.withLock { $0.flatMap { $0 } }
        #expect(all.count == total)
        var seen = [Bool](repeating: false, count: total)
        var duplicates = 0
        for index in all {
            if seen[index] { duplicates += 1 }
            seen[index] = true
        }
        #expect(duplicates == 0)
        #expect(seen.allSatisfy { $0 })
        let stolen = taken.withLock { $0.dropFirst().reduce(0) { $0 + $1.count } }
        #expect(stolen > 0, "the thieves took nothing: the test did not exercise stealing")
    }
}
