#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

/// Runs blocking `body` on a plain thread under a watchdog: past `limit` the test gets an issue carrying
/// `describe()` (what the stuck work was waiting for) and this call returns `nil`, leaving the stuck thread
/// behind, so a hang fails one test instead of timing out the whole run.
///
///     let ledger = KernelLedger()
///     let result = try await withWatchdog(limit: .seconds(120), describe: { ledger.pendingReport() }) {
///         try session.run(sinks)
///     }
///
/// The limit bounds a hang; it asserts nothing about speed. The report is also written to standard error at
/// once, in case the harness itself is wedged.
public func withWatchdog<R: Sendable>(
    limit: Duration, sourceLocation: SourceLocation = #_sourceLocation,
    describe: @escaping @Sendable () -> String, _ body: @escaping @Sendable () throws -> R
) async throws -> R? {
    let outcome = Mutex<Result<R, any Error>?>(nil)
    let finished = Signal()
    startDetachedThread {
        let result = Result { try body() }
        outcome.withLock { $0 = result }
        finished.raise()
    }
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while !finished.isRaised {
        if clock.now >= deadline {
            let report = describe()
            let message = "watchdog: no progress after \(limit); the work is stuck.\n\(report)"
            let line = Array((message + "\n").utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return nil
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try outcome.withLock { $0! }.get()
}
