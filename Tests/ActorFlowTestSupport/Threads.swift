#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// Plain POSIX threads for tests.
//
// Swift Testing runs tests on the cooperative pool (two threads on a 2-core machine). `Session.run` and the
// executor's waits block their caller, and `.swiftDefault` runs ops as tasks on that very pool, so blocking work
// runs on threads of its own and is awaited through a continuation: the pool is never blocked.

/// The stack a test thread gets unless it asks: as large as the main thread's, for deep graphs.
public let defaultTestThreadStack = 8 << 20

/// Runs `body` on a new plain thread and awaits what it returns or throws.
///
///     let value = try await onPlainThread { try session.run(y) }
///
/// - Parameters:
///   - stackSize: The thread's stack in bytes (tests of deep recursion pass a small one).
///   - body: The blocking work.
public func onPlainThread<R: Sendable>(
    stackSize: Int = defaultTestThreadStack, _ body: @escaping @Sendable () throws -> R
) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        startThread(stackSize: stackSize) { continuation.resume(with: Result { try body() }) }
    }
}

/// Runs non-throwing blocking work on a new plain thread and awaits its result.
///
///     await blocking { latch.wait() }
public func blocking<R: Sendable>(
    stackSize: Int = defaultTestThreadStack, _ body: @escaping @Sendable () -> R
) async -> R {
    await withCheckedContinuation { continuation in
        startThread(stackSize: stackSize) { continuation.resume(returning: body()) }
    }
}

/// Runs `body(i)` for `i` in `0..<count` on `count` plain threads that wait for each other before starting,
/// and returns the results in order once every thread has finished (the first error, if any threw).
///
///     let values = try await onPlainThreads(4) { i in try session.run(y, feeds: [x: Float(i)]) }
public func onPlainThreads<R: Sendable>(
    _ count: Int, stackSize: Int = defaultTestThreadStack, _ body: @escaping @Sendable (Int) throws -> R
) async throws -> [R] {
    let barrier = Barrier(count)
    return try await withThrowingTaskGroup(of: (Int, R).self) { group in
        for i in 0..<count {
            group.addTask {
                try await onPlainThread(stackSize: stackSize) {
                    barrier.arriveAndWait()
                    return (i, try body(i))
                }
            }
        }
        var results = [R?](repeating: nil, count: count)
        for try await (i, r) in group { results[i] = r }
        return results.map { $0! }
    }
}

/// ``onPlainThreads(_:stackSize:_:)`` for work that cannot throw.
public func blockingTogether<R: Sendable>(
    _ count: Int, stackSize: Int = defaultTestThreadStack, _ body: @escaping @Sendable (Int) -> R
) async -> [R] {
    let barrier = Barrier(count)
    return await withTaskGroup(of: (Int, R).self) { group in
        for i in 0..<count {
            group.addTask {
                await blocking(stackSize: stackSize) {
                    barrier.arriveAndWait()
                    return (i, body(i))
                }
            }
        }
        var results = [R?](repeating: nil, count: count)
        for await (i, r) in group { results[i] = r }
        return results.map { $0! }
    }
}

/// Runs `body(i)` on `count` new threads started together, joins them all and returns the results in order.
///
/// It blocks the calling thread: call it from a plain thread (inside ``blocking(stackSize:_:)``), or where the
/// threads' exit must have happened before the call returns (thread-exit destructors have run).
///
///     let ok = joinedThreads(4) { _ in HardwareCounters.currentThreadTotals() != nil }
public func joinedThreads<R: Sendable>(
    _ count: Int, stackSize: Int = defaultTestThreadStack, _ body: @escaping @Sendable (Int) -> R
) -> [R] {
    let barrier = Barrier(count)
    let results = Mutex([R?](repeating: nil, count: count))
    let threads = (0..<count).map { i in
        startThread(stackSize: stackSize, detached: false) {
            barrier.arriveAndWait()
            let r = body(i)
            results.withLock { $0[i] = r }
        }
    }
    for thread in threads { pthread_join(thread, nil) }
    return results.withLock { $0.map { $0! } }
}

/// Starts `body` on a new detached thread and returns at once (submitters and thieves that are not pool workers).
///
///     startDetachedThread { pool.submit(items) }
public func startDetachedThread(stackSize: Int = defaultTestThreadStack, _ body: @escaping @Sendable () -> Void) {
    startThread(stackSize: stackSize, body)
}

@discardableResult
private func startThread(
    stackSize: Int, detached: Bool = true, _ body: @escaping @Sendable () -> Void
) -> pthread_t {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    precondition(pthread_attr_setstacksize(&attributes, stackSize) == 0, "bad stack size \(stackSize)")
    if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
    var thread = pthread_t()
    let result = pthread_create(&thread, &attributes, { argument in
        Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, box)
    precondition(result == 0, "pthread_create failed: \(result)")
    return thread
}

private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Holds threads until `count` of them have arrived (spinning with `sched_yield`, for plain test threads).
public final class Barrier: Sendable {
    private let count: Int
    private let arrived = Atomic<Int>(0)

    /// A barrier for `count` threads.
    public init(_ count: Int) { self.count = count }

    /// Arrives and waits until every thread has.
    public func arriveAndWait() {
        arrived.add(1, ordering: .acquiringAndReleasing)
        while arrived.load(ordering: .acquiring) < count { sched_yield() }
    }
}

/// A flag one thread raises and others wait for.
///
///     let started = Signal()
///     startDetachedThread { started.raise(); … }
///     #expect(started.wait(limit: .seconds(60)))
public final class Signal: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A lowered flag.
    public init() {}

    /// Raises the flag.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// Whether the flag is raised.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// Waits for the flag, at most `limit` (a bound against hangs, not a timing check); returns whether it rose.
    @discardableResult
    public func wait(limit: Duration = defaultWaitLimit) -> Bool {
        spin(until: limit) { self.isRaised }
    }
}
