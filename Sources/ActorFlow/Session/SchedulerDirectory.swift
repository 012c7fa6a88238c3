import ActorFlowExecutor

/// The process-wide schedulers behind each ``SchedulingPolicy``: the pool policies are views of
/// `WorkStealingExecutor.shared` (one pinned worker per allowed CPU), the others need no threads.
enum SchedulerDirectory {
    static let callerThread = CallerThreadScheduler()

    static func scheduler(for policy: SchedulingPolicy) -> any WorkScheduler {
        switch policy {
        case .callerThread: callerThread
        case .swiftDefault: SwiftDefaultScheduler.shared
        case .workStealing, .globalQueue: WorkStealingExecutor.shared.scheduler(for: policy)
        }
    }
}
