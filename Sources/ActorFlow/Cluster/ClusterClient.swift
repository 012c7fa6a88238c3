@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowTracing

/// The client's side of a cluster session (task 0): runs each step of the session's plan across the tasks.
///
/// A step goes: split the plan into routes (``ClusterRoute``), send each other task its route and the fed values
/// it consumes, run this task's part in the inner session, then end the step on this task
/// (``ClusterStepState/finish(reason:)``) and collect every other task's status. One step runs at a time. A step's
/// deadline travels with its routes: every task's part stops at it, so a timed-out step ends on every task.
final class ClusterClient: Sendable {
    let cluster: ClusterGraph
    let inner: Session
    private let steps = Locked(0)
    /// Each plan's routes (for step 0), kept with the plan they were split from.
    private let split = Locked<[ObjectIdentifier: (plan: ExecutionPlan, routes: [Int: ClusterRoute])]>([:])
    private let closed = Locked(false)
    /// Every other task's clock against this one's, estimated before the first step.
    private let clocks = Locked<[ClusterClockOffset]?>(nil)

    /// Which tasks died (a dead task fails the step that needed it, and every later one).
    let liveness: ClusterLiveness

    /// The clock estimates (empty before the first step).
    var clockOffsets: [ClusterClockOffset] { clocks.withLock { $0 } ?? [] }

    init(graph: Graph, transport: any ClusterTransport, options: SessionOptions) {
        cluster = ClusterGraph(original: graph, transport: transport)
        var local = options
        local.cluster = nil
        inner = Session(graph: cluster.graph, options: local)
        liveness = ClusterLiveness(transport: transport)
    }

    var transport: any ClusterTransport { cluster.transport }

    func runStep(
        _ plan: ExecutionPlan, fetches: [Tensor], fed: [Tensor: NDArray], options: RunOptions,
        metadata: inout RunMetadata?
    ) throws(SessionError) -> [NDArray] {
        guard transport.rank == 0 else {
            throw .cluster(reason: "task \(transport.rank) cannot run a session: task 0 is the client; call serve(graph) on the others")
        }
        cluster.sync()
        var md = metadata
        let result = try steps.withLock { (count: inout Int) throws(SessionError) -> [NDArray] in
            count += 1
            return try step(count, plan, fetches: fetches, fed: fed, options: options, metadata: &md)
        }
        metadata = md
        return result
    }

