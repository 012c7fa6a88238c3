#if canImport(Glibc)
import Glibc
#endif

/// Why ``NonBlockingFileReader`` could not read a file: what went wrong, the path, and the system's words for it.
///
///     do {
///         _ = try await NonBlockingFileReader().read(contentsOf: "/data/missing.npy")
///     } catch let error as FileReadError {
///         print(error)        // cannot open '/data/missing.npy': No such file or directory (errno 2)
///         print(error.code)   // notFound
///     }
public struct FileReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, for code that reacts to some of them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case notFound, permissionDenied, isADirectory, notReadable, shortFile, invalidRange, ioFailure
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The path, or a directory on it, does not exist (`ENOENT`, `ENOTDIR`).
        public static let notFound = Code(.notFound)
        /// The process may not open or read the file (`EACCES`, `EPERM`).
        public static let permissionDenied = Code(.permissionDenied)
        /// The path names a directory.
        public static let isADirectory = Code(.isADirectory)
        /// The path names something that holds no bytes to read (not a file, pipe, socket or device).
        public static let notReadable = Code(.notReadable)
        /// The file ended before the requested byte range did.
        public static let shortFile = Code(.shortFile)
        /// The byte range starts below zero.
        public static let invalidRange = Code(.invalidRange)
        /// Opening or reading failed for another reason (the errno text says which).
        public static let ioFailure = Code(.ioFailure)

        public var description: String { "\(kind)" }
    }

    /// The kind of failure.
    public var code: Code
    /// The path as given to the reader.
    public var path: String
    /// The errno value behind the failure, when a system call failed.
    public var errno: Int32?
    /// What happened, naming the path.
    public var message: String

    public var description: String { message }

    /// A failed system call: the code follows from `errno`, the message names `operation`, the path and the
    /// errno text.
    init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.errno = errno
        self.code =
            switch errno {
            case ENOENT, ENOTDIR: .notFound
            case EACCES, EPERM: .permissionDenied
            case EISDIR: .isADirectory
            default: .ioFailure
            }
        self.message = "cannot \(operation) '\(path)': \(FileIO.describe(errno)) (errno \(errno))"
    }

    /// A failure found by the reader itself (no errno).
    init(path: String, code: Code, message: String) {
        self.path = path
        self.errno = nil
        self.code = code
        self.message = message
    }
}
