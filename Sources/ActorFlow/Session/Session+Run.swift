extension Session {
    /// Runs the graph to compute one fetch: a tensor, an op, a sparse tensor, a name, or any ``Fetchable``
    /// structure of them (arrays, dictionaries, your own structs).
    ///
    ///     let v: NDArray = try session.run(a)                               // a Tensor
    ///     let list = try session.run([a, b])                                // [NDArray]
    ///     let dict = try session.run(["k1": [a], "k2": [a, b]])             // [String: [NDArray]]
    ///     try session.run(g.globalVariablesInitializer())                   // an Operation: Void
    ///     let r = try session.run(z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]])
    ///
    /// Only the ops the fetch needs run; a fed tensor is not computed, and neither is anything only it
    /// needs. A tensor fetched several times is computed once. Fetching only fed tensors runs nothing.
    ///
    /// - Parameters:
    ///   - fetch: What to compute.
    ///   - feeds: Values that replace tensors for this run (placeholders, or any tensor).
    ///   - options: Deadline, scheduler (`interOpThreadPool`) and trace level.
    /// - Returns: The fetched values, in the structure of `fetch`.
    /// - Throws: ``SessionError`` naming the bad fetch, feed or op; the session stays usable.
    @discardableResult
    public func run<F: Fetchable>(
        _ fetch: F, feeds: FeedDict = [:], options: RunOptions = RunOptions()
    ) throws(SessionError) -> F.Fetched {
        try fetch.fetched(from: executeDiscardingMetadata(fetch.fetch, feeds: feeds, options: options))
    }

    /// Runs the graph to compute one fetch and fills `metadata` (step statistics when
    /// `options.traceLevel` asks for them).
    ///
    ///     var md = RunMetadata()
    ///     _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]],
    ///                         options: RunOptions(traceLevel: .fullTrace), metadata: &md)
    ///     md.stepStats.devStats[0].nodeStats.count   // the ops that ran
    ///
    /// `metadata` is overwritten by every run whose step completes (even when a fetched value then fails to
    /// convert to `F.Fetched`) and left untouched by a run that fails before (a bad feed, a failing op, a
    /// timeout). Passing the same variable to every run is cheapest: the session then rewrites the previous
    /// step statistics in place.
    @discardableResult
    public func run<F: Fetchable>(
        _ fetch: F, feeds: FeedDict = [:], options: RunOptions = RunOptions(), metadata: inout RunMetadata
    ) throws(SessionError) -> F.Fetched {
        try fetch.fetched(from: execute(fetch.fetch, feeds: feeds, options: options, metadata: &metadata))
    }

    /// Runs the graph to compute several fetches, returned as a tuple.
    ///
    ///     let (va, vb) = try session.run(a, b)                  // (NDArray, NDArray)
    ///     let (w, _) = try session.run(weights, train.op)       // (NDArray, Void)
    @discardableResult
    public func run<F1: Fetchable, F2: Fetchable, each F: Fetchable>(
        _ f1: F1, _ f2: F2, _ rest: repeat each F, feeds: FeedDict = [:], options: RunOptions = RunOptions()
    ) throws(SessionError) -> (F1.Fetched, F2.Fetched, repeat (each F).Fetched) {
        var fetches = [f1.fetch, f2.fetch]
        for r in repeat each rest { fetches.append(r.fetch) }
        let values = try executeDiscardingMetadata(.list(fetches), feeds: feeds, options: options).listValue()
        return try Self.unpack(values, f1, f2, repeat each rest)
    }

    /// Runs the graph to compute several fetches, returned as a tuple, and fills `metadata`.
    @discardableResult
    public func run<F1: Fetchable, F2: Fetchable, each F: Fetchable>(
        _ f1: F1, _ f2: F2, _ rest: repeat each F, feeds: FeedDict = [:], options: RunOptions = RunOptions(),
        metadata: inout RunMetadata
    ) throws(SessionError) -> (F1.Fetched, F2.Fetched, repeat (each F).Fetched) {
        var fetches = [f1.fetch, f2.fetch]
        for r in repeat each rest { fetches.append(r.fetch) }
        let values = try execute(.list(fetches), feeds: feeds, options: options, metadata: &metadata).listValue()
        return try Self.unpack(values, f1, f2, repeat each rest)
    }

    /// Runs the graph for a fetch structure built at run time.
    ///
    ///     let any = try session.run(fetch: .dict(["k1": .list([.tensor(a), .name("x:0")])]),
    ///                               feeds: ["x:0": NDArray([[1, 2]] as [[Float]])])
    @discardableResult
    public func run(fetch: Fetch, feeds: FeedDict = [:], options: RunOptions = RunOptions()) throws(SessionError)
        -> FetchedValue
    {
        try executeDiscardingMetadata(fetch, feeds: feeds, options: options)
    }

    /// Runs the graph for a fetch structure built at run time and fills `metadata`.
    @discardableResult
    public func run(
        fetch: Fetch, feeds: FeedDict = [:], options: RunOptions = RunOptions(), metadata: inout RunMetadata
    ) throws(SessionError) -> FetchedValue {
        try execute(fetch, feeds: feeds, options: options, metadata: &metadata)
    }

    // MARK: Plumbing

    private func executeDiscardingMetadata(
        _ fetch: Fetch, feeds: FeedDict, options: RunOptions
    ) throws(SessionError) -> FetchedValue {
        var unused: RunMetadata? = nil
        return try execute(fetch, feeds: feeds, options: options, metadata: &unused)
    }

    /// Runs with the caller's metadata moved out of its variable: the step statistics the session kept
    /// from the previous run are then referenced by the session alone and are rewritten in place
    /// (`StepStatsRecycler`). The variable receives the new metadata when the step completed, or its
    /// previous value back when the run failed before.
    private func execute(
        _ fetch: Fetch, feeds: FeedDict, options: RunOptions, metadata: inout RunMetadata
    ) throws(SessionError) -> FetchedValue {
        var moved: RunMetadata? = metadata
        metadata = RunMetadata()
        defer { metadata = moved ?? RunMetadata() }
        return try execute(fetch, feeds: feeds, options: options, metadata: &moved)
    }

    private static func unpack<F1: Fetchable, F2: Fetchable, each F: Fetchable>(
        _ values: [FetchedValue], _ f1: F1, _ f2: F2, _ rest: repeat each F
    ) throws(SessionError) -> (F1.Fetched, F2.Fetched, repeat (each F).Fetched) {
        var index = 2
        func next() -> FetchedValue {
            defer { index += 1 }
            return values[index]
        }
        return (try f1.fetched(from: values[0]), try f2.fetched(from: values[1]), repeat try (each rest).fetched(from: next()))
    }
}
