@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import Synchronization

/// The handle of a partial run (TensorFlow's deprecated `partial_run`): a step started by
/// `Session.partialRunSetup` that is fed and fetched piece by piece.
///
/// `handle` is TensorFlow's string: sorted feeds `->` sorted fetches `/` targets `/1/;` counter.
public struct PartialRunHandle: Sendable, Hashable, CustomStringConvertible {
    public let handle: String

    /// A handle from its string (as `partial_run` accepts a string); an unknown one is reported by the run.
    public init(handle: String) {
        self.handle = handle
    }
    public var description: String { handle }
}

/// A partial run in flight: its step and which feeds and fetches were used.
final class PartialRun: Sendable {
    let prepared: PreparedPlan
    let step: StepState
    let run: StepRun
    let scheduler: any WorkScheduler
    /// Setup's feeds (index = the plan's feed index) and fetches (index = the plan's fetch slot).
    let feedIndex: [Tensor: Int]
    let fetchIndex: [Tensor: Int]
    let targets: [Operation]
    private let used = Locked<(fed: Set<Tensor>, fetched: Set<Int>)>(([], []))

    init(
        prepared: PreparedPlan, step: StepState, run: StepRun, scheduler: any WorkScheduler, feeds: [Tensor],
        targets: [Operation]
    ) {
        self.prepared = prepared
        self.step = step
        self.run = run
        self.scheduler = scheduler
        self.targets = targets
        let plan = prepared.plan
        var feedIndex: [Tensor: Int] = [:]
        // Setup feeds that no op of the step reads are still declared: feeding them is accepted and ignored.
        for t in feeds { feedIndex[t] = -1 }
        for (i, t) in plan.feedTensors.enumerated() { feedIndex[t] = i }
        self.feedIndex = feedIndex
        var fetchIndex: [Tensor: Int] = [:]
        for (i, t) in plan.fetchTensors.enumerated() { fetchIndex[t] = i }
        self.fetchIndex = fetchIndex
    }

    /// Checks and records one `partialRun` call: feeds and fetches must have been declared at setup and may
    /// be used once each, and a fetch can only be asked for once every feed it depends on has been fed.
    func claim(feeds: [Tensor], fetches: [Tensor]) throws(SessionError) {
        try used.withLock { (used: inout (fed: Set<Tensor>, fetched: Set<Int>)) throws(SessionError) in
            var fed = used.fed
            for t in feeds {
                guard feedIndex[t] != nil else {
                    throw .invalidPartialRun(reason: "The feed \(t.name) was not specified in partial_run_setup.")
                }
                guard fed.insert(t).inserted else {
                    throw .invalidPartialRun(reason: "The feed \(t.name) has already been fed.")
                }
            }
            var fetched = used.fetched
            let plan = prepared.plan
            for t in fetches {
                guard let i = fetchIndex[t] else {
                    throw .invalidPartialRun(reason: "The fetch \(t.name) was not specified in partial_run_setup.")
                }
                guard fetched.insert(i).inserted else {
                    throw .invalidPartialRun(reason: "The fetch \(t.name) has already been fetched.")
                }
                guard plan.feedDependencies(of: t).allSatisfy({ fed.contains(plan.feedTensors[$0]) }) else {
                    throw .invalidPartialRun(
                        reason: "Fetch \(t.name) can't be computed from the feeds that have been fed so far.")
                }
            }
            used = (fed, fetched)
        }
    }

    /// Whether every declared fetch has been fetched and every tensor the step reads has been fed.
    var isComplete: Bool {
        used.withLock { used in
            used.fetched.count == fetchIndex.count
                && prepared.plan.feedTensors.allSatisfy { used.fed.contains($0) }
        }
    }
}
