import ActorFlow
import ActorFlowTestSupport
import Foundation
import Testing

/// Reference §1.4: RunOptions and RunMetadata. Trace contents are covered by the tracing tests.
@Suite("RunOptions and RunMetadata (reference 1.4)")
struct RunOptionsTests {
    @Test("1.4.44–46 metadata is overwritten by a successful run and untouched by a failed one")
    func metadataLifecycle() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let session = Session(graph: g)
        var md = RunMetadata()
        md.partitionGraphs = [GraphDef()]
        _ = try session.run(x, feeds: [x: Float(1)], metadata: &md)
        #expect(md.partitionGraphs.isEmpty)
        md.partitionGraphs = [GraphDef()]
        expectSessionError({ _ = try session.run(x, metadata: &md) }) { if case .missingFeed = $0 { true } else { false } }
        #expect(md.partitionGraphs.count == 1)
    }

    @Test("1.4.48 a step past its deadline is cancelled, drained, reported; the session stays usable", arguments: allPolicies)
    func deadline(policy: SchedulingPolicy) async throws {
        let g = Graph()
        let slow = g.customOp(name: "slow", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in
            Thread.sleep(forTimeInterval: 0.3)
            return [NDArray(Float(1))]
        }[0]
        let after = g.add(slow, g.constant(Float(1)), name: "after")
        let quick = g.constant(Float(5))
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        let outcome = try await onPlainThread { () -> (SessionError?, NDArray, NDArray) in
            var failure: SessionError?
            do { _ = try session.run(after, options: RunOptions(timeoutInMs: 50)) } catch let error as SessionError { failure = error }
            // The first run returned at its deadline while `slow` still held a thread (under `.swiftDefault` one of the
            // cooperative pool's); the generous timeout leaves room for a sanitizer build on a loaded machine.
            return (failure, try session.run(quick), try session.run(after, options: RunOptions(timeoutInMs: 120_000)))
        }
        guard case .deadlineExceeded(50)? = outcome.0 else {
            Issue.record("expected deadlineExceeded(50), got \(String(describing: outcome.0))")
            return
        }
        #expect(outcome.0?.description.contains("Timed out waiting for notification") == true)
        #expect(outcome.1 == NDArray(Float(5)))
        #expect(outcome.2 == NDArray(Float(2)))
    }

    @Test("1.4.48 the session's operation timeout applies when a run sets none")
    func sessionTimeout() {
        let g = Graph()
        let slow = g.customOp(name: "slow", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in
            Thread.sleep(forTimeInterval: 0.2)
            return [NDArray(Float(1))]
        }[0]
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread, operationTimeoutInMs: 20))
        expectSessionError({ _ = try session.run(slow) }) { if case .deadlineExceeded(20) = $0 { true } else { false } }
    }

    @Test("1.4.49 interOpThreadPool: -1 is the caller's thread, an unknown index is rejected")
    func interOpThreadPool() throws {
        let g = Graph()
        let a = g.constant(Float(3))
        let session = Session(graph: g, options: SessionOptions(interOpPolicies: [.default, .globalQueue]))
        #expect(try session.run(a, options: RunOptions(interOpThreadPool: -1)) == NDArray(Float(3)))
        #expect(try session.run(a, options: RunOptions(interOpThreadPool: 1)) == NDArray(Float(3)))
        let error = expectSessionError({ _ = try session.run(a, options: RunOptions(interOpThreadPool: 5)) }) {
            if case .invalidRunOptions = $0 { true } else { false }
        }
        #expect(error?.description.contains("Invalid inter_op_thread_pool: 5") == true)
        expectSessionError({ _ = try session.run(a, options: RunOptions(interOpThreadPool: -2)) }) {
            if case .invalidRunOptions = $0 { true } else { false }
        }
    }

    @Test("1.4.52 closing a session cancels its steps in flight")
    func closeCancels() async throws {
        let g = Graph()
        let started = AsyncStreamBox()
        let closed = DispatchSemaphore(value: 0)
        let slow = g.customOp(name: "slow", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in
            started.signal()
            // Hold the step in flight until the test has closed the session (a generous bound: under a loaded test
            // run the test task may wait long for a cooperative thread before it can close).
            _ = closed.wait(timeout: .now() + 300)
            return [NDArray(Float(1))]
        }[0]
        let after = g.identity(slow)
        let session = Session(graph: g)
        async let outcome: Result<NDArray, SessionError> = onPlainThread { () -> Result<NDArray, SessionError> in
            do { return .success(try session.run(after)) } catch let error as SessionError { return .failure(error) }
        }
        await started.wait()
        session.close()
        closed.signal()
        let result = try await outcome
        guard case .failure(let error) = result, case .cancelled = error else {
            Issue.record("expected .cancelled, got \(result)")
            return
        }
        #expect(error.description == "Run call was cancelled")
    }
}

/// A one-shot signal from a kernel thread to an async test.
final class AsyncStreamBox: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    func signal() { continuation.yield() }

    func wait() async {
        var it = stream.makeAsyncIterator()
        _ = await it.next()
    }
}
