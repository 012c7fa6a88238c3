import ActorFlowExecutor

/// The schedulers behind each ``SchedulingPolicy``: the pool policies are views of a
/// `WorkStealingExecutor` (the session's, or `.shared`: one pinned worker per allowed CPU), the others
/// need no threads.
enum SchedulerDirectory {
    static let callerThread = CallerThreadScheduler()

    static func scheduler(for policy: SchedulingPolicy, on pool: WorkStealingExecutor) -> any WorkScheduler {
        switch policy {
        case .callerThread: callerThread
        case .swiftDefault: SwiftDefaultScheduler.shared
        case .workStealing, .globalQueue: pool.scheduler(for: policy)
        }
    }
}
