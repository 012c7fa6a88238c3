@_spi(ActorFlowInternal) import ActorFlowCore

/// One cluster step as one task sees it: the ops it runs, and every tensor that crosses to or from it.
///
/// The client (task 0) splits the step's plan: every op runs on the task its placement names (the client's when
/// it has none), every tensor consumed on another task than its producer's is one numbered edge (output `-1` is
/// a control edge's empty token), and every fed tensor consumed away from the client is an edge from the client.
/// Each task gets its route as one string tensor, so the other tasks never prune or split anything themselves.
struct ClusterRoute: Sendable, Equatable {
    /// Where one tensor goes or comes from.
    struct Edge: Sendable, Equatable {
        /// The producing op's name, or the fed tensor's name for a feed.
        let name: String
        /// The output; `-1` for a control edge's token.
        let output: Int
        /// The task at the other end.
        let peer: Int
        /// The edge's number in the step (its message tag).
        let index: Int
    }

    var step: Int
    /// The step's deadline in milliseconds (0: none), so that every task stops its part when the client does.
    var timeoutInMs: Int64 = 0
    /// The step's trace level (`RunOptions.TraceLevel`'s raw value): a traced step's tasks return their stats.
    var traceLevel = 0
    /// The ops of the step placed on this task.
    var targets: [String] = []
    var sends: [Edge] = []
    var receives: [Edge] = []
    /// Fed tensors this task receives from the client before it runs (`name` is the tensor's).
    var feeds: [Edge] = []
    /// Fed tensors the client sends (the client's route only).
    var feedSends: [Edge] = []

    init(step: Int) {
        self.step = step
    }

    /// The routes of every task that takes part in a step of `plan`, by task.
    ///
    /// - Throws: ``SessionError/invalidGraph(op:reason:)`` naming an op placed on a task the cluster does not have
    ///   or on another job than the cluster's; ``SessionError/cluster(reason:)`` for a step with more crossing
    ///   tensors than tags can number.
    static func split(_ plan: ExecutionPlan, step: Int, clusterSize: Int) throws(SessionError) -> [Int: ClusterRoute] {
        func task(_ op: Operation) throws(SessionError) -> Int {
            let spec = op.deviceSpec
            if let job = spec.job, job != "worker", job != "localhost" {
                throw .invalidGraph(op: op.name, reason: "placed on job '\(job)'; a cluster's tasks are /job:worker/task:N")
            }
            let task = spec.task ?? 0
            guard task < clusterSize else {
                throw .invalidGraph(
                    op: op.name, reason: "placed on task \(task), but the cluster has \(clusterSize) tasks (0..<\(clusterSize))")
            }
            return task
        }
        var routes: [Int: ClusterRoute] = [0: ClusterRoute(step: step)]
        var edges: [String: Int] = [:]
        let fed = Set(plan.feedTensors)
        func edge(_ name: String, _ output: Int, from: Int, to: Int, feed: Bool) {
            let key = "\(feed ? "f" : "o")\u{0}\(name)\u{0}\(output)\u{0}\(to)"
            guard edges[key] == nil else { return }
            let index = edges.count
            edges[key] = index
            if feed {
                routes[0, default: ClusterRoute(step: step)].feedSends.append(Edge(name: name, output: output, peer: to, index: index))
                routes[to, default: ClusterRoute(step: step)].feeds.append(Edge(name: name, output: output, peer: 0, index: index))
            } else {
                routes[from, default: ClusterRoute(step: step)].sends.append(Edge(name: name, output: output, peer: to, index: index))
                routes[to, default: ClusterRoute(step: step)].receives.append(Edge(name: name, output: output, peer: from, index: index))
            }
        }
        for node in plan.nodes {
            let op = node.op
            let here = try task(op)
            routes[here, default: ClusterRoute(step: step)].targets.append(op.name)
            for t in op.inputs {
                if fed.contains(t) {
                    if here != 0 { edge(t.name, t.index, from: 0, to: here, feed: true) }
                } else {
                    let there = try task(t.op)
                    if there != here { edge(t.op.name, t.index, from: there, to: here, feed: false) }
                }
            }
            for control in op.controlInputs {
                let there = try task(control)
                if there != here { edge(control.name, -1, from: there, to: here, feed: false) }
            }
        }
        for t in plan.fetchTensors where !fed.contains(t) {
            let there = try task(t.op)
            if there != 0 { edge(t.op.name, t.index, from: there, to: 0, feed: false) }
        }
        guard edges.count <= ClusterRoute.maximumEdges else {
            throw .cluster(reason: "a cluster step may move at most \(ClusterRoute.maximumEdges) tensors between tasks, not \(edges.count)")
        }
        return routes
    }

    // MARK: Tags

    /// Tags below this are the control channel (step, status, close).
    static let firstDataTag = 16
    static let maximumEdges = 1 << 20
    /// How many steps' tags cycle before they repeat.
    static let stepTagCycle = 1 << 10

    /// The tag of edge `index` in this step.
    func tag(_ index: Int) -> Int {
        ClusterRoute.firstDataTag + (step % ClusterRoute.stepTagCycle) * ClusterRoute.maximumEdges + index
    }

    // MARK: As a message

    /// The route as a string tensor: one row per field, `[kind, name, output, peer, index]`.
    var message: NDArray {
        var rows: [[String]] = [["step", "", "\(step)", "\(timeoutInMs)", "\(traceLevel)"]]
        rows += targets.map { ["run", $0, "", "", ""] }
        for (kind, list) in [("send", sends), ("recv", receives), ("feed", feeds)] {
            rows += list.map { [kind, $0.name, "\($0.output)", "\($0.peer)", "\($0.index)"] }
        }
        // (Only the client sends feeds; its own route never travels.)
        // Rows of five strings: a [rows, 5] tensor.
        return (try? NDArray(shape: [rows.count, 5], scalars: rows.flatMap { $0 })) ?? NDArray([String]())
    }

    /// The route in `message`.
    ///
    /// - Throws: ``SessionError/cluster(reason:)`` when it is not a route (another program on the channel).
    init(message: NDArray) throws(SessionError) {
        guard message.dtype == .string, message.rank == 2, message.dimensions[1] == 5,
            case .string(let cells) = message.storage, cells.first == "step", let step = Int(cells[2]),
            let timeout = Int64(cells[3]), let traceLevel = Int(cells[4])
        else { throw .cluster(reason: "a cluster step message that is not a route: \(message.debugDescription.prefix(120))") }
        self.init(step: step)
        timeoutInMs = timeout
        self.traceLevel = traceLevel
        for row in stride(from: 5, to: cells.count, by: 5) {
            let kind = cells[row], name = cells[row + 1]
            if kind == "run" {
                targets.append(name)
                continue
            }
            guard let output = Int(cells[row + 2]), let peer = Int(cells[row + 3]), let index = Int(cells[row + 4]) else {
                throw .cluster(reason: "a malformed route row: \(cells[row..<(row + 5)])")
            }
            let edge = Edge(name: name, output: output, peer: peer, index: index)
            switch kind {
            case "send": sends.append(edge)
            case "recv": receives.append(edge)
            case "feed": feeds.append(edge)
            default: throw .cluster(reason: "a route row of unknown kind '\(kind)'")
            }
        }
    }
}
