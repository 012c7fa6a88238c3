@_spi(ActorFlowInternal) import ActorFlowCore

/// The pending-input counts of a step's nodes, contiguous and indexed by node id.
///
/// Node `n`'s count lives at index `n`: producers decrement it as they resolve its inputs, and the one that
/// brings it to zero fires the node. Keeping the counts in one array (rather than one per node object)
/// makes resolving a successor a single cache-friendly atomic operation, as in TensorFlow's
/// `SimplePropagatorState`.
typealias PendingCounts = AtomicCounters

extension AtomicCounters {
    /// Sets node `index`'s count before a step starts.
    @inline(__always)
    func set(_ index: Int, to value: Int) { store(value, at: index) }

    /// Resolves one input of node `index`; returns `true` when it was the last one. Acquire-release: the
    /// producer's value stores happen before the consumer reads them.
    @inline(__always)
    func resolveOne(_ index: Int) -> Bool { decrementReachesZero(at: index) }
}
