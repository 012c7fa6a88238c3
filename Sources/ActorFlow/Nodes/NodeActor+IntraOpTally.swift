@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowTracing

/// Traced firings count what their kernels split: the node's ``IntraOpTally`` is armed on the firing thread around
/// the kernel (``NodeActor/compute(_:step:measuringHardware:allocations:counting:asWorker:numaNode:inputs:events:)``)
/// and read into the record after it, so a profile shows the op spreading over workers.
extension NodeActor {
    /// The node's tally, made on its first traced firing, sized for the step's pool, and reused by every later one
    /// (a node fires once at a time): steady-state traced firings allocate nothing for it.
    func intraOpTally(for step: StepRun) -> IntraOpTally {
        if let intraOpTally { return intraOpTally }
        let tally = IntraOpTally(workers: step.step.pool.parallelism)
        intraOpTally = tally
        return tally
    }
}

extension NodeExecRecord {
    /// Keeps what `tally` counted during the kernel (nothing for a kernel that split no loop) and starts the tally
    /// afresh for the node's next firing, so nothing carries over between firings.
    ///
    ///     r.keepIntraOp(tally)      // r.intraOpLoops == 2, r.intraOpChunks == [w0: 7 chunks, w1: 5 chunks]
    mutating func keepIntraOp(_ tally: IntraOpTally) {
        guard let reading = tally.take() else { return }
        intraOpLoops = reading.loops
        intraOpChunks = reading.chunks.map { WorkerChunks(worker: Int32(truncatingIfNeeded: $0.worker), chunks: $0.chunks) }
    }
}
