@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTestSupport
import Synchronization
import Testing

/// Records how many times each item ran; `isExactlyOnce` says whether every item ran once.
final class RunLedger: Sendable {
    private let counts: Locked<[Int]>
    let latch: CompletionLatch

    init(size: Int) {
        counts = Locked([Int](repeating: 0, count: size))
        latch = CompletionLatch(count: size)
    }

    func record(_ index: Int) {
        counts.withLock { $0[index] += 1 }
        latch.countDown()
    }

    var isExactlyOnce: Bool { counts.withLock { $0.allSatisfy { $0 == 1 } } }
    var total: Int { counts.withLock { $0.reduce(0, +) } }
}

/// Item `i` pushes `i + 1` (a chain of `size` items).
final class ChainTarget: WorkTarget {
    let size: Int
    let ledger: RunLedger
    init(size: Int) {
        self.size = size
        ledger = RunLedger(size: size)
    }
    func run(_ index: Int, in context: inout WorkerContext) {
        if index + 1 < size { context.push(WorkItem(target: self, index: index + 1)) }
        ledger.record(index)
    }
}

/// A binary tree: item `i` pushes `2i + 1` and runs `2i + 2` itself (an inline continuation), as the
/// session's step engine keeps one ready successor.
final class TreeTarget: WorkTarget {
    let size: Int
    let ledger: RunLedger
    /// Push borrowing items (the caller keeps the tree alive until its ledger's latch opens).
    let borrowing: Bool
    init(size: Int, borrowing: Bool = false) {
        self.size = size
        self.borrowing = borrowing
        ledger = RunLedger(size: size)
    }
    func run(_ index: Int, in context: inout WorkerContext) {
        var current = index
        while true {
            ledger.record(current)
            let left = 2 * current + 1
            let right = left + 1
            if left < size {
                context.push(borrowing ? WorkItem(borrowing: self, index: left) : WorkItem(target: self, index: left))
            }
            guard right < size else { return }
            context.recordInlineContinuation()
            current = right
        }
    }
}

/// Item 0 pushes items `1..<size`.
final class FanOutTarget: WorkTarget {
    let size: Int
    let ledger: RunLedger
    init(size: Int) {
        self.size = size
        ledger = RunLedger(size: size)
    }
    func run(_ index: Int, in context: inout WorkerContext) {
        if index == 0 {
            for child in 1..<size { context.push(WorkItem(target: self, index: child)) }
        }
        ledger.record(index)
    }
}

/// A target whose items are never run (deque tests move them around only).
final class InertTarget: WorkTarget {
    func run(_ index: Int, in context: inout WorkerContext) {}
}

/// Waits for a latch without blocking a cooperative thread, for at most `limit` (a bound against hangs:
/// past it the test gets an issue instead of hanging CI).
func wait(for latch: CompletionLatch, _ what: String = "a latch", limit: Duration = defaultWaitLimit,
          sourceLocation: SourceLocation = #_sourceLocation) async {
    await poll(what, limit: limit, sourceLocation: sourceLocation) { latch.isReleased }
}
