#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Plain POSIX threads for tests: a stack of a chosen size, and groups started together.
///
/// Swift Testing runs tests on the cooperative pool (two threads on a 2-core machine); blocking work runs
/// here instead and is awaited through a continuation, so the pool is never blocked.
enum Pthreads {
    /// The smallest stack a test thread gets: small enough that deep recursion overflows it.
    static let smallStack = 512 << 10

    /// Runs `body` on a new thread with a stack of `stackSize` bytes and returns its result.
    static func run<R: Sendable>(stackSize: Int = smallStack, _ body: @escaping @Sendable () -> R) async -> R {
        await withCheckedContinuation { continuation in
            start(stackSize: stackSize) { continuation.resume(returning: body()) }
        }
    }

    /// Runs `body(i)` for `i` in `0..<count` on `count` threads that wait for each other before starting,
    /// and returns the results in order once every thread has finished.
    static func runTogether<R: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> R) async -> [R] {
        let barrier = Barrier(count)
        return await withTaskGroup(of: (Int, R).self) { group in
            for i in 0..<count {
                group.addTask {
                    await run(stackSize: 1 << 20) {
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

    private static func start(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        precondition(pthread_attr_setstacksize(&attributes, stackSize) == 0, "bad stack size \(stackSize)")
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { argument in
            Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// A flag one thread raises and another waits for (spinning with `sched_yield`, for plain test threads).
final class Signal: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .releasing) }

    func wait() {
        while !raised.load(ordering: .acquiring) { sched_yield() }
    }
}

/// Holds threads until `count` of them have arrived.
final class Barrier: Sendable {
    private let count: Int
    private let arrived = Atomic<Int>(0)

    init(_ count: Int) { self.count = count }

    func arriveAndWait() {
        arrived.add(1, ordering: .acquiringAndReleasing)
        while arrived.load(ordering: .acquiring) < count { sched_yield() }
    }
}
