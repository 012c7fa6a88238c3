#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for large fresh buffers: a kernel output of 64 MiB faults in 16,384 small pages (the
/// kernel zeroing each on first touch, a few µs apiece) but only 32 huge ones. Linux (Debian's default THP mode is
/// `madvise`) backs a range with huge pages when asked with `madvise(MADV_HUGEPAGE)` before it is touched.
///
///     try [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
///         HugePages.advise(buffer)                 // before the first write
///         …
///     }
///
/// Advice only: on another OS, with THP off, or refused, nothing changes. Buffers below ``minimumBytes`` are left
/// alone (the heap reuses them; most would not cover one aligned 2 MiB page).
package enum HugePages {
    /// Buffers at least this large are advised.
    package static let minimumBytes = 4 << 20

    /// The grain of a parallel loop writing `count` elements of `T` into a buffer ``advise(_:)`` was given: at least
    /// `grain`, and for an advised buffer at least a huge page of elements per chunk, so that two workers do not
    /// fault in the same huge page at once (the second would wait while the first zeroes its 2 MiB).
    ///
    ///     let grain = HugePages.grain(cost.grain(for: n), writing: n, Float.self)   // ≥ 524,288 for n ≥ 1M
    package static func grain<T>(_ grain: Int, writing count: Int, _: T.Type) -> Int {
        let stride = max(1, MemoryLayout<T>.stride)
        guard count * stride >= minimumBytes else { return grain }
        return max(grain, (2 << 20) / stride)
    }

    /// Advises the 2 MiB-aligned interior of `buffer`, if it is at least ``minimumBytes`` long.
    @inline(__always)
    package static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard let base = buffer.baseAddress else { return }
        unsafe advise(UnsafeMutableRawPointer(base), bytes: buffer.count * MemoryLayout<T>.stride)
    }

    /// Advises the 2 MiB-aligned interior of `bytes` bytes at `start`, if `bytes` is at least ``minimumBytes``.
    package static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard bytes >= minimumBytes else { return }
        let huge = 2 << 20
        let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(huge - 1)
        guard end > first, let aligned = unsafe UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = unsafe madvise(aligned, end - first, MADV_HUGEPAGE)
        #endif
    }
}
