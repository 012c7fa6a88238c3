import Synchronization

extension Session {
    /// Starts a partial run (TensorFlow's deprecated `partial_run_setup`): a step whose feeds and fetches
    /// arrive over several ``partialRun(_:fetches:feeds:)`` calls.
    ///
    ///     let h = try session.partialRunSetup(fetches: [r1, r2], feeds: [a, b, c])
    ///     let v1 = try session.partialRun(h, fetches: r1, feeds: [a: Float(1), b: Float(2)])
    ///     let v2 = try session.partialRun(h, fetches: r2, feeds: [c: Float(3)])
    ///
    /// Ops that need no feed start at once; the others run as their feeds arrive. Each declared feed and
    /// fetch may be used once. The run ends when every fetch has been fetched and every feed fed.
    ///
    /// - Parameters:
    ///   - fetches: The tensors (and ops, run as targets) later calls may fetch.
    ///   - feeds: The tensors later calls may feed.
    /// - Returns: The run's handle.
    /// - Throws: ``SessionError/invalidPartialRun(reason:)`` when there is nothing to fetch or run, and the
    ///   usual fetch and feed errors.
    public func partialRunSetup(
        fetches: some Fetchable, feeds: [Tensor] = []
    ) throws(SessionError) -> PartialRunHandle {
        guard !isClosed else { throw .closed }
        guard !graph.isEmpty else { throw .emptyGraph }
        for t in feeds {
            guard graph.contains(t.op) else {
                throw .invalidFeedKey(key: t.name, reason: "\(t) is not an element of this graph.")
            }
            guard graph.isFeedable(t) else { throw .notFeedable(tensor: t.name) }
        }
        var resolver = FetchResolver(graph: graph)
        _ = try resolver.resolve(fetches.fetch)
        guard !resolver.tensors.isEmpty || !resolver.targets.isEmpty else {
            throw .invalidPartialRun(reason: "Must specify at least one target to fetch or execute.")
        }
        let fed = Set(feeds)
        let computed = resolver.tensors.filter { !fed.contains($0) }
        let prepared = try plans.plan(fed: fed, fetches: computed, targets: resolver.targets)
        let step = prepared.acquireStep()
        // Later calls, from any thread or task, block while the step runs: under `.swiftDefault` its tasks
        // always prefer this session's pool (see `scheduler(blockingFromTask:)`).
        let scheduler = scheduler(blockingFromTask: try scheduler(forPool: 0))
        let stepRun = StepRun(
            step: step, state: state, stepID: Self.nextStepID.add(1, ordering: .relaxed).oldValue, timeoutInMs: 0,
            tracing: nil, scheduler: scheduler, partial: true, intraOp: intraOpRunner(for: scheduler))
        let run = PartialRun(
            prepared: prepared, step: step, run: stepRun, scheduler: scheduler, feeds: feeds,
            targets: resolver.targets)
        let handle: PartialRunHandle
        do {
            handle = try registerPartialRun(run, feeds: feeds, fetches: resolver.tensors, targets: resolver.targets)
        } catch {
            prepared.releaseStep(step)
            throw error
        }
        AllocationScope.suspended { IntraOpTally.suspended { stepRun.startPartial(scheduler: scheduler) } }
        return handle
    }

    /// Feeds and fetches part of a partial run (TensorFlow's `partial_run`).
    ///
    ///     let v = try session.partialRun(h, fetches: r1, feeds: [a: Float(1), b: Float(2)])
    ///     let none = try session.partialRun(h, fetches: [Tensor](), feeds: [c: Float(3)])   // feeds only
    ///
    /// - Throws: ``SessionError/invalidPartialRun(reason:)`` for an unknown handle, a feed or fetch not
    ///   declared at setup or used twice, a fetch whose feeds have not all been fed, or an operation among
    ///   the fetches; the usual feed errors; and the step's own errors.
    public func partialRun<F: Fetchable>(
        _ handle: PartialRunHandle, fetches: F, feeds: FeedDict = [:]
    ) throws(SessionError) -> F.Fetched {
        guard !isClosed else { throw .closed }
        guard let run = partialRun(for: handle) else {
            throw .invalidPartialRun(reason: "Must run 'setup' before performing partial runs!")
        }
        let values = try FeedResolver(graph: graph, state: state).resolve(feeds)
        var resolver = FetchResolver(graph: graph)
        let template = try resolver.resolve(fetches.fetch)
        guard resolver.targets.isEmpty else {
            throw .invalidPartialRun(reason: "partial_run() requires empty `target_list`.")
        }
        try run.claim(feeds: Array(values.keys), fetches: resolver.tensors)
        // As in `run`: the partial step's nodes are not the allocations (nor the loops) of a kernel that called this.
        let fetched = try AllocationScope.suspended { () throws(SessionError) -> [NDArray] in
            try IntraOpTally.suspended { () throws(SessionError) -> [NDArray] in
                try continuePartialRun(handle, run, feeds: values, fetches: resolver.tensors)
            }
        }
        var handles: [Int: TensorHandle] = [:]
        return try fetches.fetched(
            from: FetchResolver.build(template, values: fetched, state: state, handles: &handles))
    }

    /// Feeds `values` to a partial run, waits for `fetches` and, when every fetch was delivered, finishes the step.
    private func continuePartialRun(
        _ handle: PartialRunHandle, _ run: PartialRun, feeds values: [Tensor: NDArray], fetches: [Tensor]
    ) throws(SessionError) -> [NDArray] {
        for (t, value) in values {
            if let i = run.feedIndex[t], i >= 0 { run.run.provideFeed(i, value, scheduler: run.scheduler) }
        }
        var fetched: [NDArray] = []
        for t in fetches {
            switch run.run.waitForFetch(run.fetchIndex[t]!, helping: pool) {
            case .success(let v): fetched.append(v)
            case .failure(let error):
                endPartialRun(handle, run)
                throw error
            }
        }
        if run.isComplete {
            let drained = run.run.waitUntilDone(helping: pool)
            endPartialRun(handle, run)
            guard drained else {
                run.run.abandon()
                throw run.run.error ?? .cancelled
            }
            if case .failure(let error) = run.run.finish().result { throw error }
            run.prepared.releaseStep(run.step)
        }
        return fetched
    }
}
