import CActorFlowLinux
import Synchronization

/// A `Mutex`-protected value with ThreadSanitizer annotations (see ``Locked``, which is one of these in an object
/// of its own), stored inline in the object that owns it.
///
/// For objects made by the million (one per plan node and step), where ``Locked``'s separate allocation is a
/// measurable part of the memory per node. The owner passes itself so that the annotations have a stable
/// address:
///
///     final class Node: Sendable {
///         private let queue = InlineLocked<[Int]>([])
///         func push(_ x: Int) { queue.withLock(annotating: self) { $0.append(x) } }
///     }
///
/// Public only as SPI (`@_spi(ActorFlowInternal) import ActorFlowCore`), for the same reason as ``Locked``.
///
/// Thread safety: `withLock(annotating:_:)` may be called from any thread.
@_spi(ActorFlowInternal) public struct InlineLocked<Value>: ~Copyable, Sendable {
    // Only accessed inside `mutex.withLock`.
    @usableFromInline let mutex: Mutex<Value>

    public init(_ value: consuming sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value; `owner` is the object this lock is stored in (its address
    /// names the lock to ThreadSanitizer).
    @inlinable @inline(__always)
    public borrowing func withLock<Result, E: Error>(
        annotating owner: AnyObject, _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        let address = unsafe UnsafeRawPointer(Unmanaged.passUnretained(owner).toOpaque())
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            unsafe CActorFlowLinux_tsan_acquire(address)
            defer { unsafe CActorFlowLinux_tsan_release(address) }
            return try body(&value)
        }
    }
}
