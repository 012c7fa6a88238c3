/// How a session's steps are scheduled: one switch for scheduler research.
///
/// Every policy runs the same graph to the same results; only the schedule differs.
///
///     let s = Session(graph: g, options: SessionOptions(policy: .callerThread))
///     let two = Session(graph: g, options: SessionOptions(interOpPolicies: [.default, .workStealing(numaAware: false)]))
///     _ = try two.run(y, options: RunOptions(interOpThreadPool: 1))   // this run: the second policy
public enum SchedulingPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Pinned workers with work-stealing deques; idle workers steal from their own NUMA node first when
    /// `numaAware`, from random victims otherwise.
    case workStealing(numaAware: Bool)
    /// Pinned workers sharing one locked FIFO queue.
    case globalQueue
    /// Swift's global concurrent executor, one `Task` per firing (a baseline). A session run called from
    /// inside a task gives those tasks its worker pool as their preferred executor instead, so that the
    /// blocked caller cannot starve Swift's cooperative pool.
    case swiftDefault
    /// The whole step runs inline on the thread that called `run` (no thread hops; for tiny graphs).
    case callerThread

    /// The default: NUMA-aware work stealing.
    public static let `default` = SchedulingPolicy.workStealing(numaAware: true)

    /// The name used on the command line and in benchmark output: `ws-numa`, `ws`, `global`, `swift`,
    /// `caller`.
    public var name: String {
        switch self {
        case .workStealing(numaAware: true): "ws-numa"
        case .workStealing(numaAware: false): "ws"
        case .globalQueue: "global"
        case .swiftDefault: "swift"
        case .callerThread: "caller"
        }
    }

    /// Parses a command-line name (see ``name``).
    public init?(name: String) {
        switch name {
        case "ws-numa": self = .workStealing(numaAware: true)
        case "ws": self = .workStealing(numaAware: false)
        case "global": self = .globalQueue
        case "swift": self = .swiftDefault
        case "caller": self = .callerThread
        default: return nil
        }
    }

    /// Every policy, in the order benchmarks report them.
    public static let all: [SchedulingPolicy] = [
        .workStealing(numaAware: true), .workStealing(numaAware: false), .globalQueue, .swiftDefault, .callerThread,
    ]

    public var description: String { name }
}
