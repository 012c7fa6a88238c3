@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor

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

    init(graph: Graph, transport: any ClusterTransport, options: SessionOptions) {
        cluster = ClusterGraph(original: graph, transport: transport)
        var local = options
        local.cluster = nil
        inner = Session(graph: cluster.graph, options: local)
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
        let state = ClusterStepState(route: route, transport: transport)
        cluster.current.withLock { $0 = state }
        var feeds = FeedDict()
        for (name, value) in fedByName { feeds.set(name, value) }
        let fetch = Fetch.list(fetches.map { .name($0.name) } + route.targets.map { .name($0) })
        var outcome: Result<FetchedValue, SessionError>
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
            for task in others {
                let message = try await ClusterBridge.receive(from: task, tag: ClusterMessages.statusTag, transport)
                statuses.append((task, ClusterStatus(message)))
            }
            return (failure, statuses)
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
            md.stepStats = ClusterStats.merged(local: md.stepStats, remote: statuses)
            metadata = md
        }
        if let transportFailure { throw .cluster(reason: "\(transportFailure)") }
        guard case .list(let list) = values else { return [] }
        return list.prefix(fetches.count).compactMap { if case .tensor(let v) = $0 { v } else { nil } }
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
            for task in 1..<max(1, transport.size) {
                try await ClusterBridge.send(
                    NDArray([ClusterMessages.closeMarker]), to: task, tag: ClusterMessages.controlTag, transport)
            }
        }
    }
}

/// What the client receives from a task when its part of a step ended.
enum ClusterStatus: Sendable {
    /// Its part ran; on a traced step, its step stats (serialized `StepStats`).
    case ok(stats: [UInt8]?)
    /// One of its ops failed: the op and the error's text.
    case opFailed(String, String)
    /// Its step stopped on another task's abort notice (that task's failure is the one reported).
    case aborted
    /// Anything else that went wrong there.
    case error(String)

    init(_ message: NDArray) {
        guard message.dtype == .string, case .string(let s) = message.storage, let kind = s.first else {
            self = .error("a status message that is not ActorFlow's: \(message.debugDescription.prefix(120))")
            return
        }
        switch (kind, s.count) {
        case ("ok", 1): self = .ok(stats: nil)
        case ("ok", 2): self = .ok(stats: ClusterStats.bytes(fromText: s[1]))
        case ("failed", 3): self = .opFailed(s[1], s[2])
        case ("aborted", 1): self = .aborted
        case ("error", 2): self = .error(s[1])
        default: self = .error("an unknown status \(s)")
        }
    }

    var message: NDArray {
        switch self {
        case .ok(let stats?): NDArray(["ok", ClusterStats.text(fromBytes: stats)])
        case .ok(nil): NDArray(["ok"])
        case .opFailed(let op, let text): NDArray(["failed", op, text])
        case .aborted: NDArray(["aborted"])
        case .error(let text): NDArray(["error", text])
        }
    }

    /// How a task's part of a step ended.
    init(_ outcome: Result<FetchedValue, SessionError>) {
        switch outcome {
        case .success: self = .ok(stats: nil)
        case .failure(.opFailed(_, let underlying)) where underlying is ClusterAbort: self = .aborted
        case .failure(.opFailed(let op, let underlying)): self = .opFailed(op, "\(underlying)")
        case .failure(let error): self = .error("\(error)")
        }
    }
}

/// An op failed on another task of the cluster: what its kernel threw there, as text, and the task.
///
///     // SessionError.opFailed(op: "y", underlying: RemoteTaskError(task: 1, message: "negative input"))
///     print(error)   // Op 'y' failed: on /job:worker/replica:0/task:1: negative input …
public struct RemoteTaskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The task the op ran on.
    public let task: Int
    /// The error's description there.
    public let message: String

    public var description: String { "on /job:worker/replica:0/task:\(task): \(message)" }
}

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
        while true {
            let message = try ClusterBridge.wait { () async throws(SessionError) in
                try await ClusterBridge.receive(from: 0, tag: ClusterMessages.controlTag, self)
            }
            if case .string(let s) = message.storage, s == [ClusterMessages.closeMarker] { return }
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
            let state = ClusterStepState(route: route, transport: self)
            cluster.current.withLock { $0 = state }
            let outcome: Result<FetchedValue, SessionError>
            var md = RunMetadata()
            let traceLevel = RunOptions.TraceLevel(rawValue: route.traceLevel) ?? .noTrace
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
