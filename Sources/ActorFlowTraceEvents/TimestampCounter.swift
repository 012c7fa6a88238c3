import CActorFlowTracepoints
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The CPU's time-stamp counter as a clock for step records: whether it is one here, and its rate in
/// `CLOCK_MONOTONIC` nanoseconds, measured against that clock.
///
/// A read costs ~10 ns where vDSO `clock_gettime` costs ~25 (measured on the CI machine's kind), and a traced
/// firing reads the clock four or five times. The counter is used only when the kernel vouches for it: an x86-64
/// CPU whose `/proc/cpuinfo` flags say `constant_tsc` (fixed rate whatever the frequency) and `nonstop_tsc` (ticks
/// in deep idle states), and a kernel whose clocksource is `tsc` (it found the counters synchronized across CPUs).
/// Otherwise, or with `ACTORFLOW_TRACE_CLOCK=monotonic` in the environment, ``isUsable`` is false and every step
/// clock reads `CLOCK_MONOTONIC` itself.
///
/// The rate is measured, not taken from the CPU's nominal frequency: from the first traced step of the process to
/// each later one, over the whole time between (so it follows `CLOCK_MONOTONIC`, NTP's slewing included). Steps
/// that start in the first ``calibrationBaselineNanos`` after that read `CLOCK_MONOTONIC`; then the error shrinks as
/// one over the process's age (a few parts per million at 10 ms, about 10⁻⁸ after a second).
///
///     if TimestampCounter.isUsable { print(TimestampCounter.read()) }
///
/// Thread safety: everything may be called from any thread.
package enum TimestampCounter {
    /// Whether step clocks run on the time-stamp counter in this process (decided once).
    package static let isUsable: Bool = {
        #if arch(x86_64)
        if let choice = unsafe getenv("ACTORFLOW_TRACE_CLOCK"), unsafe String(cString: choice) == "monotonic" {
            return false
        }
        guard let flags = firstLine(of: "/proc/cpuinfo", startingWith: "flags"),
            let clocksource = firstLine(
                of: "/sys/devices/system/clocksource/clocksource0/current_clocksource", startingWith: "")
        else { return false }
        let words = Set(flags.split(separator: " ").map(String.init))
        return words.contains("constant_tsc") && words.contains("nonstop_tsc") && clocksource == "tsc"
        #else
        return false
        #endif
    }()

    /// The counter now (0 where there is none). Not serializing: instructions around it may move by a few cycles.
    @inlinable @inline(__always)
    package static func read() -> UInt64 { CActorFlowTracepoints_read_tsc() }

    /// A counter value and `CLOCK_MONOTONIC` nanoseconds taken at (nearly) the same instant: the counter read on both
    /// sides of the clock, the pair with the narrower bracket of two kept, the counter at its middle.
    package static func pair() -> (ticks: UInt64, nanos: UInt64) {
        var best: (width: UInt64, ticks: UInt64, nanos: UInt64) = (.max, 0, 0)
        for _ in 0..<2 {
            let before = read()
            let nanos = TraceClock.now()
            let after = read()
            let width = after &- before
            if width < best.width { best = (width, before &+ width / 2, nanos) }
        }
        return (best.ticks, best.nanos)
    }

    /// Where rate measurements start: a pair taken when the rate is first asked for (the first traced step).
    private static let origin: (ticks: UInt64, nanos: UInt64) = pair()

    /// The latest rate measured, nanoseconds per tick in 32.32 fixed point (0: none yet). Any thread may store
    /// its estimate: each is measured from ``origin`` over at least ``calibrationBaselineNanos``, so whichever is
    /// read is good to a few parts per million, and later ones are better.
    private static let latestRate = Atomic<UInt64>(0)

    /// How long after ``origin`` the rate is first trusted: 10 ms, over which a pair's jitter of some tens of
    /// nanoseconds is a rate error of a few parts per million.
    package static let calibrationBaselineNanos: UInt64 = 10_000_000

    /// The rate at `now` (a ``pair()`` just taken), in nanoseconds per tick as 32.32 fixed point, measured from the
    /// first pair of the process to `now`; `nil` until ``calibrationBaselineNanos`` have passed since that pair
    /// (the first call takes it). Lock-free.
    package static func nanosPerTick(at now: (ticks: UInt64, nanos: UInt64)) -> UInt64? {
        let origin = Self.origin
        if now.nanos >= origin.nanos &+ calibrationBaselineNanos, now.ticks > origin.ticks {
            let rate = fixedPointRate(from: origin, to: now)
            latestRate.store(rate, ordering: .relaxed)
            return rate
        }
        let rate = latestRate.load(ordering: .relaxed)
        return rate == 0 ? nil : rate
    }

    /// (Δnanos · 2³²) / Δticks, in full width: exact for any baseline. A counter that hardly moved (it cannot here,
    /// but a quotient past 64 bits would trap) gives 1 ns per tick.
    private static func fixedPointRate(
        from start: (ticks: UInt64, nanos: UInt64), to end: (ticks: UInt64, nanos: UInt64)
    ) -> UInt64 {
        let ticks = end.ticks &- start.ticks
        let nanos = end.nanos &- start.nanos
        guard ticks > 0, nanos >> 32 < ticks else { return 1 << 32 }
        return ticks.dividingFullWidth((high: nanos >> 32, low: nanos << 32)).quotient
    }

    /// The first line of a small text file that starts with `prefix`, without its newline.
    ///
    /// The corresponding C functions are `fopen`, `getline` and `fclose`.
    private static func firstLine(of path: String, startingWith prefix: String) -> String? {
        guard let file = unsafe fopen(path, "r") else { return nil }
        defer { unsafe fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { unsafe free(buffer) }
        while unsafe getline(&buffer, &capacity, file) > 0 {
            guard let line = unsafe buffer.map({ unsafe String(cString: $0) }) else { return nil }
            if line.hasPrefix(prefix) { return line.hasSuffix("\n") ? String(line.dropLast()) : line }
        }
        return nil
    }
}
