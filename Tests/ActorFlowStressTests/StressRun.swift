import ActorFlow
import Synchronization

/// Counts over a scenario, printed as one `STRESS` line that `.ci/stress` adds up.
final class StressTally: Sendable {
    let runs = Atomic<Int>(0)
    let succeeded = Atomic<Int>(0)
    let nodesExecuted = Atomic<Int>(0)
    let faultsInjected = Atomic<Int>(0)
    let faultsReported = Atomic<Int>(0)
    /// Runs planned to fail at a probe that a concurrent close() ended first.
    let faultsPreempted = Atomic<Int>(0)
    let deadlinesSet = Atomic<Int>(0)
    let deadlinesExceeded = Atomic<Int>(0)
    let closedOrCancelled = Atomic<Int>(0)
    let mismatches = Atomic<Int>(0)
    let unexpected = Atomic<Int>(0)
    let hangs = Atomic<Int>(0)
    private let problems = Mutex<[String]>([])

    /// Keeps the first few problems for the test's failure message.
    func problem(_ text: String) {
        problems.withLock { if $0.count < 20 { $0.append(text) } }
    }

    var problemList: [String] { problems.withLock { $0 } }

    func line(_ label: String) -> String {
        func v(_ a: borrowing Atomic<Int>) -> Int { a.load(ordering: .relaxed) }
        return "STRESS \(label): runs=\(v(runs)) succeeded=\(v(succeeded)) nodes=\(v(nodesExecuted)) "
            + "faults=\(v(faultsInjected)) faultsReported=\(v(faultsReported)) faultsPreempted=\(v(faultsPreempted)) "
            + "deadlines=\(v(deadlinesSet)) "
            + "deadlinesExceeded=\(v(deadlinesExceeded)) closedOrCancelled=\(v(closedOrCancelled)) "
            + "mismatches=\(v(mismatches)) unexpected=\(v(unexpected)) hangs=\(v(hangs))"
    }
}

/// How a run ended, as far as the stress suite cares.
enum RunEnd: Equatable {
    case completed
    case faulted
    case timedOut
    case closed
    case wrong
}

/// One run of a built DAG on a session: random inputs, maybe a faulty or a slow probe and a deadline; the outcome is
/// checked against the sequential evaluator and the run plan.
struct StressRunner: Sendable {
    let built: BuiltDAG
    let ledger: KernelLedger
    let tally: StressTally

    /// The share of runs in which one probe throws, and in which one dawdles under a 20 ms deadline.
    static let faultShare = 0.15
    static let slowShare = 0.10

    /// Runs once; `closing` says a concurrent `close()` may end the run with `.closed` or `.cancelled`.
    @discardableResult
    func run(on session: Session, label: String, rng: inout SplitMix64, closing: Bool = false) -> RunEnd {
        let dag = built.dag
        let inputs = (0..<dag.inputCount).map { _ in
            (0..<RandomDAG.width).map { _ in Int32.random(in: -1_000...1_000, using: &rng) }
        }
        var fault = -1, slow = -1
        var timeout: Int64 = Bool.random(using: &rng) ? 0 : 600_000
        let roll = Double.random(in: 0..<1, using: &rng)
        if !dag.probeIDs.isEmpty {
            if roll < Self.faultShare {
                fault = dag.probeIDs.randomElement(using: &rng)!
            } else if roll < Self.faultShare + Self.slowShare {
                slow = dag.probeIDs.randomElement(using: &rng)!
                timeout = 20
            }
        }
        let id = ledger.begin("\(label), \(dag.nodes.count) nodes, seed \(dag.seed)", probes: dag.probeIDs)
        defer { ledger.end(id) }
        var feeds = FeedDict()
        for (tensor, value) in zip(built.inputs, inputs) { feeds.set(tensor, NDArray(value)) }
        feeds.set(built.control, NDArray([Int32(id), Int32(fault), Int32(slow)]))

        tally.runs.add(1, ordering: .relaxed)
        if fault >= 0 { tally.faultsInjected.add(1, ordering: .relaxed) }
        if timeout == 20 { tally.deadlinesSet.add(1, ordering: .relaxed) }
        let context = "\(label): run \(id) of the \(dag.nodes.count)-node DAG seed \(dag.seed) (fault \(fault), slow \(slow))"
        do throws(SessionError) {
            let values = try session.run(built.fetches, feeds: feeds, options: RunOptions(timeoutInMs: timeout))
            if fault >= 0 {
                return unexpected("\(context): completed although probe\(fault) threw")
            }
            let expected = dag.reference(inputs: inputs)
            for (sink, value) in zip(dag.sinks, values) {
                let got = try value.scalars(as: Int32.self)
                if got != expected[sink] {
                    tally.mismatches.add(1, ordering: .relaxed)
                    tally.problem("\(context): node \(sink) = \(got), the evaluator says \(expected[sink])")
                    return .wrong
                }
            }
            tally.succeeded.add(1, ordering: .relaxed)
            tally.nodesExecuted.add(dag.nodes.count - dag.inputCount, ordering: .relaxed)
            return .completed
        } catch .opFailed(let op, let underlying) where fault >= 0 && op == "probe\(fault)" {
            guard underlying is InjectedFault else { return unexpected("\(context): \(op) failed with \(underlying)") }
            tally.faultsReported.add(1, ordering: .relaxed)
            return .faulted
        } catch .deadlineExceeded(let ms) where timeout == 20 && ms == 20 {
            tally.deadlinesExceeded.add(1, ordering: .relaxed)
            return .timedOut
        } catch .closed where closing {
            return closed(faultPlanned: fault >= 0)
        } catch .cancelled where closing {
            return closed(faultPlanned: fault >= 0)
        } catch {
            return unexpected("\(context): \(error)")
        }
    }

    private func closed(faultPlanned: Bool) -> RunEnd {
        tally.closedOrCancelled.add(1, ordering: .relaxed)
        if faultPlanned { tally.faultsPreempted.add(1, ordering: .relaxed) }
        return .closed
    }

    private func unexpected(_ text: String) -> RunEnd {
        tally.unexpected.add(1, ordering: .relaxed)
        tally.problem(text)
        return .wrong
    }
}

/// The DAGs of every size, built once for the whole suite (building 10^5 ops is the slow part of a debug build).
enum SharedDAGs {
    static let ledger = KernelLedger()
    private static let built = Mutex<[Int: BuiltDAG]>([:])

    static func dag(nodes: Int) -> BuiltDAG {
        if let dag = built.withLock({ $0[nodes] }) { return dag }
        let dag = BuiltDAG(RandomDAG(count: nodes, seed: StressScale.seed &+ UInt64(nodes)), ledger: ledger)
        return built.withLock { all in
            if let existing = all[nodes] { return existing }
            all[nodes] = dag
            return dag
        }
    }
}
