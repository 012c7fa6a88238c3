import ActorFlowTraceEvents
import Testing

/// `StepClock`: a converted time-stamp counter that stays on `CLOCK_MONOTONIC`, or `CLOCK_MONOTONIC` itself.
@Suite("StepClock")
struct StepClockTests {
    /// Reads `clock` between two `CLOCK_MONOTONIC` reads: (before, clock, after).
    private func bracketed(_ clock: StepClock) -> (before: UInt64, reading: UInt64, after: UInt64) {
        let before = TraceClock.now()
        let reading = clock.now()
        let after = TraceClock.now()
        return (before, reading, after)
    }

    /// A clock anchored once the counter's rate is measured: steps keep starting until one is not exact, for at most
    /// the calibration baseline and 100 ms more (an exact clock when the counter is not usable here).
    private func calibratedClock() -> StepClock {
        let giveUp = TraceClock.now() + TimestampCounter.calibrationBaselineNanos + 100_000_000
        var clock = StepClock.starting(exact: false)
        while clock.isExact, TimestampCounter.isUsable, TraceClock.now() < giveUp {
            clock = StepClock.starting(exact: false)
        }
        return clock
    }

    @Test("once calibrated, the counter is used exactly when it is a usable clock here, unless CLOCK_MONOTONIC is asked for")
    func choosesItsSource() {
        #expect(calibratedClock().isExact == !TimestampCounter.isUsable)
        #expect(StepClock.starting(exact: true).isExact)
    }

    @Test("an exact clock's reads are CLOCK_MONOTONIC's: between the reads around them")
    func exactReadsAreMonotonicClockReads() {
        let clock = StepClock.starting(exact: true)
        for _ in 0..<1_000 {
            let (before, reading, after) = bracketed(clock)
            #expect(before <= reading && reading <= after)
        }
    }

    @Test("a counter clock stays within 20 µs of CLOCK_MONOTONIC over 20 ms, and never runs backwards on a thread")
    func counterTracksTheMonotonicClock() {
        let clock = calibratedClock()
        #expect(clock.startNanos <= TraceClock.now())
        var previous = clock.now()
        let end = TraceClock.now() + 20_000_000
        var worst: UInt64 = 0
        var backwards = 0
        while TraceClock.now() < end {
            let (before, reading, after) = bracketed(clock)
            if reading < previous { backwards += 1 }
            previous = reading
            if reading < before { worst = max(worst, before - reading) }
            if reading > after { worst = max(worst, reading - after) }
        }
        #expect(backwards == 0)
        #expect(worst <= 20_000, "the step clock strayed \(worst) ns from CLOCK_MONOTONIC")
    }

    @Test("clocks anchored later agree with earlier ones about the same instant (one rate, refined)")
    func laterAnchorsAgree() {
        let first = calibratedClock()
        var later = first
        for _ in 0..<50 { later = StepClock.starting(exact: false) }
        let a = first.now()
        let b = later.now()
        let c = first.now()
        // b was read between a and c: allow the rate's error over the time since `first` was anchored.
        #expect(b + 50_000 >= a && b <= c + 50_000)
    }
}
