import CActorFlowLinux

/// The thread-local slot that holds the ``IntraOpTally`` armed on the calling thread, as an unretained reference,
/// and the worker index to count that thread's chunks under (C11 `_Thread_local`, see `CActorFlowLinux.h`).
/// Whoever arms a tally keeps it alive until it restores the previous value: a traced firing holds its node's tally,
/// a chunk runner the loop's job, which holds the tally.
///
/// Reading the slot is one thread-local load, which is all an untraced loop pays.
extension IntraOpTally {
    /// What a slot held before ``arm(_:worker:)``, for ``restore(_:)``.
    package struct ArmedState {
        fileprivate let tally: UnsafeMutableRawPointer?
        fileprivate let worker: Int
    }

    /// The tally armed on this thread, or `nil` (always, in untraced steps).
    @inline(__always)
    package static var armed: IntraOpTally? {
        guard let raw = CActorFlowLinux_get_intra_op_tally() else { return nil }
        return unsafe Unmanaged<IntraOpTally>.fromOpaque(raw).takeUnretainedValue()
    }

    /// The worker index the armed tally counts this thread's chunks under (-1: off the pool).
    @inline(__always)
    package static var armedWorker: Int { CActorFlowLinux_get_intra_op_worker() }

    /// Arms `tally` on this thread for chunks of `worker` (-1: a thread off the pool) and returns what the slot held.
    /// `tally` must stay alive until ``restore(_:)``.
    @inline(__always)
    package static func arm(_ tally: IntraOpTally, worker: Int) -> ArmedState {
        let previous = ArmedState(tally: CActorFlowLinux_get_intra_op_tally(), worker: armedWorker)
        CActorFlowLinux_set_intra_op_tally(unsafe Unmanaged.passUnretained(tally).toOpaque(), worker)
        return previous
    }

    /// Puts back what ``arm(_:worker:)`` returned.
    @inline(__always)
    package static func restore(_ previous: ArmedState) {
        CActorFlowLinux_set_intra_op_tally(previous.tally, previous.worker)
    }

    /// Runs `body` with no tally armed on the calling thread (for work that is not the current kernel's, such as a
    /// nested step run from inside a kernel, whose firings this thread may run), then puts back the armed one.
    @inline(__always)
    package static func suspended<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        guard let armed = CActorFlowLinux_get_intra_op_tally() else { return try body() }
        CActorFlowLinux_set_intra_op_tally(nil, -1)
        defer { CActorFlowLinux_set_intra_op_tally(armed, armedWorker) }
        return try body()
    }
}
