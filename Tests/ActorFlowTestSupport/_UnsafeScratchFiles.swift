#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A private temporary directory for a test's files, FIFOs and subdirectories, removed with everything in it
/// when the object goes away.
///
///     let scratch = try ScratchDirectory()
///     let path = try scratch.write("a.bin", bytes: [1, 2, 3])
///     let fifo = try scratch.makeFIFO("pipe")
public final class ScratchDirectory: Sendable {
    /// The error of a failed set-up call, with its errno text.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The directory's absolute path.
    public let path: String
    /// The entries made so far (removed in reverse order).
    private let entries = Mutex<[String]>([])

    /// Makes a fresh directory under `/tmp` (on the root file system here, not a tmpfs).
    public init() throws {
        var template = Array("/tmp/actorflow-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Failure(description: "mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    deinit {
        for entry in entries.withLock({ $0 }).reversed() {
            if unlink(entry) != 0 { rmdir(entry) }
        }
        rmdir(path)
    }

    /// The path of `name` in the directory.
    public func path(of name: String) -> String { path + "/" + name }

    /// Writes `bytes` to a new file `name` and returns its path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8], mode: mode_t = 0o644) throws -> String {
        let file = path(of: name)
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(file): \(String(cString: strerror(errno)))") }
        entries.withLock { $0.append(file) }
        defer { close(descriptor) }
        try Self.writeAll(bytes, to: descriptor, path: file)
        return file
    }

    /// Makes a FIFO `name` and returns its path.
    public func makeFIFO(_ name: String) throws -> String {
        let file = path(of: name)
        guard mkfifo(file, 0o600) == 0 else { throw Failure(description: "mkfifo \(file): \(String(cString: strerror(errno)))") }
        entries.withLock { $0.append(file) }
        return file
    }

    /// Makes a subdirectory `name` and returns its path.
    public func makeDirectory(_ name: String) throws -> String {
        let directory = path(of: name)
        guard mkdir(directory, 0o755) == 0 else { throw Failure(description: "mkdir \(directory): \(String(cString: strerror(errno)))") }
        entries.withLock { $0.append(directory) }
        return directory
    }

    /// Opens `fifo` for writing (waiting for a reader, as `open` does), writes `bytes`, closes it.
    public static func writeToFIFO(_ fifo: String, bytes: [UInt8]) throws {
        let descriptor = open(fifo, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(fifo): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: fifo)
    }

    /// Opens `fifo` for writing only if a reader has it open (a non-blocking open fails with ENXIO otherwise):
    /// the descriptor, or nil. Pass it to ``writeAndClose(_:bytes:)``.
    public static func openFIFOIfReaderPresent(_ fifo: String) -> CInt? {
        let descriptor = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        return descriptor >= 0 ? descriptor : nil
    }

    /// Writes `bytes` (at most a pipe's capacity, 64 KiB: the descriptor may be non-blocking) and closes `descriptor`.
    public static func writeAndClose(_ descriptor: CInt, bytes: [UInt8]) throws {
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: "fd \(descriptor)")
    }

    /// Asks the kernel to drop `file`'s pages from the page cache (after writing them back). Returns whether
    /// the call succeeded; the kernel may still keep some pages.
    public static func dropFromPageCache(_ file: String) -> Bool {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 && posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) == 0
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: CInt, path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }
}
