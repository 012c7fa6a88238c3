import Synchronization

/// Work-first starts: the thread that starts a step runs its first ready item itself, and the pool's workers
/// join as they wake.
///
/// Handing every root to the pool makes even a one-op step pay for a sleeping worker's wake-up (tens of
/// microseconds with the caller waiting). Here the caller fires the first root and its chain of inline
/// successors on its own thread, as `.callerThread` would; whatever else becomes ready goes to the pool at once,
/// so workers take over the parallel parts. A step without parallelism never leaves the caller's thread.
///
/// The caller is not a worker: what it hands over goes through an injection queue, one locked push each, rather
/// than to a deque of its own. That suits small steps; the session starts large ones on the pool.
extension WorkStealingExecutor {
    /// Runs `items[0]` (and everything it runs inline) on the calling thread and hands the other items, and
    /// the work they make ready (marked with the step's victim order), to the pool. From one of this pool's
    /// workers (a run from inside a kernel) or after shutdown it is ``submit(_:)``'s work-stealing path.
    ///
    ///     pool.startOnCaller([WorkItem(borrowing: step, index: root)], randomVictims: false)
    func startOnCaller(_ items: [WorkItem], randomVictims: Bool) {
        guard let first = items.first else { return }
        if Worker.current != nil || shuttingDown.load(ordering: .relaxed) {
            submitToDeques(items)
            return
        }
        if items.count > 1 { submitToDeques(Array(items.dropFirst())) }
        let sink = CallerStartSink(pool: self, randomVictims: randomVictims)
        var context = WorkerContext(sink: sink, workerIndex: 0, numaNode: 0)
        first.run(in: &context)
    }
}

/// Where the caller's pushes go during a work-first start: straight to the pool's injection queue, waking a
/// worker, so nothing waits behind the caller's own inline chain.
struct CallerStartSink: WorkSink {
    let pool: WorkStealingExecutor
    /// The starting step's victim order, which what it pushes inherits.
    let randomVictims: Bool

    func push(_ item: WorkItem) {
        pool.submitToDeques(CollectionOfOne(randomVictims ? item.withVictimOrder(random: true) : item))
    }
}
