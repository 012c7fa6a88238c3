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
