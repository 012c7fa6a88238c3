import ActorFlowCore
import Testing

@Suite("Kernel and KernelContext")
struct KernelContextTests {
    @Test func kernelSeesItsContext() throws {
        let g = Graph()
        let op = g.addOperation(
            type: "Probe", outputs: [(.int64, .scalar)],
            kernel: Kernel { ctx in
                [NDArray(Int64(ctx.inputs.count)), NDArray(ctx.stepID), NDArray(ctx.op.name)]
            })
        let state = SessionState()
        let ctx = KernelContext(
            op: op, inputs: [NDArray(Float(1))], state: state, stepID: 7, cancellation: StepCancellation())
        let out = try op.kernel.compute(ctx)
        #expect(out == [NDArray(Int64(1)), NDArray(Int64(7)), NDArray("Probe")])
    }

    @Test func cancellation() {
        let g = Graph()
        let op = g.op()
        let cancellation = StepCancellation()
        let ctx = KernelContext(op: op, inputs: [], state: SessionState(), stepID: 1, cancellation: cancellation)
        let before = (ctx.isCancelled, cancellation.isCancelled)
        #expect(before == (false, false))
        do {
            try ctx.checkCancellation()
        } catch {
            Issue.record("a step that was not cancelled does not throw: \(error)")
        }
        cancellation.cancel()
        let after = (ctx.isCancelled, cancellation.isCancelled)
        #expect(after == (true, true))
        do {
            try ctx.checkCancellation()
            Issue.record("a cancelled step throws")
        } catch {
            guard case .cancelled = error else {
                Issue.record("expected .cancelled, got \(error)")
                return
            }
        }
        // Cancelling twice is harmless.
        cancellation.cancel()
        let again = ctx.isCancelled
        #expect(again)
    }
}
