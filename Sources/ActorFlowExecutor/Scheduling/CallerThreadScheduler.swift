/// Runs every item on the thread that submits it, depth first, with no thread hop.
///
/// What TensorFlow users get with `inter_op_thread_pool = -1`: the cheapest schedule for tiny graphs.
public final class CallerThreadScheduler: WorkScheduler {
    public init() {}

    public var parallelism: Int { 1 }
    public var policy: SchedulingPolicy { .callerThread }

    public func submit(_ items: [WorkItem]) {
        let stack = LocalStack(items)
        var context = WorkerContext(sink: stack, workerIndex: 0, numaNode: 0)
        while let item = stack.pop() {
            item.run(in: &context)
        }
    }

    /// The caller's private LIFO of pushed items; only the submitting thread touches it.
    private final class LocalStack: WorkSink, @unchecked Sendable {
        // Confined to the submitting thread: created, pushed to and popped within one `submit` call, so the
        // runtime exclusivity check (a third of the per-item cost) is off.
        @exclusivity(unchecked) private var items: [WorkItem]

        init(_ items: [WorkItem]) { unsafe self.items = items.reversed() }

        func push(_ item: WorkItem) { unsafe items.append(item) }
        func pop() -> WorkItem? { unsafe items.popLast() }
    }
}
