import CActorFlowLinux

/// The thread-local slot that holds the calling thread's installed ``AllocationScope``, as an unretained
/// reference (C11 `_Thread_local`, see `CActorFlowLinux.h`). Whoever installs a scope keeps it alive until it
/// restores the previous value: ``AllocationScope/installed(_:)`` does both around its body.
///
/// Reading the slot is one thread-local load, which is all an untraced `NDArray` initializer pays.
enum AllocationScopeSlot {
    /// The slot's raw value: `nil` when no scope is installed.
    @inline(__always)
    static var raw: UnsafeMutableRawPointer? { CActorFlowLinux_get_current_allocation_scope() }

    /// The installed scope, or `nil`.
    @inline(__always)
    static var current: AllocationScope? {
        guard let raw else { return nil }
        return scope(at: raw)
    }

    /// The scope a non-nil raw value refers to.
    @inline(__always)
    static func scope(at raw: UnsafeMutableRawPointer) -> AllocationScope {
        Unmanaged<AllocationScope>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Installs `scope` (or clears the slot) and returns the previous raw value for ``restore(_:)``.
    @inline(__always)
    static func exchange(_ scope: AllocationScope?) -> UnsafeMutableRawPointer? {
        let previous = raw
        CActorFlowLinux_set_current_allocation_scope(scope.map { Unmanaged.passUnretained($0).toOpaque() })
        return previous
    }

    /// Puts back a value returned by ``exchange(_:)``.
    @inline(__always)
    static func restore(_ previous: UnsafeMutableRawPointer?) {
        CActorFlowLinux_set_current_allocation_scope(previous)
    }
}
