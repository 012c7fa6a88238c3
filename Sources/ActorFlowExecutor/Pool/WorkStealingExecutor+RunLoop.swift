import ActorFlowTraceEvents
import CActorFlowLinux
import Synchronization

/// Where a found item came from: it decides which sink the item's pushes go to.
enum FoundWork {
    /// From the worker's deque, a steal or an injection queue: pushes go to the worker's deque.
    case local(WorkItem)
    /// From the `.globalQueue` policy's queue: pushes go back to it.
    case global(WorkItem)
}

extension WorkStealingExecutor {
    /// A worker thread's whole life: set up, run items until shutdown leaves nothing to do, clean up.
    func runWorker(_ worker: Worker) {
        Affinity.nameCurrentThread(worker.name)
        if let cpu = worker.cpu {
            worker.isPinned.store(Affinity.pinCurrentThread(to: cpu), ordering: .relaxed)
        }
        Worker.setCurrent(worker)
        defer { Worker.setCurrent(nil) }
        let globalSink = GlobalQueueSink(worker: worker, queue: global, idle: idle)
        var localContext = WorkerContext(sink: worker, workerIndex: worker.index, numaNode: worker.numaNode)
        var globalContext = WorkerContext(sink: globalSink, workerIndex: worker.index, numaNode: worker.numaNode)
        var searching = false
        while true {
            if let item = worker.deque.pop() {
                run(item, on: worker, in: &localContext)
                continue
            }
            if let found = search(worker, searching: &searching) {
                run(found, on: worker, local: &localContext, global: &globalContext)
                continue
            }
            if shuttingDown.load(ordering: .acquiring) {
                if let found = sweep(worker) {
                    run(found, on: worker, local: &localContext, global: &globalContext)
                    continue
                }
                return
            }
            _blockingWaitForWork(worker, searching: &searching)
            if shuttingDown.load(ordering: .acquiring), worker.deque.approximateCount == 0,
                !hasVisibleWork(for: worker)
            {
                return
            }
        }
    }

    /// Parks the worker until a producer or shutdown wakes it. Keep this name stable: profilers use it to
    /// tell idle workers from busy ones.
    @inline(never)
    func _blockingWaitForWork(_ worker: Worker, searching: inout Bool) {
        let wasLastSearcher = idle.beginParking(worker.index, searching: searching)
        searching = false
        if wasLastSearcher && hasVisibleWork(for: worker) {
            idle.notifyOne()
        }
        if shuttingDown.load(ordering: .sequentiallyConsistent) {
            // Shutdown's unparkAll may already have run; do not sleep through it.
            searching = false
            return
        }
        WorkerCounters.add(1, to: worker.counters.parks)
        if ExecutorTraceGate.isOpen { Tracepoints.workerPark(worker: worker.index) }
        worker.parker.park()
        WorkerCounters.add(1, to: worker.counters.wakes)
        if ExecutorTraceGate.isOpen { Tracepoints.workerWake(worker: worker.index) }
        // Whoever woke us counted us as searching.
        searching = true
    }

    @inline(__always)
    func run(_ item: WorkItem, on worker: Worker, in context: inout WorkerContext) {
        worker.searchesRandomly = item.prefersRandomVictims
        item.run(in: &context)
        WorkerCounters.add(1, to: worker.counters.itemsRun)
        let inline = context.takeInlineContinuations()
        if inline != 0 { WorkerCounters.add(inline, to: worker.counters.inlineContinuations) }
        if worker.pushedDuringRun {
            worker.pushedDuringRun = false
            idle.notifyOne()
        }
    }

    @inline(__always)
    func run(_ found: FoundWork, on worker: Worker, local: inout WorkerContext, global: inout WorkerContext) {
        switch found {
        case .local(let item): run(item, on: worker, in: &local)
        case .global(let item): run(item, on: worker, in: &global)
        }
    }

