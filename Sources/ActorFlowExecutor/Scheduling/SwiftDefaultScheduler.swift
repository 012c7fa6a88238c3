/// Runs every item as its own `Task` on Swift's global concurrent executor.
///
/// A baseline for research: it shows what one task per firing costs compared with the pool.
public final class SwiftDefaultScheduler: WorkScheduler {
    public init() {}

    public var parallelism: Int { ProcessInfoCPUCount.online }
    public var policy: SchedulingPolicy { .swiftDefault }

    public func submit(_ items: [WorkItem]) {
        for item in items { TaskSink.shared.push(item) }
    }

    /// Starts one task per pushed item.
    private struct TaskSink: WorkSink {
        static let shared = TaskSink()

        func push(_ item: WorkItem) {
            Task.detached {
                var context = WorkerContext(sink: TaskSink.shared, workerIndex: 0, numaNode: 0)
                item.run(in: &context)
            }
        }
    }
}

extension SwiftDefaultScheduler {
    /// One shared instance (the scheduler holds no state).
    public static let shared = SwiftDefaultScheduler()
}
