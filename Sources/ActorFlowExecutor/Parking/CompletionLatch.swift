import Synchronization

/// A countdown that a thread can block on until it reaches zero: how a caller waits for a step it handed to
/// a ``WorkScheduler``.
///
/// Counting down is one atomic subtraction; only the count-down that reaches zero touches the kernel, and
/// only when someone is blocked in ``wait()``.
///
///     let latch = CompletionLatch(count: 2)
///     pool.submit([item1, item2])     // each item calls latch.countDown() when it is done
///     latch.wait()                    // returns once both ran
///
/// Thread safety: every method may be called from any thread.
public final class CompletionLatch: Sendable {
    private static let open: UInt32 = 0
    private static let released: UInt32 = 1
    private static let sleeping: UInt32 = 2

    private let remaining: Atomic<Int>
    private let word = FutexWord(CompletionLatch.open)

    /// Creates a latch that opens after `count` calls of ``countDown(by:)`` (at once when `count <= 0`).
    public init(count: Int) {
        remaining = Atomic(max(0, count))
        if count <= 0 { word.store(CompletionLatch.released) }
    }

    /// Subtracts `amount` (default 1). Returns `true` for the call that brought the count to zero; calls
    /// after that change nothing and return `false`.
    @discardableResult
    public func countDown(by amount: Int = 1) -> Bool {
        let (before, after) = remaining.subtract(amount, ordering: .acquiringAndReleasing)
        guard before > 0, after <= 0 else { return false }
        if word.exchange(CompletionLatch.released) == CompletionLatch.sleeping {
            word.wake(count: Int32.max)
        }
        return true
    }

    /// Whether the count has reached zero.
    public var isReleased: Bool { word.value == CompletionLatch.released }

    /// Blocks until the count reaches zero.
    public func wait() {
        _ = wait(timeoutNanoseconds: -1)
    }

    /// Blocks until the count reaches zero or `timeout` has passed. Returns whether the count reached zero.
    ///
    ///     if !latch.wait(timeout: .milliseconds(200)) { cancelStep() }
    public func wait(timeout: Duration) -> Bool {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanoseconds.overflow ? Int64.max : nanoseconds.partialValue &+ attoseconds / 1_000_000_000
        return wait(timeoutNanoseconds: max(0, total))
    }

    private func wait(timeoutNanoseconds: Int64) -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            if word.value == CompletionLatch.released { return true }
            _ = word.compareExchange(expected: CompletionLatch.open, desired: CompletionLatch.sleeping)
            var remainingNanoseconds: Int64 = -1
            if timeoutNanoseconds >= 0 {
                let elapsed = start.duration(to: clock.now).components
                let elapsedNanoseconds = elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
                remainingNanoseconds = timeoutNanoseconds - elapsedNanoseconds
                if remainingNanoseconds <= 0 { return word.value == CompletionLatch.released }
            }
            word.wait(whileEqualTo: CompletionLatch.sleeping, timeoutNanoseconds: remainingNanoseconds)
        }
    }
}