    /// Looks for work elsewhere: as a searcher, several sweeps with pauses between them; when too many
    /// workers already search, one sweep.
    func search(_ worker: Worker, searching: inout Bool) -> FoundWork? {
        if !searching { searching = idle.tryBeginSearching() }
        let rounds = searching ? spinRounds : 1
        for round in 0..<rounds {
            if let found = sweep(worker) {
                if searching {
                    searching = false
                    // The last searcher hands the search on only when work is left to find (the rest of a
                    // stolen batch counts). Waking one more worker for nothing would leave it spinning, and
                    // on a CPU a thread outside the pool may be using: the caller of a one-op step running its
                    // share of a parallel loop.
                    if idle.endSearching() {
                        atomicMemoryFence(ordering: .sequentiallyConsistent)
                        if hasVisibleWork(for: worker) { idle.notifyOne() }
                    }
                }
                return found
            }
            if round + 1 < rounds {
                for _ in 0..<(8 << min(round, 4)) { CActorFlowLinux_cpu_relax() }
            }
        }
        return nil
    }

    /// One pass over every place work can be: the global queue, then injection queues and other workers'
    /// deques in the worker's victim order (NUMA-aware or random: that of the step whose item it ran last).
    func sweep(_ worker: Worker) -> FoundWork? {
        if !global.isEmpty, let item = global.pop() {
            WorkerCounters.add(1, to: worker.counters.globalQueueItems)
            return .global(item)
        }
        if !worker.searchesRandomly {
            for source in worker.searchOrder {
                if let item = take(from: source, for: worker) { return .local(item) }
            }
            return nil
        }
        let count = workers.count
        if count > 1 {
            let start = worker.random(below: count)
            for step in 0..<count {
                let victim = (start + step) % count
                if victim != worker.index, let item = take(from: .worker(victim), for: worker) {
                    return .local(item)
                }
            }
        }
        for step in 0..<injection.count {
            let position = (worker.nodePosition + step) % injection.count
            if let item = take(from: .injection(nodePosition: position), for: worker) { return .local(item) }
        }
        return nil
    }

    /// The most items one steal takes from another worker's deque (half of what it holds, up to this).
    static let stealBatch = 32

    /// Takes one item from `source`, counting the steal or the failed attempt. An injection queue hands over
    /// a batch, and another worker's deque half of its items up to ``stealBatch``: the rest goes to the
    /// worker's own deque. Steal counters count items.
    @inline(__always)
    func take(from source: VictimSource, for worker: Worker) -> WorkItem? {
        switch source {
        case .injection(let position):
            let queue = injection[position]
            guard !queue.isEmpty else { return nil }
            var batch = 0
            let item = queue.pop(takingUpTo: 16) { extra in
                worker.deque.push(extra)
                batch += 1
            }
            guard let item else { return nil }
            WorkerCounters.add(1 + batch, to: worker.counters.injectedItems)
            if batch > 0 { worker.pushedDuringRun = true }
            return item
        case .worker(let index):
            let victim = workers[index]
            switch victim.deque.steal() {
            case .stolen(let item):
                // Steal half (up to a batch): what a search costs — the victim scan and the idle-state updates
                // both workers see — is then paid once per batch instead of once per item.
                var extra = min(victim.deque.approximateCount / 2, Self.stealBatch - 1)
                var moved = 0
                while extra > 0, case .stolen(let more) = victim.deque.steal() {
                    worker.deque.push(more)
                    moved += 1
                    extra -= 1
                }
                if moved > 0 { worker.pushedDuringRun = true }
                let sameNode = victim.numaNode == worker.numaNode
                if sameNode {
                    WorkerCounters.add(1 + moved, to: worker.counters.localSteals)
                } else {
                    WorkerCounters.add(1 + moved, to: worker.counters.remoteSteals)
                }
                if ExecutorTraceGate.isOpen {
                    Tracepoints.steal(thief: worker.index, victim: victim.index, sameNode: sameNode)
                }
                return item
            case .empty, .contended:
                WorkerCounters.add(1, to: worker.counters.failedSteals)
                return nil
            }
        }
    }

    /// Whether any queue the worker could take from looks non-empty.
    func hasVisibleWork(for worker: Worker) -> Bool {
        if !global.isEmpty { return true }
        if injection.contains(where: { !$0.isEmpty }) { return true }
        return workers.contains { $0.deque.approximateCount > 0 }
    }
}