    private func step(
        _ number: Int, _ plan: ExecutionPlan, fetches: [Tensor], fed: [Tensor: NDArray], options: RunOptions,
        metadata: inout RunMetadata?
    ) throws(SessionError) -> [NDArray] {
        try estimateClocksOnce()
        var numbered = try self.routes(of: plan)
        let timeout = options.timeoutInMs > 0 ? options.timeoutInMs : inner.options.operationTimeoutInMs
        for task in numbered.keys {
            numbered[task]!.step = number
            numbered[task]!.timeoutInMs = max(0, timeout)
            numbered[task]!.traceLevel = metadata == nil ? 0 : options.traceLevel.rawValue
        }
        let routes = numbered
        let route = routes[0] ?? ClusterRoute(step: number)
        let others = routes.keys.filter { $0 != 0 }.sorted()
        for task in others {
            if let seen = liveness.death(of: task) { throw Self.died(task, seen: seen, in: routes[task]!, earlier: true) }
        }
        let transport = self.transport
        var fedByName: [String: NDArray] = [:]
        for (t, value) in fed { fedByName[t.name] = value }
        let feedsOut = fedByName
        try ClusterBridge.wait { () async throws(SessionError) in
            for task in others {
                try await ClusterBridge.send(routes[task]!.message, to: task, tag: ClusterMessages.controlTag, transport)
            }
            for edge in route.feedSends {
                guard let value = feedsOut[edge.name] else { continue }
                try await ClusterBridge.send(value, to: edge.peer, tag: route.tag(edge.index), transport)
            }
        }
        let state = ClusterStepState(route: route, transport: transport, liveness: liveness)
        let liveness = self.liveness
        let watching = Task { await liveness.watch(others) }
        defer { watching.cancel() }
        cluster.current.withLock { $0 = state }
        var feeds = FeedDict()
        for (name, value) in fedByName { feeds.set(name, value) }
        let fetch = Fetch.list(fetches.map { .name($0.name) } + route.targets.map { .name($0) })
        var outcome: Result<FetchedValue, SessionError>
        let started = ContinuousClock.now
        Tracepoints.clusterStep(clusterStep: number, task: 0, tasks: transport.size)
        do {
            if var md = metadata {
                outcome = .success(try inner.run(fetch: fetch, feeds: feeds, options: options, metadata: &md))
                metadata = md
            } else {
                outcome = .success(try inner.run(fetch: fetch, feeds: feeds, options: options))
            }
        } catch {
            outcome = .failure(error)
        }
        cluster.current.withLock { $0 = nil }
        let reason: String
        if case .failure(let error) = outcome { reason = "task 0 failed: \(error)" } else { reason = "" }
        let (transportFailure, statuses) = try ClusterBridge.wait {
            () async throws(SessionError) -> ((any Error)?, [(Int, ClusterStatus)]) in
            let failure = await state.finish(reason: reason)
            var statuses: [(Int, ClusterStatus)] = []
            for task in others where liveness.death(of: task) == nil {
                do {
                    let message = try await liveness.receive(from: task, tag: ClusterMessages.statusTag)
                    statuses.append((task, ClusterStatus(message)))
                } catch is ClusterPeerDied {
                    continue
                } catch {
                    throw .cluster(reason: "receiving from task \(task) failed: \(error)")
                }
            }
            return (failure, statuses)
        }
        // A task that died fails the step, naming it and the op this task waited for from it.
        for task in others {
            guard let seen = liveness.death(of: task) else { continue }
            var error = Self.died(task, seen: seen, in: routes[task]!, earlier: false)
            if case .failure(.opFailed(let op, let underlying as ClusterPeerDied)) = outcome, underlying.task == task {
                error = .opFailed(op: op, underlying: RemoteTaskError(task: task, message: underlying.description))
            }
            throw error
        }
        // Every task runs the step under the same timeout: once it has passed, a failed step reports the deadline
        // (TensorFlow's DEADLINE_EXCEEDED) whichever task's timer fired first, not the op another task's timer
        // stopped there.
        if timeout > 0, case .failure = outcome, started.duration(to: .now) >= .milliseconds(timeout) {
            throw .deadlineExceeded(timeoutInMs: timeout)
        }
        // The first failure is the one to report: an op that failed on another task (this task's step then
        // failed on its abort notice), this task's own failure, then anything that broke the exchange.
        for (task, status) in statuses {
            if case .opFailed(let op, let message) = status {
                throw .opFailed(op: op, underlying: RemoteTaskError(task: task, message: message))
            }
        }
        let values = try outcome.get()
        for (task, status) in statuses {
            if case .error(let message) = status { throw .cluster(reason: "task \(task): \(message)") }
        }
        if var md = metadata, route.traceLevel != 0 {
            md.stepStats = ClusterStats.merged(local: md.stepStats, remote: statuses, clocks: clockOffsets)
            metadata = md
        }
        if let transportFailure { throw .cluster(reason: "\(transportFailure)") }
        guard case .list(let list) = values else { return [] }
        return list.prefix(fetches.count).compactMap { if case .tensor(let v) = $0 { v } else { nil } }
    }

    /// The error of a step that needed `task` after it died: naming the first op placed on it in the step.
    private static func died(_ task: Int, seen: String, in route: ClusterRoute, earlier: Bool) -> SessionError {
        let message =
            earlier
            ? "task \(task) died in an earlier step (\(seen)); this session runs no more steps on it"
            : ClusterPeerDied(task: task, seen: seen).description
        return .opFailed(op: route.targets.first ?? "_Recv", underlying: RemoteTaskError(task: task, message: message))
    }

    /// Estimates every other task's clock offset (``ClusterClock``), the first time a step runs.
    private func estimateClocksOnce() throws(SessionError) {
        guard clocks.withLock({ $0 == nil }) else { return }
        let transport = self.transport
        let estimates = try ClusterBridge.wait { () async throws(SessionError) -> [ClusterClockOffset] in
            var estimates: [ClusterClockOffset] = []
            for task in 1..<max(1, transport.size) {
                try await ClusterBridge.send(ClusterClock.request, to: task, tag: ClusterMessages.controlTag, transport)
                estimates.append(try await ClusterClock.estimate(task: task, transport))
            }
            return estimates
        }
        clocks.withLock { $0 = estimates }
    }

    private func routes(of plan: ExecutionPlan) throws(SessionError) -> [Int: ClusterRoute] {
        if let known = split.withLock({ $0[ObjectIdentifier(plan)] }) { return known.routes }
        let routes = try ClusterRoute.split(plan, step: 0, clusterSize: transport.size)
        split.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[ObjectIdentifier(plan)] = (plan, routes)
        }
        return routes
    }

    /// Tells the other tasks to stop serving (once).
    func close() {
        guard transport.rank == 0, !closed.withLock({ let was = $0; $0 = true; return was }) else { return }
        inner.close()
        let transport = self.transport
        try? ClusterBridge.wait { () async throws(SessionError) in
            for task in 1..<max(1, transport.size) where self.liveness.death(of: task) == nil {
                try await ClusterBridge.send(
                    NDArray([ClusterMessages.closeMarker]), to: task, tag: ClusterMessages.controlTag, transport)
            }
        }
    }
}
