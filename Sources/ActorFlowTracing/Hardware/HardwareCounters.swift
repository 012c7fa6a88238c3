#if canImport(Glibc)
import Glibc
#endif

/// CPU cycles, retired instructions and cache misses of the calling thread, for `.hardwareTrace`.
///
/// Each thread that measures gets its own perf_event_open counter group (three events read together, so the
/// counts cover the same interval), opened on the thread's first measurement, reused by every later one and
/// closed when the thread exits (or by ``closeCurrentThreadCounters()``). Only user-space work on the calling
/// thread is counted (`exclude_kernel`), which Linux allows unprivileged at `kernel.perf_event_paranoid` ≤ 2.
///
/// Many machines have no such counters, most virtual machines among them: there perf_event_open fails with
/// `ENOENT`. ``availability`` says so in words, once, and ``measure(_:)`` then just runs its body and returns
/// `nil` counters: it never traps and never holds a descriptor.
///
/// ```swift
/// switch HardwareCounters.availability {
/// case .available:
///     let (sum, counters) = HardwareCounters.measure { values.reduce(0, +) }
///     print(sum, counters?.instructions ?? 0)            // 499500 12034
/// case .unavailable(let reason):
///     print(reason)   // hardware counters unavailable: perf_event_open(cycles, instructions, cache-misses)
///                     // failed with ENOENT (No such file or directory): …
/// }
/// ```
///
/// Cost when available: two `read(2)` calls per measurement (about a microsecond); when unavailable, one load.
/// Counts are raw: when the kernel multiplexes more groups than the CPU has counters, a group that did not run
/// during the body yields `nil`, and one that ran part of the time yields partial counts (not scaled).
///
/// Thread safety: every function may be called from any thread; each thread measures its own counters.
public enum HardwareCounters {
    /// Whether hardware counters can be read in this process, and why not.
    public enum Availability: Sendable, Hashable, CustomStringConvertible {
        /// The counter group opened and read on the thread that asked.
        case available
        /// perf_event_open (or the first read) failed; `reason` names the errno and what it means here.
        case unavailable(reason: String)

        /// Whether counters can be measured.
        public var isAvailable: Bool { self == .available }

        /// `available`, or the reason.
        public var description: String {
            switch self {
            case .available: "available"
            case .unavailable(let reason): reason
            }
        }
    }

    /// Which events a group counts. `.software` (task clock, CPU clock, page faults) exists on every kernel with
    /// perf events, PMU or not, so the tests run the very same open/read/close path on machines without a PMU.
    package enum EventSet: Sendable, Hashable {
        /// Cycles, instructions, cache misses.
        case hardware
        /// Task-clock ns, CPU-clock ns, page faults, in the three slots of ``HardwareCounterValues``.
        case software
    }

    /// Whether hardware counters work here, decided once per process by opening and reading a group.
    ///
    ///     if case .unavailable(let reason) = HardwareCounters.availability { print(reason) }
    public static var availability: Availability { hardwareAvailability }

    /// Runs `body` on the calling thread and returns its result with the counts of that run of it.
    ///
    ///     let (result, counters) = HardwareCounters.measure { kernel.compute(context) }
    ///
    /// - Returns: `body`'s result, and the counter deltas, or `nil` when counters are unavailable or this thread's
    ///   group could not be read (for example, it opened no descriptor because the process ran out of them).
    /// - Throws: What `body` throws.
    @inline(__always)
    public static func measure<R>(_ body: () throws -> R) rethrows -> (R, HardwareCounterValues?) {
        try measure(.hardware, body)
    }

    /// The calling thread's counts since its group opened (opening it now, if needed), or `nil` when unavailable.
    ///
    ///     let before = HardwareCounters.currentThreadTotals()
    public static func currentThreadTotals() -> HardwareCounterValues? {
        currentThreadTotals(.hardware)
    }

    /// Closes the calling thread's counter group now instead of at thread exit (the next measurement opens it
    /// again). Use it on a long-lived thread, such as the caller's thread, that will not measure again.
    public static func closeCurrentThreadCounters() {
        PerfEvents.closeThreadGroups()
    }

    // MARK: Any event set (package: the tests use `.software`)

    private static let hardwareAvailability = probe(.hardware)
    private static let softwareAvailability = probe(.software)

    package static func availability(of events: EventSet) -> Availability {
        switch events {
        case .hardware: hardwareAvailability
        case .software: softwareAvailability
        }
    }

    @inline(__always)
    package static func measure<R>(_ events: EventSet, _ body: () throws -> R) rethrows -> (R, HardwareCounterValues?) {
        guard availability(of: events).isAvailable, case .success(let before) = PerfEvents.threadRead(events) else {
            return (try body(), nil)
        }
        let result = try body()
        guard case .success(let after) = PerfEvents.threadRead(events) else { return (result, nil) }
        return (result, delta(before, after))
    }

    package static func currentThreadTotals(_ events: EventSet) -> HardwareCounterValues? {
        guard availability(of: events).isAvailable, case .success(let reading) = PerfEvents.threadRead(events) else {
            return nil
        }
        return HardwareCounterValues(
            cycles: reading.counts.0, instructions: reading.counts.1, cacheMisses: reading.counts.2
        )
    }

    /// Counter descriptors this process holds (three per thread that has measured): a leak check.
    package static var openDescriptorCount: Int { PerfEvents.openDescriptorCount }

    /// The counts between two readings, or `nil` when the group did not count in between.
    static func delta(_ before: PerfEvents.Reading, _ after: PerfEvents.Reading) -> HardwareCounterValues? {
        let enabled = after.timeEnabled &- before.timeEnabled
        let running = after.timeRunning &- before.timeRunning
        guard after.timeRunning >= before.timeRunning, running > 0 || enabled == 0,
            after.counts.0 >= before.counts.0, after.counts.1 >= before.counts.1, after.counts.2 >= before.counts.2
        else { return nil }
        return HardwareCounterValues(
            cycles: after.counts.0 - before.counts.0,
            instructions: after.counts.1 - before.counts.1,
            cacheMisses: after.counts.2 - before.counts.2
        )
    }

    private static func probe(_ events: EventSet) -> Availability {
        let code = PerfEvents.probe(events)
        guard code != 0 else { return .available }
        return .unavailable(reason: reason(PerfEvents.PerfError(code: code), events: events))
    }

    /// What a failed probe means, in words a `RunMetadata` reader can act on.
    static func reason(_ error: PerfEvents.PerfError, events: EventSet) -> String {
        let what = events == .hardware ? "cycles, instructions, cache-misses" : "task-clock, cpu-clock, page-faults"
        let head = "\(events == .hardware ? "hardware" : "software") counters unavailable: perf_event_open(\(what)) "
            + "failed with \(error.text)"
        let meaning: String
        switch error.code {
        case ENOENT, ENODEV, EOPNOTSUPP:
            meaning = "this CPU, or the hypervisor of this virtual machine, exposes no such events (no usable PMU)"
        case EACCES, EPERM:
            meaning = "not permitted: counting one's own threads in user space needs kernel.perf_event_paranoid ≤ 2 "
                + "(/proc/sys/kernel/perf_event_paranoid) or CAP_PERFMON, and a container's seccomp profile may block "
                + "perf_event_open altogether"
        case ENOSYS:
            meaning = "the kernel has no perf events (CONFIG_PERF_EVENTS is off) or a sandbox hides the system call"
        case EMFILE, ENFILE:
            meaning = "the process or system has no file descriptors left"
        default:
            meaning = "see perf_event_open(2)"
        }
        return head + ": " + meaning
    }
}
