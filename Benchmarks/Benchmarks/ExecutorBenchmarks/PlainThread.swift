import Foundation

/// Runs `body` on a new plain thread and blocks until it returns, passing on what it throws.
func onPlainThread(_ body: @escaping @Sendable () throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    let failure = ErrorBox()
    let thread = Thread {
        do { try body() } catch { failure.set(error) }
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    done.wait()
    if let error = failure.get() { throw error }
}

/// The error a plain thread threw, handed back to the waiting thread.
private final class ErrorBox: @unchecked Sendable {
    // Written by the plain thread before it signals the semaphore, read by the waiter after the wait: the
    // semaphore orders the two accesses.
    private var error: (any Error)?

    func set(_ error: any Error) { self.error = error }
    func get() -> (any Error)? { error }
}
