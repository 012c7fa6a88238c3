#if canImport(Glibc)
import Glibc
#endif

/// The clock of every trace ActorFlow writes: `CLOCK_MONOTONIC`, the clock LTTng stamps its events with.
///
/// Step statistics are taken on this clock and converted to TensorFlow's Unix-epoch micro/nanoseconds
/// with one offset fixed when the process first asks for it, so an op's `all_start` in `RunMetadata`
/// and its `op_start` event in an LTTng trace are the same instant. A traced step reads its instants through a
/// ``StepClock``, which gives this clock's nanoseconds from the CPU's time-stamp counter where that is cheaper and
/// trustworthy.
///
///     let t = TraceClock.now()                 // monotonic nanoseconds
///     let unix = TraceClock.epochNanos(t)      // the same instant on the Unix clock
public enum TraceClock {
    /// `CLOCK_MONOTONIC` now, in nanoseconds. The corresponding C function is `clock_gettime`.
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        unsafe clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// `CLOCK_REALTIME − CLOCK_MONOTONIC`, read once (the smaller of three reads' round-trip errors).
    public static let epochOffsetNanos: Int64 = {
        var best: (error: UInt64, offset: Int64) = (.max, 0)
        for _ in 0..<3 {
            let before = now()
            var real = timespec()
            unsafe clock_gettime(CLOCK_REALTIME, &real)
            let after = now()
            let realNanos = Int64(real.tv_sec) * 1_000_000_000 + Int64(real.tv_nsec)
            let middle = Int64(before / 2 + after / 2)
            if after - before < best.error { best = (after - before, realNanos - middle) }
        }
        return best.offset
    }()

    /// A monotonic timestamp as Unix-epoch nanoseconds.
    @inline(__always)
    public static func epochNanos(_ monotonic: UInt64) -> Int64 {
        Int64(monotonic) &+ epochOffsetNanos
    }
}
