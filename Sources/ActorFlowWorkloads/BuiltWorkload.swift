import ActorFlow

/// A built workload: its graph, what to run, and what to feed.
///
///     let built = Workload.mlp.build(size: 8)
///     let session = Session(graph: built.graph)
///     let outputs = try built.run(in: session)     // the softmax of the last layer
///     print(built.nodeCount)                       // 15: every op but the fed placeholder
public struct BuiltWorkload: Sendable {
    /// The graph.
    public let graph: Graph
    /// The ops a step runs (fetch them as targets).
    public let targets: [Operation]
    /// Tensors to fetch (empty for the scheduling shapes).
    public let fetches: [Tensor]
    /// The value fed to each placeholder every step.
    public let feedValues: [Tensor: NDArray]
    /// The number of ops a step executes (every op of the graph but the fed placeholders).
    public let nodeCount: Int
    /// Values to feed each step, as `Session.run` takes them.
    public let feeds: FeedDict
    /// The fetches first, then the targets: what ``run(in:options:)`` asks for (built once, not per step).
    private let fetch: Fetch
    /// Files the graph reads (`io-mix`), removed when the last copy of this value goes away.
    let files: TileFiles?

    init(
        graph: Graph, targets: [Operation], fetches: [Tensor], feedValues: [Tensor: NDArray] = [:], nodeCount: Int,
        files: TileFiles? = nil
    ) {
        self.files = files
        self.graph = graph
        self.targets = targets
        self.fetches = fetches
        self.feedValues = feedValues
        self.nodeCount = nodeCount
        self.feeds = FeedDict(
            feedValues.map { (key, value) -> (any FeedKeyConvertible, any FeedValueConvertible) in (key, value) })
        self.fetch = .list(fetches.map { .tensor($0) } + targets.map { .operation($0) })
    }

    /// Runs one step of the workload in `session`: the targets and the fetches, with the feeds.
    ///
    /// - Returns: The fetched values in ``fetches`` order (empty for the scheduling shapes).
    /// - Throws: The run's ``SessionError``.
    @discardableResult
    public func run(in session: Session, options: RunOptions = RunOptions()) throws(SessionError) -> [NDArray] {
        try session.run(fetch: fetch, feeds: feeds, options: options).tensorValues()
    }

    /// Runs one step of the workload in `session` and fills `metadata` (step statistics when
    /// `options.traceLevel` asks for them).
    @discardableResult
    public func run(
        in session: Session, options: RunOptions, metadata: inout RunMetadata
    ) throws(SessionError) -> [NDArray] {
        try session.run(fetch: fetch, feeds: feeds, options: options, metadata: &metadata).tensorValues()
    }
}

extension FetchedValue {
    /// The tensors of a `.list` fetch result, in order; targets (`.none`) are skipped.
    fileprivate func tensorValues() -> [NDArray] {
        guard case .list(let items) = self else { return [] }
        return items.compactMap { item in
            if case .tensor(let value) = item { return value }
            return nil
        }
    }
}
