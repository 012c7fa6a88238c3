/// Runs every item as its own `Task`: on Swift's global concurrent executor, or preferring a task executor.
///
/// A baseline for research: it shows what one task per firing costs compared with the pool.
///
///     SwiftDefaultScheduler.shared.submit(items)                            // global concurrent executor
///     SwiftDefaultScheduler(taskExecutor: WorkStealingExecutor.shared).submit(items)   // tasks on the pool
public final class SwiftDefaultScheduler: WorkScheduler {
    /// The executor the items' tasks prefer; `nil` for Swift's global concurrent executor.
    public let taskExecutor: (any TaskExecutor)?

    /// A scheduler whose tasks prefer `taskExecutor` (`nil`: Swift's global concurrent executor).
    public init(taskExecutor: (any TaskExecutor)? = nil) {
        self.taskExecutor = taskExecutor
    }

    public var parallelism: Int { ProcessInfoCPUCount.online }
    public var policy: SchedulingPolicy { .swiftDefault }

    public func submit(_ items: [WorkItem]) {
        let sink = TaskSink(executor: taskExecutor)
        for item in items { sink.push(item) }
    }

    /// Starts one task per pushed item.
    private struct TaskSink: WorkSink {
        let executor: (any TaskExecutor)?

        func push(_ item: WorkItem) {
            if let executor {
                Task.detached(executorPreference: executor) { run(item) }
            } else {
                Task.detached { run(item) }
            }
        }

        private func run(_ item: WorkItem) {
            var context = WorkerContext(sink: self, workerIndex: 0, numaNode: 0)
            item.run(in: &context)
        }
    }
}

extension SwiftDefaultScheduler {
    /// The scheduler of Swift's global concurrent executor (it holds no state).
    public static let shared = SwiftDefaultScheduler()
}
