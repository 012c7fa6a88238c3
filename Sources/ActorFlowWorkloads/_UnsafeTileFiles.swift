import ActorFlow

#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory of files written when a workload is built (the `io-mix` tiles), removed with its
/// files when the last ``BuiltWorkload`` holding it goes away. The only libc caller of the workloads module.
///
/// Setup failures (no temporary directory, a full disk) are not reported here: the files are then missing or
/// short, and the first step fails with the reader's error naming the file.
final class TileFiles: Sendable {
    /// The directory (under `$TMPDIR`, or `/tmp`).
    let directory: String
    /// The files written, each removed in `deinit`.
    let paths: [String]

    /// Writes each of `contents` to its own file, `name(i)`, in a new directory.
    init(prefix: String, contents: [[UInt8]], name: (Int) -> String) {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/actorflow-\(prefix)-XXXXXX".utf8CString)
        let made = unsafe template.withUnsafeMutableBufferPointer { unsafe mkdtemp($0.baseAddress!) }
        let directory = unsafe made.map { unsafe String(cString: $0) } ?? "\(base)/actorflow-\(prefix)-unavailable"
        self.directory = directory
        paths = contents.indices.map { "\(directory)/\(name($0))" }
        guard made != nil else { return }
        for (path, bytes) in zip(paths, contents) { Self.write(bytes, to: path) }
    }

    deinit {
        for path in paths { unlink(path) }
        rmdir(directory)
    }

    /// Writes `bytes` to a new file at `path`, stopping at the first failure.
    private static func write(_ bytes: [UInt8], to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = unsafe bytes.withUnsafeBytes { unsafe Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return }
            written += result
        }
    }
}
