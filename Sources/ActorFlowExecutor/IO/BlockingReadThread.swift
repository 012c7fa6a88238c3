@_spi(ActorFlowInternal) import ActorFlowCore

/// The file reader's own thread for the calls that may wait for storage: a read whose data is not in the page
/// cache, an open whose path lookup is not cached. Neither a pool worker nor a thread of Swift's cooperative
/// pool, so a slow disk holds this thread and nothing else.
///
/// One thread for the process, started on first use (`shared` is a lazily initialized static). Jobs run in the
/// order they were submitted; each is bounded (one chunk of a read), so a huge file does not hold the thread
/// against other readers for long.
///
/// Thread safety: ``perform(_:)`` may be called from any thread or task.
final class BlockingReadThread: Sendable {
    /// The process's blocking-read thread.
    static let shared = BlockingReadThread()

    /// Jobs waiting for the thread, oldest first.
    private let jobs = Locked<[@Sendable () -> Void]>([])
    /// Where the thread sleeps while there are no jobs.
    private let parker = Parker()

    private init() {
        ThreadHandle.detach { [self] in serve() }
    }

    /// Runs `work` on the blocking-read thread and suspends the calling task until it returns, without
    /// holding the caller's thread.
    func perform<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: work()) } }
            parker.unpark()
        }
    }

    /// The thread's body: takes every pending job, runs them in order, sleeps when there are none.
    private func serve() {
        Affinity.nameCurrentThread("af-io-read")
        while true {
            let batch = jobs.withLock { pending in
                let taken = pending
                pending.removeAll(keepingCapacity: true)
                return taken
            }
            if batch.isEmpty {
                waitForReadJobs()
                continue
            }
            for job in batch { job() }
        }
    }

    /// Sleeps until a job is submitted. Keep this name stable: profilers recognise the idle I/O thread by it.
    private func waitForReadJobs() {
        parker.park()
    }
}
