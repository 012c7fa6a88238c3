import Foundation

/// The process's peak resident set size, read from Linux's `/proc/self/status` (`VmHWM`, the resident
/// high-water mark).
///
/// It is process-wide and only grows: a value includes everything the process did before it was read.
enum PeakMemory {
    /// The peak resident set size in bytes, or 0 when `/proc` cannot be read.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // "VmHWM:     123456 kB"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return 0 }
            return kilobytes * 1024
        }
        return 0
    }
}

/// The process's current resident set size, read from Linux's `/proc/self/statm` (resident pages).
enum ResidentMemory {
    /// The resident set size in bytes now, or `nil` when `/proc` cannot be read.
    static func currentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
