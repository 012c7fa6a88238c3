import ActorFlowExecutor

/// The node actors of one step, owned here and reachable by node id without touching their reference counts.
///
/// Retaining the actor of every node that fires writes to a cache line of that actor, scattered over the heap;
/// on large graphs that was a cache miss per firing. ``withActor(_:_:)`` lends the actor for the duration of a
/// call instead (`Unmanaged._withUnsafeGuaranteedRef`), which is sound because ``actors`` keeps every actor
/// alive for as long as this object lives, and the step that fires nodes holds this object.
@safe final class NodeActors: Sendable {
    /// The actors, one per plan node: what keeps them alive.
    let actors: [NodeActor]
    // Written once in `init`; `unowned` views of `actors`.
    private nonisolated(unsafe) let views: UnsafeMutablePointer<Unmanaged<NodeActor>>

    init(count: Int, pool: WorkStealingExecutor) {
        actors = (0..<count).map { NodeActor(index: $0, pool: pool) }
        unsafe views = UnsafeMutablePointer<Unmanaged<NodeActor>>.allocate(capacity: max(count, 1))
        for (i, actor) in actors.enumerated() { unsafe (views + i).initialize(to: Unmanaged.passUnretained(actor)) }
    }

    deinit {
        unsafe views.deallocate()
    }

    var count: Int { actors.count }

    /// Calls `body` with node `index`'s actor, without retaining it.
    @inline(__always)
    func withActor<R>(_ index: Int, _ body: (NodeActor) -> R) -> R {
        precondition(index >= 0 && index < actors.count)
        return unsafe views[index]._withUnsafeGuaranteedRef(body)
    }
}
