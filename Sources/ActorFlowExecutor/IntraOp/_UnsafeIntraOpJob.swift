@_spi(ActorFlowInternal) import ActorFlowCore
import CActorFlowLinux
import Glibc
import Synchronization

/// One `parallelFor` in flight: a counter its participants claim chunks from, a count of chunks done, and the
/// loop body, borrowed from the caller's stack (``PoolIntraOp/run(chunks:participants:cancellation:_:)`` made it
/// escapable with `withoutActuallyEscaping`).
///
/// Why sharing `chunk` is sound: it is written once before any helper item is queued and cleared by the caller in
/// ``finish()`` only after every claimed chunk finished; a participant reads it only after claiming a chunk below
/// ``count`` and before reporting that chunk finished (a releasing add the caller's wait acquires), and the copy it
/// reads is released when ``runChunk(_:)`` returns, before the report — so `withoutActuallyEscaping` finds the
/// closure unescaped. Helper items that run after the loop ended claim nothing and never read it.
final class IntraOpJob: WorkTarget, @unchecked Sendable {
    /// How many chunks the loop has.
    let count: Int
    /// The next chunk to hand out (past `count`: none left).
    private let next = Atomic<Int>(0)
    /// Chunks that ran or were skipped after a stop.
    private let finished = Atomic<Int>(0)
    /// Set by the first failure or stop: no chunk is started after it.
    private let stopped = Atomic<Bool>(false)
    private let cancellation: StepCancellation
    /// The first error a chunk threw.
    private let failure = Mutex<(any Error)?>(nil)
    /// The loop body; see the type's comment for who reads and writes it when.
    @exclusivity(unchecked) private nonisolated(unsafe) var chunk: (@Sendable (Int) throws -> Void)?
    /// The tally of the traced firing that started the loop (`nil` when untraced); kept alive by the job, so a
    /// helper that runs after the loop ended (and claims nothing) may still arm it.
    private let tally: IntraOpTally?

    init(
        count: Int, cancellation: StepCancellation, chunk: @escaping @Sendable (Int) throws -> Void,
        tally: IntraOpTally? = nil
    ) {
        self.count = count
        self.cancellation = cancellation
        self.tally = tally
        unsafe self.chunk = chunk
    }

    /// A helper item: join the loop. In a traced loop its chunks count under the worker running it — the pool
    /// worker's index, -1 for a thread off the pool (after shutdown, items run on a detached thread whose
    /// `context` says worker 0) — and the tally is armed here meanwhile, so loops nested in its chunks count too.
    func run(_ index: Int, in context: inout WorkerContext) {
        guard let tally else {
            participate()
            return
        }
        let worker = Worker.current?.index ?? -1
        let armed = IntraOpTally.arm(tally, worker: worker)
        defer { IntraOpTally.restore(armed) }
        participate(counting: tally, worker: worker)
    }

    /// Claims and runs chunks until none is left to hand out. After a failure, a cancellation or the deadline it
    /// claims every chunk not yet handed out at once and counts them finished without running them.
    func participate() {
        participate(afterEachChunk: {})
    }

    /// ``participate()``, adding each chunk it runs to `tally` as `worker`'s before reporting it finished, so the
    /// caller, once every chunk finished, reads complete counts.
    func participate(counting tally: IntraOpTally, worker: Int) {
        participate(afterEachChunk: { tally.countChunks(1, worker: worker) })
    }

    /// The claiming loop, with what to do after each chunk that ran (inlined: untraced loops do nothing per chunk).
    @inline(__always)
    private func participate(afterEachChunk ran: () -> Void) {
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if index >= count { return }
            if stopped.load(ordering: .relaxed) || cancellation.shouldStop {
                stopped.store(true, ordering: .relaxed)
                let unclaimed = next.exchange(count, ordering: .relaxed)
                finished.wrappingAdd(1 + max(0, count - unclaimed), ordering: .releasing)
                return
            }
            runChunk(index)
            ran()
            finished.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// Runs chunk `index`, recording its error. Not inlined: the copy of `chunk` it makes is released when it
    /// returns, before the caller reports the chunk finished.
    @inline(never)
    private func runChunk(_ index: Int) {
        guard let body = unsafe chunk else { return }
        do {
            try body(index)
        } catch {
            failure.withLock { if $0 == nil { $0 = error } }
            stopped.store(true, ordering: .relaxed)
        }
    }

    /// Waits until every chunk handed out has finished, spinning (then yielding the CPU) rather than sleeping:
    /// what is left runs on other threads right now, for at most about one chunk's time. Keep the name stable
    /// for profilers.
    @inline(never)
    func waitForChunksInFlight() {
        var spins = 0
        while finished.load(ordering: .acquiring) < count {
            if spins < 256 {
                spins += 1
                CActorFlowLinux_cpu_relax()
            } else {
                sched_yield()
            }
        }
    }

    /// Drops the body (call after ``waitForChunksInFlight()``) and throws what stopped the loop, if anything.
    func finish() throws {
        unsafe chunk = nil
        if let error = failure.withLock({ $0 }) { throw error }
        if stopped.load(ordering: .relaxed) { throw cancellation.stopError }
    }
}
