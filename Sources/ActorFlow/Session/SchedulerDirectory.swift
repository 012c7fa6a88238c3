import ActorFlowExecutor

/// The process-wide schedulers behind each ``SchedulingPolicy``.
enum SchedulerDirectory {
    static let callerThread = CallerThreadScheduler()
    static let swiftDefault = SwiftDefaultScheduler()

    static func scheduler(for policy: SchedulingPolicy) -> any WorkScheduler {
        switch policy {
        case .callerThread: callerThread
        case .swiftDefault, .workStealing, .globalQueue: swiftDefault
        }
    }
}
