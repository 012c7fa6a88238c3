import CActorFlowLinux

#if canImport(Glibc)
import Glibc
#endif

/// The file reader's one door to libc and the `CActorFlowLinux` I/O shims: every call returns its result or an
/// errno value (read at once, `EINTR` retried), and the pointer code of reading into an array lives here.
enum FileIO {
    /// What kind of file a descriptor refers to, which decides how it is read.
    enum Kind: Equatable {
        /// Read by offset with `preadv2(RWF_NOWAIT)`, falling back to the blocking-read thread.
        case regular, blockDevice
        /// Read with non-blocking `read`, waiting for readiness on the reactor.
        case fifo, socket, characterDevice
        /// Not readable as bytes.
        case directory, other
    }

    /// The outcome of a call that yields a count or a descriptor: the value, or an errno value.
    enum Outcome: Equatable {
        case value(Int)
        case failure(CInt)
    }

    /// The flags every reader descriptor is opened with: read-only, close-on-exec, and non-blocking so that
    /// opening a FIFO does not wait for a writer and reading a pipe or socket returns `EAGAIN` instead of waiting.
    static let openFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK

    /// Opens `path` only if its lookup needs no I/O; `.failure(EAGAIN)` means "open it on a thread that may
    /// block", `.failure(ENOSYS)`/`EINVAL` that the kernel has no `RESOLVE_CACHED`.
    ///
    /// The corresponding C call is `syscall(SYS_openat2, AT_FDCWD, path, {flags, resolve: RESOLVE_CACHED})`.
    static func openCached(_ path: String) -> Outcome {
        let result = unsafe path.withCString { unsafe CActorFlowLinux_open_cached($0, openFlags) }
        return result < 0 ? .failure(-result) : .value(Int(result))
    }

    /// Opens `path` (may block on a cold directory lookup).
    ///
    /// The corresponding C function is `open`.
    static func open(_ path: String) -> Outcome {
        while true {
            let descriptor = unsafe path.withCString { unsafe Glibc.open($0, openFlags) }
            if descriptor >= 0 { return .value(Int(descriptor)) }
            let error = errno
            if error != EINTR { return .failure(error) }
        }
    }

    /// Closes a descriptor the reader opened. A failing `close` on a read-only descriptor loses nothing.
    ///
    /// The corresponding C function is `close`.
    static func close(_ descriptor: CInt) {
        _ = Glibc.close(descriptor)
    }

    /// The kind and size in bytes of the file `descriptor` refers to, or an errno value.
    ///
    /// The corresponding C function is `fstat`.
    static func status(_ descriptor: CInt) -> Result<(kind: Kind, size: Int), FileIOErrno> {
        var info = stat()
        guard unsafe fstat(descriptor, &info) == 0 else { return .failure(FileIOErrno(errno)) }
        let kind: Kind =
            switch info.st_mode & S_IFMT {
            case S_IFREG: .regular
            case S_IFBLK: .blockDevice
            case S_IFIFO: .fifo
            case S_IFSOCK: .socket
            case S_IFCHR: .characterDevice
            case S_IFDIR: .directory
            default: .other
            }
        return .success((kind, Int(info.st_size)))
    }

    /// Reads up to `count` bytes at file offset `offset` into `buffer[start...]` without waiting for storage:
    /// `.failure(EAGAIN)` when the data is not cached, `.failure(EOPNOTSUPP)` (or `EINVAL`, `ENOSYS`) when the
    /// file system or kernel cannot honour `RWF_NOWAIT`. May read fewer bytes than asked (only part cached).
    ///
    /// The corresponding C call is `preadv2(fd, iov, 1, offset, RWF_NOWAIT)`.
    static func readCached(
        _ descriptor: CInt, into buffer: inout [UInt8], at start: Int, count: Int, offset: Int
    ) -> Outcome {
        precondition(start >= 0 && count >= 0 && start + count <= buffer.count, "read past the buffer")
        let result = unsafe buffer.withUnsafeMutableBytes { bytes in
            unsafe CActorFlowLinux_pread_nowait(descriptor, bytes.baseAddress! + start, count, Int64(offset))
        }
        return result < 0 ? .failure(CInt(-result)) : .value(Int(result))
    }

    /// Reads `count` bytes at `offset` (fewer only at end of file), waiting for storage as long as it takes:
    /// only the blocking-read thread calls this.
    ///
    /// The corresponding C function is `pread`.
    static func readBlocking(_ descriptor: CInt, count: Int, offset: Int) -> Result<[UInt8], FileIOErrno> {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = unsafe bytes.withUnsafeMutableBytes { buffer in
                unsafe pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if result < 0 {
                let error = errno
                if error == EINTR { continue }
                return .failure(FileIOErrno(error))
            }
            if result == 0 { break }
            filled += result
        }
        if filled < count { bytes.removeLast(count - filled) }
        return .success(bytes)
    }

