import ActorFlowCore

/// Why a file's bytes are not the tensor `Graph.readFile` was asked for: not a `.npy` file, a
/// dtype ActorFlow has no type for, Fortran order, a size that does not match the shape, or a dtype or shape
/// other than the declared one. The message names the file.
///
///     do {
///         _ = try TensorFileFormat.npy(.float32).decode(bytes, path: "/data/x.npy")
///     } catch {
///         print(error)   // '/data/x.npy' is a .npy file in Fortran order, which readFile does not read; save it …
///     }
public struct TensorFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case notNumPy, malformedHeader, unsupportedDType, fortranOrder, sizeMismatch, dtypeMismatch, shapeMismatch
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The file does not start with the `.npy` magic string, or has a format version other than 1, 2 or 3.
        public static let notNumPy = Code(.notNumPy)
        /// The `.npy` header is not a dictionary with `descr`, `fortran_order` and `shape`.
        public static let malformedHeader = Code(.malformedHeader)
        /// The element type has no ActorFlow dtype (or is big-endian, or is a string for a raw file).
        public static let unsupportedDType = Code(.unsupportedDType)
        /// The `.npy` array is stored in Fortran (column-major) order.
        public static let fortranOrder = Code(.fortranOrder)
        /// The data's byte count is not the shape's element count times the dtype's size.
        public static let sizeMismatch = Code(.sizeMismatch)
        /// The `.npy` file's dtype is not the one declared when the op was built.
        public static let dtypeMismatch = Code(.dtypeMismatch)
        /// The `.npy` file's shape is not compatible with the one declared when the op was built.
        public static let shapeMismatch = Code(.shapeMismatch)

        public var description: String { "\(kind)" }
    }

    /// The kind of problem.
    public var code: Code
    /// The file's path.
    public var path: String
    /// What is wrong, naming the file.
    public var message: String

    public var description: String { message }

    init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }
}
