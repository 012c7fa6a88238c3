import ActorFlowExecutor
import Testing

/// The victim order belongs to a step's work, not to the pool: a session with `.workStealing(numaAware: false)`
/// on a NUMA-aware pool must not switch the other workers (or other sessions) to random victims, and vice versa.
@Suite("victim order per step")
struct StepVictimOrderTests {
    @Test("items keep their target, index and ownership when marked, and the mark can be cleared")
    func marking() {
        let target = InertTarget()
        let item = WorkItem(target: target, index: 7)
        #expect(!item.prefersRandomVictims)
        let marked = item.withVictimOrder(random: true)
        #expect(marked.prefersRandomVictims)
        #expect(marked.index == 7)
        #expect(marked.target === target)
        #expect(!marked.withVictimOrder(random: false).prefersRandomVictims)
        marked.discard()  // gives back the one reference the item holds
    }

    @Test("a random-order step on a NUMA-aware pool changes only the workers that run its items")
    func randomStepOnNUMAPool() throws {
        let topology = try syntheticTopology(nodes: 2, cpusPerNode: 2)
        let pool = WorkStealingExecutor(topology: topology, workers: nil, policy: .default, startThreads: false)
        defer { pool.shutdown() }
        #expect((0..<4).allSatisfy { !pool.testsOnly_searchesRandomly(worker: $0) })

        // Before the fix this submit flipped a pool-wide flag, so every worker searched at random.
        let step = PushingTarget()
        pool.scheduler(for: .workStealing(numaAware: false)).submit([WorkItem(target: step, index: 0)])
        #expect((0..<4).allSatisfy { !pool.testsOnly_searchesRandomly(worker: $0) })

        let first = try #require(pool.testsOnly_sweep(asWorker: 0))
        #expect(first.prefersRandomVictims)
        pool.testsOnly_run(first, asWorker: 0)
        #expect(pool.testsOnly_searchesRandomly(worker: 0))
        #expect(!pool.testsOnly_searchesRandomly(worker: 1))

        // What the step's item pushed carries its order to the worker that steals it.
        let child = try #require(pool.testsOnly_sweep(asWorker: 1))
        #expect(child.prefersRandomVictims)
        pool.testsOnly_run(child, asWorker: 1)
        #expect(pool.testsOnly_searchesRandomly(worker: 1))

        // A NUMA-aware step's item puts the worker back in NUMA-aware order.
        pool.submit([WorkItem(target: InertTarget(), index: 0)])
        let numa = try #require(pool.testsOnly_sweep(asWorker: 0))
        #expect(!numa.prefersRandomVictims)
        pool.testsOnly_run(numa, asWorker: 0)
        #expect(!pool.testsOnly_searchesRandomly(worker: 0))
        #expect(pool.testsOnly_searchesRandomly(worker: 1))
    }

    @Test("a random-order pool's own submits and a NUMA-aware scheduler on it mark items accordingly")
    func numaStepOnRandomPool() throws {
        let topology = try syntheticTopology(nodes: 1, cpusPerNode: 2)
        let pool = WorkStealingExecutor(
            topology: topology, workers: nil, policy: .workStealing(numaAware: false), startThreads: false)
        defer { pool.shutdown() }
        #expect(pool.testsOnly_searchesRandomly(worker: 0))
        pool.submit([WorkItem(target: InertTarget(), index: 0)])
        let own = try #require(pool.testsOnly_sweep(asWorker: 0))
        #expect(own.prefersRandomVictims)
        own.discard()
        pool.scheduler(for: .workStealing(numaAware: true)).submit([WorkItem(target: InertTarget(), index: 1)])
        let numa = try #require(pool.testsOnly_sweep(asWorker: 0))
        #expect(!numa.prefersRandomVictims)
        pool.testsOnly_run(numa, asWorker: 0)
        #expect(!pool.testsOnly_searchesRandomly(worker: 0))
    }
}

/// Item 0 pushes item 1; item 1 does nothing.
private final class PushingTarget: WorkTarget {
    func run(_ index: Int, in context: inout WorkerContext) {
        if index == 0 { context.push(WorkItem(target: self, index: 1)) }
    }
}
