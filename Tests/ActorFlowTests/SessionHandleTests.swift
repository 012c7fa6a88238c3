import ActorFlow
import ActorFlowTestSupport
import Testing

/// Reference §1.6: session handles.
@Suite("Session handles (reference 1.6)")
struct SessionHandleTests {
    let g = Graph()

    @Test("1.6.56 fetching a getSessionHandle output returns a TensorHandle whose tensor stays in the session")
    func fetchHandle() throws {
        let z = g.constant(Float(10))
        let h = g.getSessionHandle(z)
        let session = Session(graph: g)
        let handle = try session.run(h)
        #expect(handle.handle.hasSuffix(";/job:localhost/replica:0/task:0/device:CPU:0"))
        #expect(handle.handle.hasPrefix("GetSessionHandle;"))
        #expect(try handle.value() == NDArray(Float(10)))
        #expect(handle.dtype == .float32)
    }

    @Test("1.6.57 feeding the handle string to getSessionTensor's placeholder yields the stored tensor")
    func handleString() throws {
        let h = g.getSessionHandle(g.constant([1, 2] as [Float]))
        let (placeholder, stored) = g.getSessionTensor(dtype: .float32)
        let doubled = g.mul(stored, g.constant(Float(2)))
        let session = Session(graph: g)
        let handle = try session.run(h)
        #expect(try session.run(doubled, feeds: [placeholder: handle.handle]) == NDArray([2, 4] as [Float]))
    }

    @Test("1.6.58 feeding a TensorHandle substitutes the stored tensor; a dtype mismatch is an error")
    func feedHandle() throws {
        let h = g.getSessionHandle(g.constant(Float(10)))
        let q = g.placeholder(.float32, name: "q")
        let tripled = g.mul(q, g.constant(Float(3)))
        let (placeholder, _) = g.getSessionTensor(dtype: .float32)
        let session = Session(graph: g)
        let handle = try session.run(h)
        #expect(try session.run(tripled, feeds: [q: handle]) == NDArray(Float(30)))
        #expect(try session.run(q, feeds: [q: handle]) == NDArray(Float(10)))
        expectSessionError({ _ = try session.run(placeholder, feeds: [placeholder: handle]) }) {
            if case .dtypeMismatch(_, .string, .float32) = $0 { true } else { false }
        }
    }

    @Test("1.6.59 handles are freed when deleted or released; a deleted handle is reported")
    func deletion() throws {
        let h = g.getSessionHandle(g.constant(Float(1)))
        let session = Session(graph: g)
        var handle: TensorHandle? = try session.run(h)
        #expect(session.state.storedHandleCount == 1)
        handle = nil
        #expect(session.state.storedHandleCount == 0)
        let second = try session.run(h)
        second.delete()
        expectSessionError({ _ = try second.value() }) { if case .invalidHandle = $0 { true } else { false } }
        let q = g.placeholder(.float32)
        expectSessionError({ _ = try session.run(q, feeds: [q: second]) }) {
            if case .invalidHandle = $0 { true } else { false }
        }
        _ = handle
    }

    @Test("a handle from another session is rejected")
    func foreignHandle() throws {
        let h = g.getSessionHandle(g.constant(Float(1)))
        let q = g.placeholder(.float32)
        let one = Session(graph: g)
        let two = Session(graph: g)
        let handle = try one.run(h)
        expectSessionError({ _ = try two.run(q, feeds: [q: handle]) }) {
            if case .invalidHandle = $0 { true } else { false }
        }
    }
}
