/// Clear-box entry points for the executor's tests (a pool built with `startThreads: false` has no threads,
/// so the test thread may act as any worker).
extension WorkStealingExecutor {
    /// Pushes to worker `index`'s deque as if that worker did.
    package func testsOnly_push(_ item: WorkItem, toWorker index: Int) {
        workers[index].deque.push(item)
    }

    /// One search sweep as worker `index` would make it; the steal counters are updated.
    package func testsOnly_sweep(asWorker index: Int) -> WorkItem? {
        switch sweep(workers[index]) {
        case .local(let item), .global(let item): item
        case nil: nil
        }
    }

    /// Worker `index`'s NUMA-aware search order.
    package func testsOnly_searchOrder(ofWorker index: Int) -> [VictimSource] {
        workers[index].searchOrder
    }

    /// Workers currently asleep.
    package var testsOnly_sleepingWorkers: [Int] { idle.sleepingWorkers }
}
