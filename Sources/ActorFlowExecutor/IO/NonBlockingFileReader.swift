import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file, or a byte range of it, from async code without ever blocking the calling thread on I/O: safe
/// to call from a kernel running on a pool worker.
///
///     let reader = NonBlockingFileReader()
///     let bytes = try await reader.read(contentsOf: "/data/tile-0.npy")
///     let header = try await reader.read(contentsOf: "/data/tile-0.npy", byteRange: 0..<128)
///     print(header.count)   // 128
///
/// How each kind of file is read:
/// - **Regular files** (and block devices) are read by offset in chunks of ``chunkSize`` bytes with
///   `preadv2(…, RWF_NOWAIT)`, which copies what is in the page cache without waiting. When it says the data is
///   not cached (`EAGAIN`), or the file system cannot honour `RWF_NOWAIT`, that chunk is read with a blocking
///   `pread` on the reader's own I/O thread (not a pool worker, not Swift's cooperative pool) while the task
///   is suspended. (`O_NONBLOCK` has no effect on regular files on Linux, which is why this is needed.)
/// - **Pipes, FIFOs, sockets and character devices** are opened `O_NONBLOCK`; when a read says `EAGAIN`
///   the task waits on the process's epoll reactor thread and reads again when it reports readiness. A FIFO
///   with no writer yet reads as "wait", not as end of file, so a reader can start before its writer (but a
///   FIFO whose only writer opened before the reader and closed without writing also just waits).
/// - The path is opened with `openat2(RESOLVE_CACHED)` when its lookup is in the dentry cache, on the I/O
///   thread otherwise.
///
/// A whole-file read of a regular file returns the bytes up to the size the file had when it was opened (fewer
/// if it shrank meanwhile); of a stream, everything until end of stream (so a whole read of `/dev/zero` never
/// ends: give it a byte range).
///
/// Cancellation: the task's cancellation, or `shouldStop` returning true, is checked before every chunk and
/// ends a wait for readiness at once; a chunk already being read on the I/O thread finishes first (at most
/// ``chunkSize`` bytes). Both throw `CancellationError`.
///
/// Thread safety: a reader is a value holding only its chunk size; any number of reads may run at once.
/// They share one I/O thread (reads of uncached data queue behind each other, chunk by chunk) and one reactor.
public struct NonBlockingFileReader: Sendable {
    /// The chunk size when none is given: 1 MiB.
    public static let defaultChunkSize = 1 << 20

    /// The most bytes one read call moves (and so the longest the I/O thread is held for one reader at a time).
    public let chunkSize: Int

    /// Whether regular-file chunks try `RWF_NOWAIT` first (false only in tests of the I/O-thread path).
    let readsCachedFirst: Bool

    /// A reader moving at most `chunkSize` bytes per call (values below 1 count as 1).
    public init(chunkSize: Int = NonBlockingFileReader.defaultChunkSize) {
        self.chunkSize = max(1, chunkSize)
        self.readsCachedFirst = true
    }

    /// A reader that reads every regular-file chunk on the I/O thread, as when the data is never cached.
    package init(chunkSize: Int, readsCachedFirst: Bool) {
        self.chunkSize = max(1, chunkSize)
        self.readsCachedFirst = readsCachedFirst
    }

    /// The whole contents of the file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file's path (absolute, or relative to the working directory).
    ///   - shouldStop: Checked before every chunk and while waiting; returning true cancels the read (a step's
    ///     cancellation flag, say).
    /// - Returns: The bytes.
    /// - Throws: ``FileReadError`` naming the path and the system's reason (not found, permission denied, a
    ///   directory, …); `CancellationError` when cancelled.
    public func read(contentsOf path: String, shouldStop: (@Sendable () -> Bool)? = nil) async throws -> [UInt8] {
        try await read(path, range: nil, shouldStop: shouldStop)
    }

