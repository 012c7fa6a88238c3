import ActorFlow
import ActorFlowTestSupport
import Testing

/// Binary ops on one-element values write their result into the left operand's buffer when the op holds the only
/// reference to it (a value its producer handed to it alone), and into a new buffer otherwise. These runs go
/// through the engine, where values move from producer to consumer, so both paths are taken.
@Suite("One-element binary ops in place")
struct InPlaceScalarTests {
    @Test("a chain of scalar ops computes the exact values and leaves fed and shared values unchanged", arguments: allPolicies)
    func chain(policy: SchedulingPolicy) throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        var sum = x
        for _ in 0..<50 { sum = g.add(sum, x) }                   // each sum reaches the next add alone
        let shared = g.mul(sum, g.constant(Float(2)))            // read by two ops: never written in place
        let below = g.sub(shared, g.constant(Float(1)))
        let above = g.maximum(shared, g.constant(Float(1_000)))
        let fed = NDArray(Float(1.5))
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        defer { session.close() }
        for _ in 0..<3 {
            let (b, a, s) = try session.run(below, above, shared, feeds: [x: fed])
            #expect(s == NDArray(Float(153)))                     // (1 + 50) · 1.5 · 2
            #expect(b == NDArray(Float(152)))
            #expect(a == NDArray(Float(1_000)))
        }
        #expect(fed == NDArray(Float(1.5)), "the fed value is never written")
    }

    @Test("integer ops take the same path, and a zero divisor fails the op and leaves the session usable")
    func integers() throws {
        let g = Graph()
        let n = g.placeholder(.int32, shape: [], name: "n")
        let d = g.placeholder(.int32, shape: [], name: "d")
        let q = g.floorDiv(g.mul(g.add(n, n), n), d)             // floor(2n² / d)
        let session = Session(graph: g)
        defer { session.close() }
        #expect(try session.run(q, feeds: [n: Int32(-7), d: Int32(4)]) == NDArray(Int32(24)))
        #expect(try session.run(q, feeds: [n: Int32(7), d: Int32(-4)]) == NDArray(Int32(-25)))
        let error = sessionError { try session.run(q, feeds: [n: Int32(3), d: Int32(0)]) }
        guard case .opFailed(_, let underlying)? = error, let kernel = underlying as? KernelError else {
            Issue.record("expected opFailed with a KernelError, got \(String(describing: error))")
            return
        }
        #expect(kernel.message == "Integer division by zero")
        #expect(try session.run(q, feeds: [n: Int32(3), d: Int32(2)]) == NDArray(Int32(9)))
    }
}
