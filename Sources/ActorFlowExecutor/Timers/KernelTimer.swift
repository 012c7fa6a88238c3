@_spi(ActorFlowInternal) import ActorFlowCore

/// Wakes sleeping async kernels without holding a thread per sleeper: one thread for the process keeps the
/// deadlines in a heap and sleeps on a futex until the earliest, then resumes every sleeper that is due.
///
/// `Task.sleep` costs more: each sleep arms a Dispatch timer and its wake-up runs on a Dispatch worker thread
/// before the task's resumption reaches its executor. Here a wake-up is one continuation resumed from the timer
/// thread, and sleepers whose deadlines fall together are resumed in one pass.
///
///     try await KernelTimer.shared.sleep(for: .milliseconds(20))    // in a kernel: `ctx.sleep(for:)`
///
/// Cancelling the sleeping task resumes it at once with `CancellationError` (a step that fails, times out or is
/// closed cancels its async kernels).
public final class KernelTimer: Sendable {
    /// The process's timer; its thread starts on first use.
    public static let shared = KernelTimer()

    private struct Deadline: Comparable {
        let nanos: UInt64
        let token: UInt64
        static func < (a: Deadline, b: Deadline) -> Bool { (a.nanos, a.token) < (b.nanos, b.token) }
    }

    private struct State {
        /// Pending deadlines (cancelled sleepers' stay until due and are skipped then).
        var heap = DeadlineHeap<Deadline>()
        var sleepers = WaiterRegistry<CheckedContinuation<Void, any Error>>()
    }

    private let state = Locked(State())
    /// Changed whenever a sleeper becomes the earliest, so the timer thread wakes to recompute its wait.
    private let generation = FutexWord(0)

    private init() {
        ThreadHandle.detach { [self] in serve() }
    }

    /// Suspends the calling task for `duration` (at least; rounded to the timer thread's wake-up), without
    /// holding its thread. It runs on the caller's executor until it suspends (no hop to the global pool), and
    /// resumes there.
    ///
    /// - Throws: `CancellationError` when the task is cancelled before or while it sleeps.
    nonisolated(nonsending) public func sleep(for duration: Duration) async throws {
        let (seconds, attoseconds) = duration.components
        let nanos = max(0, seconds) &* 1_000_000_000 &+ max(0, attoseconds / 1_000_000_000)
        try await sleep(untilMonotonicNanos: MonotonicClock.now() &+ UInt64(clamping: nanos))
    }

    /// Suspends the calling task until `CLOCK_MONOTONIC` reads `deadline` nanoseconds.
    nonisolated(nonsending) func sleep(untilMonotonicNanos deadline: UInt64) async throws {
        try Task.checkCancellation()
        let token = state.withLock { $0.sleepers.newToken() }
        defer { state.withLock { $0.sleepers.finish(token) } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> (cancelled: Bool, earliest: Bool) in
                    guard state.sleepers.register(continuation, token: token) else { return (true, false) }
                    let entry = Deadline(nanos: deadline, token: token)
                    state.heap.insert(entry)
                    return (false, state.heap.first == entry)
                }
                if outcome.cancelled {
                    continuation.resume(throwing: CancellationError())
                } else if outcome.earliest {
                    advanceGeneration()
                }
            }
        } onCancel: {
            state.withLock { $0.sleepers.cancel(token) }?.resume(throwing: CancellationError())
        }
    }

    private func advanceGeneration() {
        while true {
            let current = generation.value
            if generation.compareExchange(expected: current, desired: current &+ 1) { break }
        }
        generation.wake(count: 1)
    }

    /// The timer thread: resumes the sleepers that are due, then waits for the next deadline or a new earliest one.
    private func serve() {
        Affinity.nameCurrentThread("af-kernel-timer")
        while true {
            let seen = generation.value
            let now = MonotonicClock.now()
            let (due, next) = state.withLock { state -> ([CheckedContinuation<Void, any Error>], UInt64?) in
                var due: [CheckedContinuation<Void, any Error>] = []
                while let first = state.heap.first, first.nanos <= now {
                    state.heap.removeFirst()
                    if let sleeper = state.sleepers.take(first.token) { due.append(sleeper) }
                }
                return (due, state.heap.first?.nanos)
            }
            for sleeper in due { sleeper.resume() }
            if !due.isEmpty { continue }
            waitForDeadline(seen, timeoutNanoseconds: next.map { Int64(clamping: $0 - now) } ?? -1)
        }
    }

    /// Blocks until the generation moves past `seen` or the timeout passes. Keep this name stable: profilers
    /// recognise the idle timer by it.
    private func waitForDeadline(_ seen: UInt32, timeoutNanoseconds: Int64) {
        generation.wait(whileEqualTo: seen, timeoutNanoseconds: timeoutNanoseconds)
    }
}