    /// The bytes `byteRange` of the file at `path`.
    ///
    ///     let body = try await NonBlockingFileReader().read(contentsOf: path, byteRange: 128..<4224)
    ///
    /// - Parameters:
    ///   - path: The file's path.
    ///   - byteRange: The offsets to read; for a stream, the bytes before `lowerBound` are read and dropped.
    ///   - shouldStop: Checked before every chunk and while waiting; returning true cancels the read.
    /// - Returns: Exactly `byteRange.count` bytes.
    /// - Throws: ``FileReadError`` with code ``FileReadError/Code/shortFile`` when the file ends before
    ///   `byteRange.upperBound`, ``FileReadError/Code/invalidRange`` when `byteRange` starts below 0, and as
    ///   ``read(contentsOf:shouldStop:)`` otherwise.
    public func read(
        contentsOf path: String, byteRange: Range<Int>, shouldStop: (@Sendable () -> Bool)? = nil
    ) async throws -> [UInt8] {
        try await read(path, range: byteRange, shouldStop: shouldStop)
    }

    // MARK: Counters

    /// What reads did so far in this process, for tests (each counter only grows).
    package struct Counters: Sendable {
        /// Chunks copied from the page cache by `RWF_NOWAIT`.
        package var cachedChunks: Int
        /// Chunks read on the I/O thread.
        package var blockingChunks: Int
        /// Opens done on the I/O thread (the path lookup was not cached).
        package var blockingOpens: Int
        /// Waits for readiness registered with the reactor.
        package var readinessWaits: Int
    }

    private static let cachedChunks = Atomic<Int>(0)
    private static let blockingChunks = Atomic<Int>(0)
    private static let blockingOpens = Atomic<Int>(0)

    /// The counters so far.
    package static var testsOnly_counters: Counters {
        Counters(
            cachedChunks: cachedChunks.load(ordering: .relaxed),
            blockingChunks: blockingChunks.load(ordering: .relaxed),
            blockingOpens: blockingOpens.load(ordering: .relaxed),
            readinessWaits: ReadinessReactor.shared.testsOnly_counts.registered)
    }

    // MARK: Reading

    private func read(_ path: String, range: Range<Int>?, shouldStop: (@Sendable () -> Bool)?) async throws -> [UInt8] {
        if let range, range.lowerBound < 0 {
            throw FileReadError(path: path, code: .invalidRange, message: "cannot read bytes \(range) of '\(path)': "
                + "the range starts below 0")
        }
        try Self.checkStop(shouldStop)
        let descriptor = try await Self.open(path)
        defer { FileIO.close(descriptor) }
        let kind: FileIO.Kind
        let size: Int
        switch FileIO.status(descriptor) {
        case .success(let status): (kind, size) = status
        case .failure(let error): throw FileReadError(path: path, operation: "stat", errno: error.code)
        }
        switch kind {
        case .regular, .blockDevice:
            return try await readByOffset(
                descriptor, path: path, range: range, size: kind == .regular ? size : nil, shouldStop: shouldStop)
        case .fifo, .socket, .characterDevice:
            return try await readStream(descriptor, path: path, range: range, isFIFO: kind == .fifo, shouldStop: shouldStop)
        case .directory:
            throw FileReadError(path: path, operation: "read", errno: EISDIR)
        case .other:
            throw FileReadError(path: path, code: .notReadable, message: "cannot read '\(path)': not a file, pipe, socket or device")
        }
    }

    /// Opens `path` from the dentry cache, or on the I/O thread when its lookup may wait for storage.
    private static func open(_ path: String) async throws -> CInt {
        var outcome = FileIO.openCached(path)
        switch outcome {
        case .failure(EAGAIN), .failure(ENOSYS), .failure(EINVAL), .failure(E2BIG):
            blockingOpens.add(1, ordering: .relaxed)
            outcome = await BlockingReadThread.shared.perform { FileIO.open(path) }
        default:
            break
        }
        switch outcome {
        case .value(let descriptor): return CInt(descriptor)
        case .failure(let error): throw FileReadError(path: path, operation: "open", errno: error)
        }
    }

