#if canImport(Glibc)
import Glibc
#endif

/// Reading small text files and listing directories without Foundation: the sysfs reader's one door to libc.
enum FileReading {
    /// The contents of a small text file.
    ///
    /// The corresponding C functions are `open`, `read` and `close`.
    static func text(atPath path: String) throws(TopologyError) -> String {
        let descriptor = unsafe open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, errno: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = unsafe chunk.withUnsafeMutableBytes { unsafe read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk.prefix(count))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names of a directory's entries (without `.` and `..`).
    ///
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    static func entries(ofDirectory path: String) throws(TopologyError) -> [String] {
        guard let directory = unsafe opendir(path) else { throw .unreadable(path: path, errno: errno) }
        defer { unsafe closedir(directory) }
        var names: [String] = []
        while let entry = unsafe readdir(directory) {
            let name = unsafe withUnsafeBytes(of: entry.pointee.d_name) { raw in
                unsafe String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
