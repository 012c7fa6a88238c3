import Synchronization

/// Whether executor events (`steal`, `worker_park`, `worker_wake`) should fire: only while at least one
/// step traced at `.softwareTrace` or above is in flight, so `.noTrace` runs record nothing anywhere.
///
/// Checking the gate is one relaxed load, on the executor's slow paths only (stealing, parking).
///
///     if ExecutorTraceGate.isOpen { Tracepoints.steal(thief: 0, victim: 1, sameNode: true) }
public enum ExecutorTraceGate {
    private static let tracedSteps = Atomic<Int>(0)

    /// Whether a traced step is in flight.
    @inlinable
    public static var isOpen: Bool { _isOpen() }

    @usableFromInline
    static func _isOpen() -> Bool { tracedSteps.load(ordering: .relaxed) > 0 }

    /// A traced step started.
    public static func enter() { tracedSteps.add(1, ordering: .relaxed) }

    /// A traced step ended.
    public static func leave() { tracedSteps.subtract(1, ordering: .relaxed) }
}
