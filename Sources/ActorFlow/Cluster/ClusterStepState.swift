@_spi(ActorFlowInternal) import ActorFlowCore

/// The state of one cluster step on one task: its route, and which of its edges have been sent and received, so
/// that when the step ends every edge has carried exactly one message (a value or, after a failure, an abort
/// notice) and no message is left for a later step.
final class ClusterStepState: Sendable {
    let route: ClusterRoute
    let transport: any ClusterTransport
    /// Which tasks died: receives from them fail, and the step's end skips them.
    let liveness: ClusterLiveness
    private let sendsByName: [String: [ClusterRoute.Edge]]
    private let receivesByName: [String: [ClusterRoute.Edge]]

    private struct Progress {
        var sent: Set<Int> = []
        var received: Set<Int> = []
        var inFlight: [Task<Void, any Error>] = []
    }

    private let progress = Locked(Progress())

    init(route: ClusterRoute, transport: any ClusterTransport, liveness: ClusterLiveness) {
        self.route = route
        self.transport = transport
        self.liveness = liveness
        sendsByName = Dictionary(grouping: route.sends, by: \.name)
        receivesByName = Dictionary(grouping: route.receives, by: \.name)
    }

    /// Starts sending the outputs of op `name` to the tasks that consume them in this step.
    func emit(_ name: String, outputs: [NDArray]) {
        guard let edges = sendsByName[name] else { return }
        for edge in edges {
            let value = edge.output >= 0 ? outputs[edge.output] : ClusterMessages.token
            let (transport, tag, peer) = (transport, route.tag(edge.index), edge.peer)
            let sending = Task { try await transport.send(value, to: peer, tag: tag) }
            progress.withLock {
                $0.sent.insert(edge.index)
                $0.inFlight.append(sending)
            }
        }
    }

    /// The outputs of op `name` (placed on another task) that this task consumes in this step, received; the
    /// others empty. Throws when the producing task reports a failure instead.
    func receive(_ name: String, dtypes: [DType]) async throws -> [NDArray] {
        var values = dtypes.map(ClusterMessages.empty)
        for edge in receivesByName[name] ?? [] {
            progress.withLock { _ = $0.received.insert(edge.index) }
            let value = try await liveness.receive(from: edge.peer, tag: route.tag(edge.index))
            if let abort = ClusterMessages.abortReason(value) { throw ClusterAbort(reason: abort) }
            if edge.output >= 0 { values[edge.output] = value }
        }
        return values
    }

    /// Ends the step on this task: waits for the sends in flight, sends an abort notice on every edge this task
    /// did not send (its producer failed or never ran), and receives and drops every message this task did not
    /// receive. Returns the first transport error, if any.
    func finish(reason: String) async -> (any Error)? {
        let (sent, received, inFlight) = progress.withLock { ($0.sent, $0.received, $0.inFlight) }
        var failure: (any Error)?
        for sending in inFlight {
            if case .failure(let error) = await sending.result, failure == nil { failure = error }
        }
        // (A dead task gets no notice and leaves nothing to drain.)
        for edge in route.sends where !sent.contains(edge.index) && liveness.death(of: edge.peer) == nil {
            do {
                try await transport.send(ClusterMessages.abort(reason), to: edge.peer, tag: route.tag(edge.index))
            } catch {
                if failure == nil { failure = error }
            }
        }
        for edge in route.receives where !received.contains(edge.index) && liveness.death(of: edge.peer) == nil {
            do {
                _ = try await liveness.receive(from: edge.peer, tag: route.tag(edge.index))
            } catch {
                if failure == nil { failure = error }
            }
        }
        return failure
    }
}
