@_spi(ActorFlowInternal) import ActorFlowCore
import Dispatch

/// The work of a `.callerThread` step that arrives after the caller's scheduler returned: the resumed jobs of
/// its async kernels and the drains of their node actors' executors. The thread that called `Session.run`
/// runs them in ``run(until:deadline:)`` while it waits for the step, so under `.callerThread` every job of the
/// step still runs on that one thread.
///
/// It is the task executor the step's async kernels prefer, and the place their node executors send their
/// drains (``NodeSerialExecutor/route(to:)``). When the caller stops waiting before the step drained (a
/// deadline passed while a kernel ignores cancellation), ``handOff()`` sends what is queued, and everything
/// queued later, to the pool instead, so the late kernel still ends and its step still finishes.
///
///     let loop = CallerRunLoop(handingOffTo: pool)
///     node.executor.route(to: loop)
///     Task.detached(executorPreference: loop) { await kernel() }
///     let finished = loop.run(until: { latch.isReleased }, deadline: 0)
///
/// Thread safety: every method may be called from any thread; ``run(until:deadline:)`` from one at a time.
package final class CallerRunLoop: TaskExecutor, WorkSink, WorkTarget {
    private struct Queue {
        var items: [WorkItem] = []
        var head = 0
        /// Set by ``handOff()``: items go to the pool from then on.
        var handedOff = false

        mutating func popFirst() -> WorkItem? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return item
        }
    }

    /// Where work goes after ``handOff()``.
    package let pool: WorkStealingExecutor
    private let queue = Locked(Queue())
    /// Signalled once per queued item and by ``wake()``; the running loop waits on it.
    private let arrivals = DispatchSemaphore(value: 0)

    package init(handingOffTo pool: WorkStealingExecutor) {
        self.pool = pool
    }

    /// Queues `item` for the caller's thread (or the pool, after ``handOff()``).
    package func push(_ item: WorkItem) {
        let queued = queue.withLock { queue -> Bool in
            guard !queue.handedOff else { return false }
            queue.items.append(item)
            return true
        }
        if queued {
            arrivals.signal()
        } else {
            pool.enqueue(fromAnyThread: item)
        }
    }

    /// Queues a Swift job of a task that prefers this executor.
    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        push(WorkItem(target: self, index: unsafe unsafeBitCast(job, to: Int.self)))
    }

    /// Runs a queued job (item `index` is the job's bit pattern) with this loop as its task executor.
    package func run(_ index: Int, in context: inout WorkerContext) {
        let job = unsafe unsafeBitCast(index, to: UnownedJob.self)
        unsafe job.runSynchronously(on: asUnownedTaskExecutor())
    }

    /// Runs queued work on the calling thread until `finished()` is true, waiting for more while it is not.
    /// Returns `finished()`: `false` only when `deadline` (`CLOCK_MONOTONIC` nanoseconds, as
    /// `DispatchTime.uptimeNanoseconds`; 0 for none) passed first. Whoever makes `finished()` true must call
    /// ``wake()``.
    package func run(until finished: () -> Bool, deadline: UInt64) -> Bool {
        var context = WorkerContext(sink: self, workerIndex: 0, numaNode: 0)
        while true {
            while let item = queue.withLock({ $0.popFirst() }) { item.run(in: &context) }
            if finished() { return true }
            if deadline == 0 {
                arrivals.wait()
            } else if arrivals.wait(timeout: DispatchTime(uptimeNanoseconds: deadline)) == .timedOut {
                return finished()
            }
        }
    }

    /// Wakes a waiting ``run(until:deadline:)`` to check its condition.
    package func wake() { arrivals.signal() }

    /// Sends every queued item, and every later one, to the pool: nobody runs this loop any more.
    package func handOff() {
        let left = queue.withLock { queue -> [WorkItem] in
            queue.handedOff = true
            defer { queue = Queue(handedOff: true) }
            return Array(queue.items[queue.head...])
        }
        for item in left { pool.enqueue(fromAnyThread: item) }
    }
}
