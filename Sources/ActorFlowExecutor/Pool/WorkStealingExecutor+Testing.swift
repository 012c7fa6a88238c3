/// Clear-box entry points for the executor's tests (a pool built with `startThreads: false` has no threads,
/// so the test thread may act as any worker).
extension WorkStealingExecutor {
    /// Pushes to worker `index`'s deque as if that worker did.
    package func testsOnly_push(_ item: WorkItem, toWorker index: Int) {
        workers[index].deque.push(item)
    }

    /// What worker `index` would run next: an item of its own deque, else one found by a search sweep (which
    /// may move a batch of stolen items to its deque); the steal counters are updated.
    package func testsOnly_sweep(asWorker index: Int) -> WorkItem? {
        if let own = workers[index].deque.pop() { return own }
        return switch sweep(workers[index]) {
        case .local(let item), .global(let item): item
        case nil: nil
        }
    }

    /// Worker `index`'s NUMA-aware search order.
    package func testsOnly_searchOrder(ofWorker index: Int) -> [VictimSource] {
        workers[index].searchOrder
    }

    /// Runs `item` as worker `index`'s run loop would (taking on the item's victim order).
    package func testsOnly_run(_ item: WorkItem, asWorker index: Int) {
        var context = WorkerContext(sink: workers[index], workerIndex: index, numaNode: workers[index].numaNode)
        run(item, on: workers[index], in: &context)
    }

    /// Whether worker `index`'s next search takes random victims.
    package func testsOnly_searchesRandomly(worker index: Int) -> Bool { workers[index].searchesRandomly }

    /// Workers currently asleep.
    package var testsOnly_sleepingWorkers: [Int] { idle.sleepingWorkers }
}
