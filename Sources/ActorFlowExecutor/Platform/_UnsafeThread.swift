#if canImport(Glibc)
import Glibc
#endif

/// A joinable POSIX thread: the pool's workers. The only `pthread_create` caller.
package struct ThreadHandle: Sendable {
    fileprivate let thread: pthread_t

    /// Starts a thread running `body`. Creating a thread only fails when the system is out of resources,
    /// which leaves the pool unable to exist: that is a crash with the errno, not an error to handle.
    ///
    /// The corresponding C function is `pthread_create`.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> ThreadHandle {
        let box = unsafe Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let result = unsafe pthread_create(&thread, nil, { argument in
            let body = unsafe Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed: errno \(result)")
        return ThreadHandle(thread: thread)
    }

    /// Runs `body` on a new thread nobody joins.
    package static func detach(_ body: @escaping @Sendable () -> Void) {
        let handle = spawn(body)
        pthread_detach(handle.thread)
    }

    /// Waits for the thread to end.
    ///
    /// The corresponding C function is `pthread_join`.
    func join() {
        let result = pthread_join(thread, nil)
        precondition(result == 0, "pthread_join failed: errno \(result)")
    }

    /// Lets the thread end without a join.
    func detach() {
        pthread_detach(thread)
    }
}

private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