    /// Reads a regular file or block device by offset, `chunkSize` bytes at a time, from the page cache when
    /// the data is there and on the I/O thread when it is not. `size` is the file's size (nil: read to the end).
    private func readByOffset(
        _ descriptor: CInt, path: String, range: Range<Int>?, size: Int?, shouldStop: (@Sendable () -> Bool)?
    ) async throws -> [UInt8] {
        let start = range?.lowerBound ?? 0
        let wanted: Int? = range?.count ?? size
        if let range, let size, size < range.upperBound {
            throw Self.shortFile(path, range: range, size: size)
        }
        var bytes = [UInt8](repeating: 0, count: wanted ?? 0)
        var filled = 0
        var tryCached = readsCachedFirst
        while wanted.map({ filled < $0 }) ?? true {
            try Self.checkStop(shouldStop)
            let count = wanted.map { min(chunkSize, $0 - filled) } ?? chunkSize
            if wanted == nil { bytes.append(contentsOf: repeatElement(0, count: count)) }
            var read: Int? = nil
            if tryCached {
                switch FileIO.readCached(descriptor, into: &bytes, at: filled, count: count, offset: start + filled) {
                case .value(let n):
                    read = n
                    Self.cachedChunks.add(1, ordering: .relaxed)
                case .failure(EAGAIN):
                    break
                case .failure(EOPNOTSUPP), .failure(EINVAL), .failure(ENOSYS):
                    tryCached = false
                case .failure(let error):
                    throw FileReadError(path: path, operation: "read", errno: error)
                }
            }
            if read == nil {
                Self.blockingChunks.add(1, ordering: .relaxed)
                let offset = start + filled
                let chunk = await BlockingReadThread.shared.perform {
                    FileIO.readBlocking(descriptor, count: count, offset: offset)
                }
                switch chunk {
                case .success(let chunk):
                    bytes.replaceSubrange(filled..<(filled + chunk.count), with: chunk)
                    read = chunk.count
                case .failure(let error):
                    throw FileReadError(path: path, operation: "read", errno: error.code)
                }
            }
            guard let read, read > 0 else { break }  // end of file
            filled += read
        }
        if let range, filled < range.count {
            throw Self.shortFile(path, range: range, size: start + filled)
        }
        if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
        return bytes
    }

    /// Reads a pipe, FIFO, socket or character device from its current position: everything until end of
    /// stream, or the bytes of `range` (dropping those before it). Waits on the reactor whenever nothing is
    /// available; for a FIFO, also when it reads as ended before any data arrived (no writer yet).
    private func readStream(
        _ descriptor: CInt, path: String, range: Range<Int>?, isFIFO: Bool, shouldStop: (@Sendable () -> Bool)?
    ) async throws -> [UInt8] {
        var toSkip = range?.lowerBound ?? 0
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: min(chunkSize, range.map { max($0.count, 1) } ?? chunkSize))
        var sawData = false
        var waited = false
        while range.map({ bytes.count < $0.count }) ?? true {
            try Self.checkStop(shouldStop)
            var count = buffer.count
            if let range { count = min(count, toSkip > 0 ? toSkip : range.count - bytes.count) }
            switch FileIO.readAvailable(descriptor, into: &buffer, at: 0, count: count) {
            case .value(0):
                if isFIFO && !sawData && !waited {
                    try await ReadinessReactor.shared.waitUntilReadable(descriptor, shouldStop: shouldStop)
                    waited = true
                    continue
                }
                if let range {
                    throw Self.shortFile(path, range: range, size: range.lowerBound - toSkip + bytes.count)
                }
                return bytes
            case .value(let n):
                sawData = true
                if toSkip > 0 {
                    toSkip -= n
                } else {
                    bytes.append(contentsOf: buffer.prefix(n))
                }
            case .failure(EAGAIN):
                try await ReadinessReactor.shared.waitUntilReadable(descriptor, shouldStop: shouldStop)
                waited = true
            case .failure(let error):
                throw FileReadError(path: path, operation: "read", errno: error)
            }
        }
        return bytes
    }

    private static func checkStop(_ shouldStop: (@Sendable () -> Bool)?) throws {
        try Task.checkCancellation()
        if let shouldStop, shouldStop() { throw CancellationError() }
    }

    private static func shortFile(_ path: String, range: Range<Int>, size: Int) -> FileReadError {
        FileReadError(
            path: path, code: .shortFile,
            message: "cannot read bytes \(range.lowerBound)..<\(range.upperBound) of '\(path)': it ends after \(size) bytes")
    }
}
