@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor

/// Calls into the transport from the session's synchronous API.
enum ClusterBridge {
    /// Runs `body` in a task and blocks this thread until it returns.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws(SessionError) -> T) throws(SessionError) -> T {
        let latch = CompletionLatch(count: 1)
        let result = Locked<Result<T, SessionError>?>(nil)
        Task.detached {
            let outcome: Result<T, SessionError>
            do throws(SessionError) { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            _ = latch.countDown()
        }
        latch.wait()
        return try result.withLock { $0 }!.get()
    }

    static func send(_ value: NDArray, to task: Int, tag: Int, _ transport: any ClusterTransport) async throws(SessionError) {
        do {
            try await transport.send(value, to: task, tag: tag)
        } catch {
            throw .cluster(reason: "sending to task \(task) failed: \(error)")
        }
    }

    static func receive(from task: Int, tag: Int, _ transport: any ClusterTransport) async throws(SessionError) -> NDArray {
        do {
            return try await transport.receive(from: task, tag: tag)
        } catch {
            throw .cluster(reason: "receiving from task \(task) failed: \(error)")
        }
    }
}
