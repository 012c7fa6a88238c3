import ActorFlowCore
import Synchronization
import Testing

/// `parallelFor` and `parallelReduce` outside a session (no pool: the calling thread runs every chunk) and the cost
/// model that sizes chunks.
@Suite("Parallel loops without a pool")
struct ParallelLoopsTests {
    @Test("the cost model keeps cheap loops whole and sizes chunks from bytes and cycles only")
    func grains() {
        let add = ParallelCost(bytesLoaded: 8, bytesStored: 4, computeCycles: 1)   // 5 cycles per element
        #expect(add.grain(for: 1_000) == 1_000)
        #expect(add.grain(for: 39_999) == 39_999)          // 199,995 cycles: below the split threshold
        #expect(add.grain(for: 40_000) == 10_000)
        #expect(add.grain(for: 1 << 24) == 10_000)
        let exp = ParallelCost(bytesLoaded: 4, bytesStored: 4, computeCycles: 20)   // 23 cycles per element
        #expect(exp.grain(for: 1 << 20) == 2_174)
        #expect(add.grain(for: 0) == 1 && add.grain(for: 1) == 1)
    }

    @Test("outside a session the body runs once, on the whole range; reductions go chunk by chunk, in order")
    func serial() throws {
        let g = Graph()
        let ctx = KernelContext(op: g.op(), inputs: [], state: SessionState(), stepID: 1, cancellation: StepCancellation())
        #expect(ctx.intraOpParallelism == 1)
        let calls = Mutex<[Range<Int>]>([])
        try ctx.parallelFor(3..<1_000, grain: 10) { range in calls.withLock { $0.append(range) } }
        #expect(calls.withLock { $0 } == [3..<1_000])
        try ctx.parallelFor(0..<0, grain: 10) { range in calls.withLock { $0.append(range) } }
        #expect(calls.withLock { $0.count } == 1)
        let order = try ctx.parallelReduce(0..<25, grain: 10, initial: [Range<Int>]()) { [$0] } combine: { $0 + $1 }
        #expect(order == [0..<10, 10..<20, 20..<25])
        let loops = ctx.loops
        #expect(loops.parallelism == 1)
        #expect(try loops.parallelReduce(0..<100, grain: 7, initial: 0) { $0.count } combine: { $0 + $1 } == 100)
    }

    @Test("a cancelled step stops a chunked reduction before its next chunk")
    func cancelled() {
        let g = Graph()
        let cancellation = StepCancellation()
        let ctx = KernelContext(op: g.op(), inputs: [], state: SessionState(), stepID: 1, cancellation: cancellation)
        let ran = Atomic<Int>(0)
        var caught: (any Error)?
        do {
            _ = try ctx.parallelReduce(0..<100, grain: 10, initial: 0) { range in
                if ran.add(1, ordering: .relaxed).newValue == 3 { cancellation.cancel() }
                return range.count
            } combine: { $0 + $1 }
        } catch {
            caught = error
        }
        guard case .cancelled? = caught as? SessionError else {
            Issue.record("expected SessionError.cancelled, got \(String(describing: caught))")
            return
        }
        #expect(ran.load(ordering: .relaxed) == 3)
    }
}
