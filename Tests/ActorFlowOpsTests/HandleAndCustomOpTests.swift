import ActorFlowCore
import ActorFlowOps
import Synchronization
import Testing

@Suite("Session handles and custom ops")
struct HandleAndCustomOpTests {
    let runner = MiniRunner()

    @Test func storeAndReadBackThroughAHandle() throws {
        let g = Graph()
        let z = g.mul(g.constant([1, 2] as [Float]), g.constant(Float(3)))
        let h = g.getSessionHandle(z)
        #expect(h.tensor.op.type == "GetSessionHandle" && h.tensor.op.isStateful && h.tensor.dtype == .string)
        let handle = try runner.run(h.tensor).scalar(as: String.self)
        #expect(handle == "GetSessionHandle;0;/job:localhost/replica:0/task:0/device:CPU:0")
        #expect(try runner.state.handleValue(handle) == NDArray([3, 6] as [Float]))

        let (holder, t) = g.getSessionTensor(dtype: .float32)
        #expect(holder.op.name == "GetSessionTensor/handle" && holder.dtype == .string)
        #expect(t.op.type == "GetSessionTensor" && t.op.isStateful)
        let doubled = g.add(t, t)
        #expect(try runner.run(doubled, feeds: [holder: NDArray(handle)]) == NDArray([6, 12] as [Float]))
    }

    @Test func wrongDTypeOrUnknownHandleFails() throws {
        let g = Graph()
        let h = g.getSessionHandle(g.constant([1] as [Int32]))
        let handle = try runner.run(h.tensor).scalar(as: String.self)
        let (holder, t) = g.getSessionTensor(dtype: .float32)
        #expect(
            kernelMessage { _ = try runner.run(t, feeds: [holder: NDArray(handle)]) }
                == "Expects arg[0] to be float but int32 is provided")
        #expect(throws: MiniRunner.Failure.self) { try runner.run(t, feeds: [holder: NDArray("nope")]) }
    }

    @Test func customOpRunsAndIsValidated() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let outs: [Tensor] = g.customOp(name: "mine", inputs: [x], outputs: [(.float32, TensorShape([nil, 2]))]) {
            inputs in
            inputs
        }
        #expect(outs.count == 1 && outs[0].op.name == "mine" && outs[0].op.type == "CustomOp" && outs[0].op.isStateful)
        #expect(outs[0].shape == [nil, 2])
        let value = try NDArray([[1, 2]] as [[Float]])
        #expect(try runner.run(outs[0], feeds: [x: value]) == value)

        let wrongDType = g.customOp(name: "bad", inputs: [x], outputs: [(.float32, .unknown)]) { _ in
            [NDArray(Int32(1))]
        }
        #expect(
            kernelMessage { _ = try runner.run(wrongDType[0], feeds: [x: value]) }
                == "customOp 'bad' output 0: expected dtype float, the kernel returned int32")
        let wrongCount = g.customOp(name: "bad", inputs: [], outputs: [(.float32, .unknown), (.int32, .unknown)]) { _ in
            [NDArray(Float(1))]
        }
        #expect(wrongCount[0].op.name == "bad_1")
        #expect(
            kernelMessage { _ = try runner.run(wrongCount[0]) }
                == "customOp 'bad_1' declared 2 outputs, the kernel returned 1")
        let wrongShape = g.customOp(name: "shape", inputs: [], outputs: [(.float32, [3])]) { _ in
            [NDArray([1, 2] as [Float])]
        }
        #expect(
            kernelMessage { _ = try runner.run(wrongShape[0]) }
                == "customOp 'shape' output 0: expected shape (3,), the kernel returned (2,)")
        struct Boom: Error {}
        let throwing = g.customOp(name: "boom", inputs: [], outputs: [], isStateful: false) { _ in throw Boom() }
        #expect(throwing.isEmpty)
        #expect(throws: MiniRunner.Failure.self) { try runner.run(try g.operation(named: "boom")) }
    }

    @Test func contextOverloadSeesTheStep() throws {
        let g = Graph()
        let seen = Mutex<Int64>(-1)
        let outs = g.customOp(name: "ctx", inputs: [], outputs: [(.bool, .scalar)]) { _, ctx in
            seen.withLock { $0 = ctx.stepID }
            return [NDArray(ctx.isCancelled)]
        }
        #expect(try runner.run(outs[0]) == NDArray(false))
        #expect(seen.withLock { $0 } > 0)
    }
}
