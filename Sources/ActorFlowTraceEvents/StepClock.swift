/// The clock a traced step's records are read on: ``TraceClock`` (`CLOCK_MONOTONIC` nanoseconds), reached in
/// fewer nanoseconds per read.
///
/// Anchored when the step starts — one ``TimestampCounter/pair()`` — it then reads only the time-stamp counter and
/// converts: anchor nanoseconds plus ticks since the anchor at the process's measured rate. Within a step every
/// read is monotonic on each thread; against `CLOCK_MONOTONIC` it is off by the rate's error times the time since
/// the step started (parts per million early in the process, about 10⁻⁸ after a second; see ``TimestampCounter``).
///
/// It reads `CLOCK_MONOTONIC` itself (``isExact``) when the counter is not a usable clock here, before its rate is
/// measured (steps in the first 10 ms after the process's first traced step), and for steps that start while an
/// LTTng session records `actorflow:*` events: then `RunMetadata` times and the events' timestamps
/// are the same clock's readings, so they interleave exactly (`all_start ≤ op_start event ≤ op_start_rel`).
///
///     let clock = StepClock.starting(exact: Tracepoints.anyEnabled)
///     let start = clock.now()
///     let end = clock.now()        // ≥ start, in CLOCK_MONOTONIC nanoseconds
///
/// Thread safety: a value; ``now()`` may be called from any thread.
package struct StepClock: Sendable {
    /// `CLOCK_MONOTONIC` nanoseconds when the step started.
    @usableFromInline package let startNanos: UInt64
    /// The time-stamp counter at ``startNanos``.
    @usableFromInline let startTicks: UInt64
    /// Nanoseconds per tick in 32.32 fixed point; 0 when the clock reads `CLOCK_MONOTONIC` itself.
    @usableFromInline let nanosPerTick: UInt64

    /// Whether every read is a `CLOCK_MONOTONIC` read rather than a converted counter.
    package var isExact: Bool { nanosPerTick == 0 }

    private init(startNanos: UInt64, startTicks: UInt64, nanosPerTick: UInt64) {
        self.startNanos = startNanos
        self.startTicks = startTicks
        self.nanosPerTick = nanosPerTick
    }

    /// A clock anchored now. `exact` asks for `CLOCK_MONOTONIC` reads (an LTTng session is recording); without it the
    /// counter is used wherever ``TimestampCounter/isUsable``.
    package static func starting(exact: Bool) -> StepClock {
        guard !exact, TimestampCounter.isUsable else {
            return StepClock(startNanos: TraceClock.now(), startTicks: 0, nanosPerTick: 0)
        }
        let anchor = TimestampCounter.pair()
        // Until the counter's rate is measured (the process's first traced steps), CLOCK_MONOTONIC itself.
        let rate = TimestampCounter.nanosPerTick(at: anchor) ?? 0
        return StepClock(startNanos: anchor.nanos, startTicks: anchor.ticks, nanosPerTick: rate)
    }

    /// `CLOCK_MONOTONIC` nanoseconds now, on this step's clock. A counter read below the anchor (another CPU's
    /// counter a few ticks behind) reads as the anchor.
    @inlinable @inline(__always)
    package func now() -> UInt64 {
        guard nanosPerTick != 0 else { return TraceClock.now() }
        let ticks = TimestampCounter.read() &- startTicks
        guard Int64(bitPattern: ticks) > 0 else { return startNanos }
        let product = ticks.multipliedFullWidth(by: nanosPerTick)
        return startNanos &+ (product.high << 32 | product.low >> 32)
    }
}
