@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor
import ActorFlowProto
import ActorFlowTracing

/// The plain records of one traced step and what turning them into `RunMetadata.stepStats` (and `costGraph`)
/// needs; the messages are built the first time a ``RunMetadata`` holding it is read, once, and shared by its
/// copies.
///
/// The build goes through the step's ``StepStatsRecycler`` (under its lock), which rewrites the messages of the
/// plan's previous build in place when nobody holds them any more, so a caller that reads every step's
/// metadata pays what the eager build paid; the message is the same either way (``eagerMetadata()``; its bytes
/// too, map entries aside, whose wire order protobuf leaves free: compare with `useDeterministicOrdering`).
final class StepStatsSource: Sendable {
    /// One record per plan node, in plan order, their allocation scopes sealed: the table the step wrote, which
    /// goes back to `spares` (emptied) when this source ends.
    let records: NodeRecordTable
    /// Where the table goes when this source ends: its step's spares (see ``StepState/spareRecords``).
    private let spares: Locked<[NodeRecordTable]>
    /// The policy the step ran under (names threads that are not pool workers).
    let policy: SchedulingPolicy
    let builder: StepStatsBuilder
    /// Also build the cost graph, reporting hardware counters as this says.
    let costGraph: HardwareCounters.Availability?
    let plan: StepStatsPlan
    /// The plan's recycler, shared by every source of the same pooled step.
    private let recycler: Locked<StepStatsRecycler?>
    /// What was built: the step statistics and, with ``costGraph``, the cost graph.
    private let built = Locked<(stats: StepStats, costGraph: CostGraphDef?)?>(nil)

    init(
        records: NodeRecordTable, returningTo spares: Locked<[NodeRecordTable]>, policy: SchedulingPolicy,
        builder: StepStatsBuilder, costGraph: HardwareCounters.Availability?, plan: StepStatsPlan,
        recycler: Locked<StepStatsRecycler?>
    ) {
        self.records = records
        self.spares = spares
        self.policy = policy
        self.builder = builder
        self.costGraph = costGraph
        self.plan = plan
        self.recycler = recycler
    }

    /// Nobody can read the records any more: the table is emptied (releasing what they held) and given back to its
    /// step for another traced run, unless enough spares wait there already.
    deinit {
        records.reset()
        spares.withLock { spares in
            if spares.count < StepState.keptRecordTables { spares.append(records) }
        }
    }

    /// Sets `metadata.stepStats` (and `costGraph`) from the records, building them on the first call.
    func fill(_ metadata: inout Tensorflow_RunMetadata) {
        let (stats, costGraph) = built.withLock { built in
            if let built { return built }
            var scratch = Tensorflow_RunMetadata()
            recycler.withLock { kept in
                var recycler = kept.take() ?? StepStatsRecycler(plan: plan)
                fill(&scratch, with: &recycler)
                kept = recycler
            }
            built = (scratch.stepStats, self.costGraph == nil ? nil : scratch.costGraph)
            return built!
        }
        metadata.stepStats = stats
        if let costGraph { metadata.costGraph = costGraph }
    }

    /// What the session built at every step's end before step statistics were built when read: a new recycler's
    /// messages for these records. Tests compare its bytes with the lazily built ones.
    func eagerMetadata() -> Tensorflow_RunMetadata {
        var metadata = Tensorflow_RunMetadata()
        var recycler = StepStatsRecycler(plan: plan)
        fill(&metadata, with: &recycler)
        return metadata
    }

    private func fill(_ metadata: inout Tensorflow_RunMetadata, with recycler: inout StepStatsRecycler) {
        recycler.fill(
            &metadata, records: records, threadNames: ThreadNaming.names(for: records, policy: policy),
            builder: builder, costGraph: costGraph)
    }
}
