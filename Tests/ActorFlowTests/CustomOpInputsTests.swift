import ActorFlow
import ActorFlowTestSupport
import Testing
@_spi(ActorFlowInternal) import ActorFlowCore

/// A custom op's kernel receives its inputs in an array that the node reuses from one firing to the next: a kernel
/// that keeps the array must still see the values it was given, and every firing sees its own step's values.
@Suite("Custom-op input arrays")
struct CustomOpInputsTests {
    @Test("kept input arrays keep their own step's values; every step sees its feeds", arguments: allPolicies)
    func keptArrays(policy: SchedulingPolicy) throws {
        let g = Graph()
        let a = g.placeholder(.float32, shape: [], name: "a")
        let b = g.placeholder(.float32, shape: [], name: "b")
        let kept = Locked<[[NDArray]]>([])
        let effects = Locked<[[NDArray]]>([])
        let sum = g.customOp(name: "keep", inputs: [a, b], outputs: [(.float32, [])]) { inputs in
            kept.withLock { $0.append(inputs) }                   // the array escapes the kernel
            return [NDArray(try inputs[0].scalars(as: Float.self)[0] + inputs[1].scalars(as: Float.self)[0])]
        }[0]
        let log = g.customTarget(name: "log", inputs: [sum, a]) { inputs, _ in effects.withLock { $0.append(inputs) } }
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        defer { session.close() }
        for step in 0..<5 {
            let x = Float(step), y = Float(10 * step)
            let (total, _) = try session.run(sum, log, feeds: [a: NDArray(x), b: NDArray(y)])
            #expect(total == NDArray(x + y))
        }
        let steps = kept.withLock { $0 }
        #expect(steps.count == 5)
        for (step, inputs) in steps.enumerated() {
            #expect(inputs == [NDArray(Float(step)), NDArray(Float(10 * step))], "step \(step)'s kept inputs")
        }
        let logged = effects.withLock { $0 }
        #expect(logged.count == 5)
        for (step, inputs) in logged.enumerated() {
            #expect(inputs == [NDArray(Float(11 * step)), NDArray(Float(step))], "step \(step)'s logged inputs")
        }
    }

    @Test("a kernel that throws leaves the node's array empty: the next step sees only its own inputs")
    func throwingKernel() throws {
        let g = Graph()
        let a = g.placeholder(.int32, shape: [], name: "a")
        let seen = Locked<[Int]>([])
        let out = g.customOp(name: "picky", inputs: [a, a], outputs: [(.int32, [])]) { inputs in
            seen.withLock { $0.append(inputs.count) }
            let value = try inputs[0].scalars(as: Int32.self)[0]
            if value < 0 { throw KernelError("negative input \(value)") }
            return [inputs[1]]
        }[0]
        let session = Session(graph: g)
        defer { session.close() }
        #expect(throws: SessionError.self) { try session.run(out, feeds: [a: NDArray(Int32(-1))]) }
        #expect(try session.run(out, feeds: [a: NDArray(Int32(7))]) == NDArray(Int32(7)))
        #expect(try session.run(out, feeds: [a: NDArray(Int32(8))]) == NDArray(Int32(8)))
        #expect(seen.withLock { $0 } == [2, 2, 2], "each firing got exactly its two inputs")
    }
}
