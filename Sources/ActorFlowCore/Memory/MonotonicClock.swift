#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `CLOCK_MONOTONIC` in nanoseconds: the clock of ActorFlowTracing's `TraceClock` and of LTTng's timestamps,
/// read here because the vocabulary module cannot import the tracing one. Allocation times taken with it line
/// up with the step statistics and the events of the same op.
package enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary fixed point (boot, on Linux).
    @inline(__always)
    package static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
