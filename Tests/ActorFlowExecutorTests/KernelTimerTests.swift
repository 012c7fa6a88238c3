@testable import ActorFlowExecutor
import ActorFlowTestSupport
@_spi(ActorFlowInternal) import ActorFlowCore
import Testing

/// `KernelTimer` and its heap: sleepers wake in deadline order, and a cancelled sleeper wakes at once with
/// `CancellationError`. Deadlines are tens of milliseconds apart, so a loaded machine cannot reorder them.
@Suite("KernelTimer", .timeLimit(.minutes(5)))
struct KernelTimerTests {
    @Test("the heap gives its elements back smallest first, duplicates included")
    func heapOrder() {
        var heap = DeadlineHeap<Int>()
        let values = [50, 10, 40, 10, 30, 20, 60, 0, 35]
        for v in values { heap.insert(v) }
        var out: [Int] = []
        while heap.first != nil { out.append(heap.removeFirst()) }
        #expect(out == values.sorted())
    }

    @Test("sleepers wake in the order of their deadlines, not of their calls")
    func wakeOrder() async throws {
        let woke = Locked<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for ms in [300, 100, 200] {
                group.addTask {
                    try await KernelTimer.shared.sleep(for: .milliseconds(ms))
                    woke.withLock { $0.append(ms) }
                }
            }
            try await group.waitForAll()
        }
        #expect(woke.withLock { $0 } == [100, 200, 300])
    }

    @Test("a cancelled sleeper wakes with CancellationError, also when cancelled before it sleeps")
    func cancellation() async throws {
        let sleeper = Task { try await KernelTimer.shared.sleep(for: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(50))          // most likely registered by now; either way it throws
        sleeper.cancel()
        let outcome = await sleeper.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await KernelTimer.shared.sleep(for: .seconds(600))
        }
        await #expect(throws: CancellationError.self) { try await early.value }
    }

    @Test("a zero or negative duration returns without waiting for another sleeper")
    func zeroDuration() async throws {
        try await KernelTimer.shared.sleep(for: .zero)
        try await KernelTimer.shared.sleep(for: .milliseconds(-5))
    }
}
