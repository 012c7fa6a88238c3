#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A C copy of a string, made once and then handed to tracepoints by pointer, so that firing an event never
/// bridges a Swift `String`.
///
/// An execution plan interns each op's name and type when it is built and keeps the instances for as long as the
/// plan lives; every `op_start`/`op_end` event of every step run from that plan passes the same pointers. The copy
/// is freed when the last reference goes away.
///
/// ```swift
/// let name = InternedCString("layer1/matmul")
/// let type = InternedCString("MatMul")
/// Tracepoints.opStart(stepID: 1, opID: 3, name: name, type: type, worker: 0, numaNode: 0)
/// print(name.string)   // layer1/matmul
/// ```
///
/// The C string ends at the string's first NUL character, if it has one (`"a\u{0}b"` is interned as `"a"`).
///
/// Thread safety: immutable after `init`; share it freely between threads.
@safe
public final class InternedCString: @unchecked Sendable {
    // @unchecked: `pointer` is written once in `init`, never written through, and freed only in `deinit`, when no
    // other reference (and so no other thread) can read it.

    /// The NUL-terminated copy, valid for as long as `self` is alive.
    @usableFromInline
    let pointer: UnsafePointer<CChar>

    /// Copies `string` into a C string owned by the new instance.
    ///
    /// - Parameter string: The text to intern, typically an op's name or type.
    /// - Complexity: O(n) in the string's UTF-8 length; one allocation.
    public init(_ string: String) {
        let copy = unsafe string.withCString { unsafe strdup($0) }
        // strdup fails only when malloc does; there is nothing sensible to trace with then.
        guard let copy = unsafe copy else {
            fatalError("InternedCString: out of memory copying \(string.utf8.count) bytes")
        }
        unsafe pointer = UnsafePointer(copy)
    }

    deinit {
        unsafe free(UnsafeMutablePointer(mutating: pointer))
    }

    /// The interned text, read back from the C copy (so it ends at the first NUL of the original).
    public var string: String {
        unsafe String(cString: pointer)
    }
}

extension InternedCString: CustomStringConvertible {
    /// The interned text.
    public var description: String { string }
}
