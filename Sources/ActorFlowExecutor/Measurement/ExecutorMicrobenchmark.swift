import Synchronization

/// Per-item cost of the schedulers on two synthetic shapes, for quick comparisons (the real benchmarks
/// run sessions through `actorflow bench`).
///
///     let pool = WorkStealingExecutor(workers: 2)
///     let ns = ExecutorMicrobenchmark.nanosecondsPerItem(
///         .chain, size: 100_000, on: pool.scheduler(for: .globalQueue), repetitions: 5)
///     print(ns.sorted()[2])   // the median
package enum ExecutorMicrobenchmark {
    /// What the items do.
    package enum Shape: String, Sendable, CaseIterable {
        /// Item `i` pushes item `i + 1`: no parallelism, every item goes through a queue.
        case chain
        /// Item 0 pushes items `1..<size`, which only count down: all parallelism, one producer.
        case fanout
    }

    /// Runs `shape` with `size` items `repetitions` times on `scheduler` and returns, per repetition, the
    /// wall-clock nanoseconds per item (from submit to the last item's completion).
    package static func nanosecondsPerItem(
        _ shape: Shape, size: Int, on scheduler: any WorkScheduler, repetitions: Int
    ) -> [Double] {
        let clock = ContinuousClock()
        return (0..<max(1, repetitions)).map { _ in
            let latch = CompletionLatch(count: 1)
            let target: any WorkTarget =
                switch shape {
                case .chain: ChainItems(size: max(1, size), latch: latch)
                case .fanout: FanOutItems(size: max(1, size), latch: latch)
                }
            let start = clock.now
            scheduler.submit([WorkItem(target: target, index: 0)])
            latch.wait()
            let elapsed = start.duration(to: clock.now).components
            let nanoseconds = Double(elapsed.seconds) * 1e9 + Double(elapsed.attoseconds) / 1e9
            return nanoseconds / Double(max(1, size))
        }
    }

    private final class ChainItems: WorkTarget {
        let size: Int
        let latch: CompletionLatch
        init(size: Int, latch: CompletionLatch) {
            self.size = size
            self.latch = latch
        }
        func run(_ index: Int, in context: inout WorkerContext) {
            if index + 1 < size {
                context.push(WorkItem(target: self, index: index + 1))
            } else {
                latch.countDown()
            }
        }
    }

    private final class FanOutItems: WorkTarget {
        let size: Int
        let latch: CompletionLatch
        let remaining: Atomic<Int>
        init(size: Int, latch: CompletionLatch) {
            self.size = size
            self.latch = latch
            remaining = Atomic(size)
        }
        func run(_ index: Int, in context: inout WorkerContext) {
            if index == 0 {
                for child in 1..<size { context.push(WorkItem(target: self, index: child)) }
            }
            if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                latch.countDown()
            }
        }
    }
}
