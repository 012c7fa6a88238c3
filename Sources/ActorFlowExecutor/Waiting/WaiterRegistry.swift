/// Suspended tasks by token, for the one thread that resumes them (the kernel timer, the I/O reactor), with the
/// race that cancellation brings: a task cancelled after it took its token but before it registered.
///
/// Kept inside its owner's lock. The protocol of a wait:
///
///     let token = state.withLock { $0.waiters.newToken() }
///     defer { state.withLock { $0.waiters.finish(token) } }
///     try await withTaskCancellationHandler {
///         try await withCheckedThrowingContinuation { continuation in
///             let registered = state.withLock { $0.waiters.register(continuation, token: token) }
///             if !registered { continuation.resume(throwing: CancellationError()) }
///         }
///     } onCancel: {
///         state.withLock { $0.waiters.cancel(token) }?.resume(throwing: CancellationError())
///     }
///
/// and the resuming thread calls ``take(_:)`` for a token that is due.
struct WaiterRegistry<Waiter> {
    private var nextToken: UInt64 = 1
    /// The registered waiters, by token.
    private(set) var waiting: [UInt64: Waiter] = [:]
    /// Tokens whose task was cancelled before it registered.
    private var cancelledEarly: Set<UInt64> = []

    /// A token no other wait has.
    mutating func newToken() -> UInt64 {
        defer { nextToken += 1 }
        return nextToken
    }

    /// Registers `waiter` under `token`; `false`, registering nothing, when the task was already cancelled (the
    /// caller then resumes it with `CancellationError`).
    mutating func register(_ waiter: Waiter, token: UInt64) -> Bool {
        if cancelledEarly.remove(token) != nil { return false }
        waiting[token] = waiter
        return true
    }

    /// The waiter under `token`, removed, or `nil` when it has been resumed already or has not registered yet.
    mutating func take(_ token: UInt64) -> Waiter? {
        waiting.removeValue(forKey: token)
    }

    /// For a cancellation handler: the registered waiter, removed (the caller resumes it with
    /// `CancellationError`), or `nil` after remembering that `token`'s task must not register.
    mutating func cancel(_ token: UInt64) -> Waiter? {
        if let waiter = waiting.removeValue(forKey: token) { return waiter }
        cancelledEarly.insert(token)
        return nil
    }

    /// Forgets `token` once its wait has ended however it ended.
    mutating func finish(_ token: UInt64) {
        cancelledEarly.remove(token)
    }
}

extension WaiterRegistry: Sendable where Waiter: Sendable {}
