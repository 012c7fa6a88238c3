/// The state of a ``LazyAllocationScope``, in memory of its own, read and written in place through addressors.
///
/// A class's stored `var` pays a dynamic exclusivity check on every access (about 80 instructions here), twice
/// per traced firing for the lazy scope. The scope is used by one thread at a time (the one that installed it,
/// see ``LazyAllocationScope``), so accesses never overlap and the check buys nothing; this box is the unsafe
/// part that skips it.
final class LazyScopeState<Value> {
    private let pointer: UnsafeMutablePointer<Value>

    init(_ value: Value) {
        pointer = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        pointer.initialize(to: value)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// The value, in place.
    var value: Value {
        @inline(__always) unsafeAddress { UnsafePointer(pointer) }
        @inline(__always) unsafeMutableAddress { pointer }
    }
}
