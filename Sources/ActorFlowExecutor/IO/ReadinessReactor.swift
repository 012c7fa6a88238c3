@_spi(ActorFlowInternal) import ActorFlowCore

/// Waits for pipes, FIFOs, sockets and character devices to become readable without holding a thread per
/// wait: one epoll instance watched by one thread for the process, started on first use.
///
/// A waiting task registers its descriptor (one-shot) under a fresh token and suspends on a checked
/// continuation; the reactor thread resumes it when epoll reports the token. Cancellation resumes the task
/// with `CancellationError` at once, and so does a waiter's `shouldStop` check, which the reactor polls every
/// 50 ms while any waiter has one (a step's cancellation flag has no callback to wake us).
///
/// Thread safety: ``waitUntilReadable(_:shouldStop:)`` may be called from any task.
final class ReadinessReactor: Sendable {
    /// The process's reactor.
    static let shared = ReadinessReactor()

    /// How often the reactor polls `shouldStop` checks while waiters have them.
    private static let stopCheckMilliseconds: CInt = 50
    /// The token of the wake-up eventfd's watch (waiters' tokens start at 1).
    private static let wakeToken: UInt64 = 0

    /// A suspended task and what it waits for.
    private struct Waiter: Sendable {
        let continuation: CheckedContinuation<Void, any Error>
        let shouldStop: (@Sendable () -> Bool)?
    }

    private struct State: Sendable {
        /// Tasks waiting for their descriptor.
        var waiters = WaiterRegistry<Waiter>()
        /// How many of `waiters` have a `shouldStop` check (the reactor polls only while there are any).
        var stopChecks = 0
        /// Waits registered so far (for tests).
        var registrations = 0
    }

    /// The epoll instance; lives as long as the process.
    private let epoll: CInt
    /// An eventfd in `epoll`'s set, signalled when a waiter with a `shouldStop` check arrives so the reactor
    /// starts polling.
    private let wakeup: CInt
    private let state = Locked(State())

    private init() {
        // Without an epoll instance or an eventfd (descriptor limit reached) no stream can be read
        // without blocking a thread: a crash naming the errno, as when a pool thread cannot start.
        guard case .value(let epoll) = FileIO.epollCreate(), case .value(let wakeup) = FileIO.eventCreate() else {
            preconditionFailure("the file reader's reactor cannot create its epoll instance or eventfd")
        }
        self.epoll = CInt(epoll)
        self.wakeup = CInt(wakeup)
        let watched = FileIO.epollWatch(self.epoll, self.wakeup, token: Self.wakeToken, once: false)
        precondition(watched == 0, "epoll_ctl on the reactor's eventfd failed: \(FileIO.describe(watched))")
        ThreadHandle.detach { [self] in serve() }
    }

    /// Waits until `descriptor` is readable, at end of stream, or cannot be polled at all (then it returns at
    /// once: reading such a file never says `EAGAIN`).
    ///
    /// - Throws: `CancellationError` when the task is cancelled or `shouldStop` returns true while waiting.
    func waitUntilReadable(_ descriptor: CInt, shouldStop: (@Sendable () -> Bool)?) async throws {
        let token = state.withLock { state in
            state.registrations += 1
            return state.waiters.newToken()
        }
        defer {
            FileIO.epollUnwatch(epoll, descriptor)
            state.withLock { $0.waiters.finish(token) }
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state in
                    guard state.waiters.register(Waiter(continuation: continuation, shouldStop: shouldStop), token: token)
                    else { return true }
                    if shouldStop != nil { state.stopChecks += 1 }
                    return false
                }
                if cancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if FileIO.epollWatch(epoll, descriptor, token: token) != 0 {
                    // Not pollable (or the watch failed): let the caller read again, which reports what is wrong.
                    remove(token)?.continuation.resume()
                    return
                }
                if shouldStop != nil { FileIO.eventSignal(wakeup) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                let waiter = state.waiters.cancel(token)
                if waiter?.shouldStop != nil { state.stopChecks -= 1 }
                return waiter
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// The waits registered so far and those still waiting (for tests: whether a read went through the reactor).
    package var testsOnly_counts: (registered: Int, waiting: Int) {
        state.withLock { ($0.registrations, $0.waiters.waiting.count) }
    }

    private func remove(_ token: UInt64) -> Waiter? {
        state.withLock { Self.take(token, from: &$0) }
    }

    private static func take(_ token: UInt64, from state: inout State) -> Waiter? {
        guard let waiter = state.waiters.take(token) else { return nil }
        if waiter.shouldStop != nil { state.stopChecks -= 1 }
        return waiter
    }

    /// The reactor thread's body: waits for events, resumes their waiters, and polls `shouldStop` checks.
    private func serve() {
        Affinity.nameCurrentThread("af-io-reactor")
        while true {
            let polling = state.withLock { $0.stopChecks > 0 }
            let tokens = waitForReadiness(timeoutMilliseconds: polling ? Self.stopCheckMilliseconds : -1)
            var ready: [Waiter] = []
            for token in tokens {
                if token == Self.wakeToken {
                    FileIO.eventDrain(wakeup)
                } else if let waiter = remove(token) {
                    ready.append(waiter)
                }
            }
            for waiter in ready { waiter.continuation.resume() }
            if polling { resumeStoppedWaiters() }
        }
    }

    /// Blocks in `epoll_wait`. Keep this name stable: profilers recognise the idle reactor by it.
    private func waitForReadiness(timeoutMilliseconds: CInt) -> [UInt64] {
        FileIO.epollWait(epoll, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Resumes with `CancellationError` every waiter whose `shouldStop` returns true. The checks run outside
    /// the lock (they are the caller's code).
    private func resumeStoppedWaiters() {
        let checks = state.withLock { state in
            state.waiters.waiting.compactMap { token, waiter in waiter.shouldStop.map { (token, $0) } }
        }
        for (token, shouldStop) in checks where shouldStop() {
            remove(token)?.continuation.resume(throwing: CancellationError())
        }
    }
}