    /// Reads up to `count` bytes from a stream (non-blocking descriptor) into `buffer[start...]`:
    /// `.failure(EAGAIN)` when nothing is available yet, `.value(0)` at end of stream.
    ///
    /// The corresponding C function is `read`.
    static func readAvailable(_ descriptor: CInt, into buffer: inout [UInt8], at start: Int, count: Int) -> Outcome {
        precondition(start >= 0 && count >= 0 && start + count <= buffer.count, "read past the buffer")
        while true {
            let result = unsafe buffer.withUnsafeMutableBytes { bytes in
                unsafe Glibc.read(descriptor, bytes.baseAddress! + start, count)
            }
            if result >= 0 { return .value(result) }
            let error = errno
            if error != EINTR { return .failure(error == EWOULDBLOCK ? EAGAIN : error) }
        }
    }

    /// The text of an errno value ("No such file or directory").
    ///
    /// The corresponding C function is `strerror` (glibc's returns a per-thread buffer for unknown values).
    static func describe(_ code: CInt) -> String {
        guard let text = unsafe strerror(code) else { return "errno \(code)" }
        return unsafe String(cString: text)
    }

    // MARK: Reactor

    /// A new epoll instance, or an errno value.
    ///
    /// The corresponding C function is `epoll_create1(EPOLL_CLOEXEC)`.
    static func epollCreate() -> Outcome {
        let result = CActorFlowLinux_epoll_create()
        return result < 0 ? .failure(-result) : .value(Int(result))
    }

    /// Watches `descriptor` for readability or hang-up, reporting `token`, only for the first event when
    /// `once`. Returns 0 or an errno value (`EPERM`: the file cannot be polled, so reading it never says `EAGAIN`).
    ///
    /// The corresponding C call is `epoll_ctl(EPOLL_CTL_ADD, EPOLLIN | EPOLLRDHUP [| EPOLLONESHOT])`.
    static func epollWatch(_ epoll: CInt, _ descriptor: CInt, token: UInt64, once: Bool = true) -> CInt {
        -CActorFlowLinux_epoll_watch_readable(epoll, descriptor, token, once)
    }

    /// Stops watching `descriptor` (it may already be gone from the set: that is not an error here).
    ///
    /// The corresponding C call is `epoll_ctl(EPOLL_CTL_DEL)`.
    static func epollUnwatch(_ epoll: CInt, _ descriptor: CInt) {
        _ = CActorFlowLinux_epoll_unwatch(epoll, descriptor)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns the tokens of the ready watches (empty on a
    /// timeout or a signal).
    ///
    /// The corresponding C function is `epoll_wait`.
    static func epollWait(_ epoll: CInt, timeoutMilliseconds: CInt) -> [UInt64] {
        var tokens = [UInt64](repeating: 0, count: 64)
        let count = unsafe tokens.withUnsafeMutableBufferPointer { buffer in
            unsafe CActorFlowLinux_epoll_wait_tokens(epoll, buffer.baseAddress, CInt(buffer.count), timeoutMilliseconds)
        }
        guard count > 0 else {
            // EINTR is a signal; any other failure of epoll_wait on our own instance is a bug.
            precondition(count == 0 || -count == EINTR, "epoll_wait failed: \(describe(-count))")
            return []
        }
        return Array(tokens.prefix(Int(count)))
    }

    /// A non-blocking eventfd, or an errno value.
    ///
    /// The corresponding C function is `eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)`.
    static func eventCreate() -> Outcome {
        let result = CActorFlowLinux_eventfd()
        return result < 0 ? .failure(-result) : .value(Int(result))
    }

    /// Adds one to an eventfd, making it readable.
    ///
    /// The corresponding C function is `write`.
    static func eventSignal(_ descriptor: CInt) {
        var one: UInt64 = 1
        // EAGAIN (the counter is saturated) still leaves it readable.
        _ = unsafe Glibc.write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Resets an eventfd to zero.
    ///
    /// The corresponding C function is `read`.
    static func eventDrain(_ descriptor: CInt) {
        var value: UInt64 = 0
        _ = unsafe Glibc.read(descriptor, &value, MemoryLayout<UInt64>.size)
    }
}

/// An errno value, as an `Error` for `Result`.
struct FileIOErrno: Error, Equatable {
    let code: CInt
    init(_ code: CInt) { self.code = code }
}
