import CActorFlowLinux
import Synchronization

/// A `Mutex`-protected value whose critical sections ThreadSanitizer understands.
///
/// `Synchronization.Mutex` on Linux hands a contended lock over inside the runtime library and the kernel
/// (a priority-inheritance futex), where ThreadSanitizer cannot see it, so data it guards is reported as
/// racing. `Locked` adds acquire/release annotations (no-ops unless built with `--sanitize=thread`).
///
///     let names = Locked<[String]>([])
///     names.withLock { $0.append("af-w0-n0") }
///
/// Public only as SPI (`@_spi(ActorFlowInternal) import ActorFlowCore`), so that ActorFlow's other modules can
/// inline it: the executor takes these locks on its hot paths, and a `package` generic is not specialized
/// across modules (each call instantiated generic metadata at run time).
///
/// Thread safety: `withLock` may be called from any thread.
@_spi(ActorFlowInternal) public final class Locked<Value>: @unchecked Sendable {
    // Only accessed inside `mutex.withLock`.
    @usableFromInline let mutex: Mutex<Value>

    public init(_ value: consuming sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value. Inlinable: the executor's queues call it on their
    /// hot paths from another module.
    @inlinable @inline(__always)
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E)
        -> sending Result
    {
        let address = unsafe UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            unsafe CActorFlowLinux_tsan_acquire(address)
            defer { unsafe CActorFlowLinux_tsan_release(address) }
            return try body(&value)
        }
    }
}
