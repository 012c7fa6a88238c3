import ActorFlowCore
import ActorFlowTestSupport
import Testing

@Suite("SessionState")
struct SessionStateTests {
    let state = SessionState()
    static let device = "/job:localhost/replica:0/task:0/device:CPU:0"

    @Test func variables() throws {
        #expect(state.variableValue(0) == nil)
        state.setVariable(0, to: NDArray(Float(1)))
        state.setVariable(3, to: NDArray([1, 2] as [Int32]))
        #expect(state.variableValue(0) == NDArray(Float(1)))
        #expect(state.variableValue(3) == NDArray([1, 2] as [Int32]))
        state.setVariable(0, to: NDArray(Float(2)))
        #expect(state.variableValue(0) == NDArray(Float(2)))

        var seen: NDArray?
        let new = try state.updateVariable(0) { old throws(SessionError) in
            seen = old
            return NDArray(try (old?.scalar(as: Float.self) ?? 0) + 10)
        }
        #expect(seen == NDArray(Float(2)))
        #expect(new == NDArray(Float(12)) && state.variableValue(0) == new)
        #expect(try state.updateVariable(9) { old in old ?? NDArray(Int64(5)) } == NDArray(Int64(5)))
    }

    @Test func failedUpdateLeavesTheValue() {
        state.setVariable(1, to: NDArray(Float(1)))
        let reason = invalidValueReason {
            try state.updateVariable(1) { old throws(SessionError) in try old!.reshaped(to: [2]) }
        }
        #expect(reason == "1 elements cannot have shape (2,) (2 elements)")
        #expect(state.variableValue(1) == NDArray(Float(1)))
    }

    @Test func updateVariableIsAtomic() async throws {
        let state = self.state
        state.setVariable(0, to: NDArray(Int64(0)))
        let failures = await blockingTogether(8) { _ in
            var failures = 0
            for _ in 0..<1000 {
                do {
                    _ = try state.updateVariable(0) { old throws(SessionError) in
                        NDArray(try old!.scalar(as: Int64.self) + 1)
                    }
                } catch {
                    failures += 1
                }
            }
            return failures
        }
        #expect(failures == Array(repeating: 0, count: 8))
        #expect(try state.variableValue(0)?.scalar(as: Int64.self) == 8000)
    }

    @Test func handles() throws {
        let a = state.storeHandle(NDArray(Float(1)), producer: "a")
        let b = state.storeHandle(NDArray([2, 3] as [Int32]), producer: "scope/b")
        #expect(a == "a;0;\(Self.device)")
        #expect(b == "scope/b;1;\(Self.device)")
        #expect(state.storedHandleCount == 2)
        #expect(try state.handleValue(a) == NDArray(Float(1)))
        #expect(try state.handleValue(b) == NDArray([2, 3] as [Int32]))
        state.deleteHandle(a)
        state.deleteHandle(a)
        state.deleteHandle("never stored")
        #expect(state.storedHandleCount == 1)
        expectInvalidHandle(a) { try state.handleValue(a) }
    }

    @Test func resetDropsEverythingButKeepsHandleNumbersUnique() throws {
        state.setVariable(0, to: NDArray(Float(1)))
        let old = state.storeHandle(NDArray(Float(1)), producer: "x")
        state.reset()
        #expect(state.variableValue(0) == nil)
        #expect(state.storedHandleCount == 0)
        expectInvalidHandle(old) { try state.handleValue(old) }
        // A stale handle string never names a new tensor.
        #expect(state.storeHandle(NDArray(Float(2)), producer: "x") == "x;1;\(Self.device)")
    }
}

@Suite("TensorHandle")
struct TensorHandleTests {
    let state = SessionState()

    private func makeHandle(_ value: NDArray, producer: String = "h", in state: SessionState) -> TensorHandle {
        let string = state.storeHandle(value, producer: producer)
        return TensorHandle(handle: string, dtype: value.dtype, dimensions: value.dimensions, state: state)
    }

    @Test func valueAndDescription() throws {
        let h = makeHandle(NDArray([1, 2] as [Float]), in: state)
        #expect(try h.value() == NDArray([1, 2] as [Float]))
        #expect(h.dtype == .float32 && h.dimensions == [2])
        #expect(h.description == "TensorHandle(h;0;/job:localhost/replica:0/task:0/device:CPU:0, float, (2,))")
        if case .handle(let fed) = h.feedValue {
            #expect(fed === h)
        } else {
            Issue.record("a TensorHandle feeds as .handle")
        }
    }

    @Test func deleteForgetsTheTensor() {
        let h = makeHandle(NDArray(Float(1)), in: state)
        h.delete()
        #expect(state.storedHandleCount == 0)
        expectInvalidHandle(h.handle) { try h.value() }
        h.delete()
    }

    @Test func releasingTheLastReferenceDeletesTheTensor() throws {
        let keep = makeHandle(NDArray(Float(1)), producer: "keep", in: state)
        weak var weakDropped: TensorHandle?
        do {
            let dropped = makeHandle(NDArray(Float(2)), producer: "drop", in: state)
            weakDropped = dropped
            #expect(state.storedHandleCount == 2)
        }
        #expect(weakDropped == nil)
        #expect(state.storedHandleCount == 1)
        #expect(try keep.value() == NDArray(Float(1)))
    }

    @Test func handleOfAResetStateIsInvalid() {
        let h = makeHandle(NDArray(Float(1)), in: state)
        state.reset()
        expectInvalidHandle(h.handle) { try h.value() }
    }

    @Test func handleOutlivingItsStateIsInvalid() {
        var state: SessionState? = SessionState()
        let h = makeHandle(NDArray(Float(1)), in: state!)
        weak let weakState = state
        state = nil
        #expect(weakState == nil)
        expectInvalidHandle(h.handle) { try h.value() }
        h.delete()  // harmless
    }

    @Test func belongsAndEquality() {
        let other = SessionState()
        let h = makeHandle(NDArray(Float(1)), in: state)
        #expect(h.belongs(to: state) && !h.belongs(to: other))
        let twin = TensorHandle(handle: h.handle, dtype: .float32, dimensions: [], state: other)
        #expect(h == twin)
        #expect(h != makeHandle(NDArray(Float(1)), in: state))
    }
}

/// Expects `body` to throw ``SessionError/invalidHandle(handle:)`` naming `handle`.
private func expectInvalidHandle<R>(
    _ handle: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) {
    switch sessionError(sourceLocation: sourceLocation, body) {
    case .invalidHandle(let named)?: #expect(named == handle, sourceLocation: sourceLocation)
    case let other?: Issue.record("expected invalidHandle, got \(other)", sourceLocation: sourceLocation)
    case nil: break
    }
}
