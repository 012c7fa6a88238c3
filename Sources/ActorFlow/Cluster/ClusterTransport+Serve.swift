@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowTracing

extension ClusterTransport {
    /// Serves the client's steps on this task until the client's session closes: for each step, runs the ops of
    /// `graph` placed on this task, exchanging tensors with the other tasks. Every task builds the same graph;
    /// task 0 creates the `Session` (with ``SessionOptions/cluster``), the others call this.
    ///
    ///     if cluster.rank == 0 {
    ///         let session = Session(graph: g, options: SessionOptions(cluster: cluster))
    ///         print(try session.run(z))
    ///         session.close()                   // releases the serving tasks
    ///     } else {
    ///         try cluster.serve(g)
    ///     }
    ///
    /// - Parameter options: The options of this task's inner session (policy, executor, intra-op parallelism).
    /// - Throws: ``SessionError/cluster(reason:)`` when called on task 0, or when the exchange with the client
    ///   breaks; an op failing here is not an error of `serve` (the client's run reports it).
    public func serve(_ graph: Graph, options: SessionOptions = SessionOptions()) throws(SessionError) {
        guard rank != 0 else { throw .cluster(reason: "task 0 is the client: it runs a Session, it does not serve") }
        let cluster = ClusterGraph(original: graph, transport: self)
        var local = options
        local.cluster = nil
        let inner = Session(graph: cluster.graph, options: local)
        defer { inner.close() }
        // Answering the client's pings and hearing of dead tasks go on beside the steps, busy or not. Both stay
        // blocked in a receive after `serve` returns, until the transport is finalized.
        let liveness = ClusterLiveness(transport: self)
        let answering = Task { await ClusterLiveness.answerHeartbeats(self) }
        let listening = Task { await liveness.listenForDeaths() }
        defer {
            answering.cancel()
            listening.cancel()
        }
        while true {
            let message = try ClusterBridge.wait { () async throws(SessionError) in
                try await ClusterBridge.receive(from: 0, tag: ClusterMessages.controlTag, self)
            }
            if case .string(let s) = message.storage, s == [ClusterMessages.closeMarker] { return }
            if let rounds = ClusterClock.requestedRounds(message) {
                try ClusterBridge.wait { () async throws(SessionError) in try await ClusterClock.answer(rounds: rounds, self) }
                continue
            }
            let route = try ClusterRoute(message: message)
            cluster.sync()
            let values = try ClusterBridge.wait { () async throws(SessionError) -> [(String, NDArray)] in
                var values: [(String, NDArray)] = []
                for edge in route.feeds {
                    values.append((edge.name, try await ClusterBridge.receive(from: 0, tag: route.tag(edge.index), self)))
                }
                return values
            }
            var feeds = FeedDict()
            for (name, value) in values { feeds.set(name, value) }
            let state = ClusterStepState(route: route, transport: self, liveness: liveness)
            cluster.current.withLock { $0 = state }
            let outcome: Result<FetchedValue, SessionError>
            var md = RunMetadata()
            let traceLevel = RunOptions.TraceLevel(rawValue: route.traceLevel) ?? .noTrace
            Tracepoints.clusterStep(clusterStep: route.step, task: rank, tasks: size)
            do {
                outcome = .success(
                    try inner.run(
                        fetch: .list(route.targets.map { .name($0) }), feeds: feeds,
                        options: RunOptions(traceLevel: traceLevel, timeoutInMs: route.timeoutInMs), metadata: &md))
            } catch {
                outcome = .failure(error)
            }
            cluster.current.withLock { $0 = nil }
            var ended = ClusterStatus(outcome)
            if case .ok = ended, traceLevel != .noTrace, let stats = try? md.stepStats.serializedBytes() as [UInt8] {
                ended = .ok(stats: stats)
            }
            let status = ended
            let reason: String =
                switch status {
                case .opFailed(let op, let text): "op '\(op)' failed on task \(rank): \(text)"
                case .error(let text): "task \(rank) failed: \(text)"
                case .ok, .aborted: "task \(rank) stopped"
                }
            try ClusterBridge.wait { () async throws(SessionError) in
                if let failure = await state.finish(reason: reason) {
                    try await ClusterBridge.send(ClusterStatus.error("\(failure)").message, to: 0, tag: ClusterMessages.statusTag, self)
                } else {
                    try await ClusterBridge.send(status.message, to: 0, tag: ClusterMessages.statusTag, self)
                }
            }
        }
    }
}
