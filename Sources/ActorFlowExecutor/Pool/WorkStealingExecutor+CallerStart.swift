import Synchronization

/// Work-first starts: the thread that starts a step runs its first ready item itself, and the pool's workers
/// join as they wake.
///
/// Handing every root to the pool makes even a one-op step pay for a sleeping worker's wake-up (tens of
/// microseconds with the caller waiting). Here the caller fires the first root and its chain of inline
/// successors on its own thread, as `.callerThread` would; whatever else becomes ready goes to the pool in small
/// batches, so workers take over the parallel parts. A small step never leaves the caller's thread; a large
/// one still spreads.
extension WorkStealingExecutor {
    /// The most items the caller keeps before handing them to the pool.
    static let callerBatch = 32

    /// Runs `items[0]` (and everything it runs inline) on the calling thread and hands the other items, and
    /// the work they make ready, to the pool. From one of this pool's workers (a run from inside a kernel) or
    /// after shutdown it is ``submit(_:)``'s work-stealing path.
    ///
    ///     pool.startOnCaller([WorkItem(borrowing: step, index: root)])   // root fires on this thread
    func startOnCaller(_ items: [WorkItem]) {
        guard let first = items.first else { return }
        if Worker.current != nil || shuttingDown.load(ordering: .relaxed) {
            submitToDeques(items)
            return
        }
        if items.count > 1 { submitToDeques(Array(items.dropFirst())) }
        let sink = CallerStartSink(pool: self)
        var context = WorkerContext(sink: sink, workerIndex: 0, numaNode: 0)
        first.run(in: &context)
        sink.flush()
    }
}

/// Where the caller's pushes go during a work-first start: a small buffer, handed to the pool's injection queue
/// (and a worker woken) every ``WorkStealingExecutor/callerBatch`` items and when the caller's item ends.
final class CallerStartSink: WorkSink, @unchecked Sendable {
    private let pool: WorkStealingExecutor
    // Confined to the starting thread: made, filled and flushed within one `startOnCaller` call.
    @exclusivity(unchecked) private var buffer: [WorkItem] = []

    init(pool: WorkStealingExecutor) {
        self.pool = pool
    }

    func push(_ item: WorkItem) {
        unsafe buffer.append(item)
        if unsafe buffer.count >= WorkStealingExecutor.callerBatch { flush() }
    }

    /// Hands the buffered items to the pool.
    func flush() {
        guard unsafe !buffer.isEmpty else { return }
        unsafe pool.submitToDeques(buffer)
        unsafe buffer.removeAll(keepingCapacity: true)
    }
}
