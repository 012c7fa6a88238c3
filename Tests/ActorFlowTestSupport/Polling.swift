#if canImport(Glibc)
import Glibc
#endif
import Testing

/// How long a test waits for a state before it calls it a hang: long enough that a slow, shared CI machine running
/// the whole suite (stress included) never reaches it when the code is right, short enough that a hang fails the test instead of timing out CI.
public let defaultWaitLimit: Duration = .seconds(300)

/// Awaits `condition`, yielding between checks, for at most `limit`; past it, records an issue naming `what` and
/// returns `false`. The limit bounds a hang; it asserts nothing about speed.
///
///     await poll("the last firing's counters") { pool.counters.opsRun >= 1_023 }
@discardableResult
public func poll(
    _ what: String, limit: Duration = defaultWaitLimit, sourceLocation: SourceLocation = #_sourceLocation,
    until condition: () -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    var rounds = 0
    while !condition() {
        if clock.now >= deadline {
            Issue.record("still waiting after \(limit) for \(what)", sourceLocation: sourceLocation)
            return false
        }
        rounds += 1
        if rounds < 1_000 {
            await Task.yield()
        } else {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
    return true
}

/// Spins (with `sched_yield`) until `condition` holds, for at most `limit`; returns whether it held. For plain
/// threads, where an issue cannot be recorded: the caller reports the `false`.
///
///     let queued = spin { node.executor.testsOnly_queuedJobCount > 0 }
@discardableResult
public func spin(until limit: Duration = defaultWaitLimit, _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    var rounds = 0
    while !condition() {
        rounds += 1
        if rounds % 1_024 == 0, clock.now >= deadline { return false }
        sched_yield()
    }
    return true
}
