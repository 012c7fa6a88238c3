import CActorFlowLinux

/// The thread-local slot that holds the calling thread's installed ``AllocationScope`` or
/// ``LazyAllocationScope``, as an unretained reference (C11 `_Thread_local`, see `CActorFlowLinux.h`). Whoever installs a scope keeps it alive until it
/// restores the previous value: ``AllocationScope/installed(_:)`` does both around its body.
///
/// Reading the slot is one thread-local load, which is all an untraced `NDArray` initializer pays.
enum AllocationScopeSlot {
    /// The slot's raw value: `nil` when no scope is installed.
    @inline(__always)
    static var raw: UnsafeMutableRawPointer? { CActorFlowLinux_get_current_allocation_scope() }

    /// What a non-nil raw value refers to: a scope, or a ``LazyAllocationScope`` (its pointer tagged with the low
    /// bit, which object pointers never have set).
    enum Installed {
        case scope(AllocationScope)
        case lazy(LazyAllocationScope)
    }

    /// The installed scope, or `nil`; an installed lazy scope makes its real scope now.
    static var current: AllocationScope? {
        guard let raw else { return nil }
        switch installed(at: raw) {
        case .scope(let scope): return scope
        case .lazy(let lazy): return lazy.materialize()
        }
    }

    /// What a non-nil raw value refers to.
    @inline(__always)
    static func installed(at raw: UnsafeMutableRawPointer) -> Installed {
        let bits = UInt(bitPattern: raw)
        if bits & 1 == 0 { return .scope(Unmanaged<AllocationScope>.fromOpaque(raw).takeUnretainedValue()) }
        let untagged = UnsafeMutableRawPointer(bitPattern: bits & ~1)!
        return .lazy(Unmanaged<LazyAllocationScope>.fromOpaque(untagged).takeUnretainedValue())
    }

    /// Installs `scope` (or clears the slot) and returns the previous raw value for ``restore(_:)``.
    @inline(__always)
    static func exchange(_ scope: AllocationScope?) -> UnsafeMutableRawPointer? {
        let previous = raw
        CActorFlowLinux_set_current_allocation_scope(scope.map { Unmanaged.passUnretained($0).toOpaque() })
        return previous
    }

    /// Installs a lazy scope (tagged) and returns the previous raw value for ``restore(_:)``.
    @inline(__always)
    static func exchange(lazy scope: LazyAllocationScope) -> UnsafeMutableRawPointer? {
        let previous = raw
        let bits = UInt(bitPattern: Unmanaged.passUnretained(scope).toOpaque())
        CActorFlowLinux_set_current_allocation_scope(UnsafeMutableRawPointer(bitPattern: bits | 1))
        return previous
    }

    /// Puts back a value returned by ``exchange(_:)``.
    @inline(__always)
    static func restore(_ previous: UnsafeMutableRawPointer?) {
        CActorFlowLinux_set_current_allocation_scope(previous)
    }
}
