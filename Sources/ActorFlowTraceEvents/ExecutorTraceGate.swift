import Synchronization

/// Whether executor events (`steal`, `worker_park`, `worker_wake`) should fire: only while at least one step that
/// emits events is in flight (traced at `.softwareTrace` or above, or started while an LTTng session had enabled
/// `actorflow:*` events), so untraced runs record nothing anywhere.
///
/// Checking the gate is one relaxed load, on the executor's slow paths only (stealing, parking).
///
///     if ExecutorTraceGate.isOpen { Tracepoints.steal(thief: 0, victim: 1, sameNode: true) }
package enum ExecutorTraceGate {
    private static let tracedSteps = Atomic<Int>(0)

    /// Whether a traced step is in flight.
    @inlinable
    package static var isOpen: Bool { _isOpen() }

    @usableFromInline
    static func _isOpen() -> Bool { tracedSteps.load(ordering: .relaxed) > 0 }

    /// A traced step started.
    package static func enter() { tracedSteps.add(1, ordering: .relaxed) }

    /// A traced step ended.
    package static func leave() { tracedSteps.subtract(1, ordering: .relaxed) }
}
