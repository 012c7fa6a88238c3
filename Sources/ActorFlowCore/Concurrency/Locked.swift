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
@_spi(ActorFlowInternal) public final class Locked<Value>: Sendable {
    /// The lock and value, annotated with this object's address (see ``InlineLocked``).
    @usableFromInline let storage: InlineLocked<Value>

    public init(_ value: consuming sending Value) {
        storage = InlineLocked(value)
    }

    /// Runs `body` with exclusive access to the value. Inlinable: the executor's queues call it on their
    /// hot paths from another module.
    @inlinable @inline(__always)
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E)
        -> sending Result
    {
        try storage.withLock(annotating: self, body)
    }
}
