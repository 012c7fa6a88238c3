import ActorFlowExecutor

#if canImport(Glibc)
import Glibc
#endif

/// A plain detached thread for tests (submitters and thieves that are not pool workers).
struct TestThread: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// Runs blocking test code on its own thread and awaits it, so tests never block Swift's cooperative
/// threads (on a 2-core machine there are two; blocking both would starve the `.swiftDefault` scheduler
/// and the test runner itself).
func blocking<R: Sendable>(_ body: @escaping @Sendable () -> R) async -> R {
    await withCheckedContinuation { continuation in
        TestThread { continuation.resume(returning: body()) }.start()
    }
}

/// Waits for a latch without blocking a cooperative thread.
func wait(for latch: CompletionLatch) async {
    await blocking { latch.wait() }
}
