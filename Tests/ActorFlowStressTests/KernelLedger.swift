import Synchronization

/// Which probes of which run started and finished: the only view of a step's progress the public API gives, and
/// what the watchdog prints when a run hangs.
final class KernelLedger: Sendable {
    private struct Run {
        var label: String
        var probes: [Int]
        var started: Set<Int> = []
        var finished: Set<Int> = []
    }

    private let runs = Mutex<[Int: Run]>([:])
    private let executed = Atomic<Int>(0)
    private let nextRun = Atomic<Int>(0)

    /// Probe kernels that ran to their end, over every run.
    var probesExecuted: Int { executed.load(ordering: .relaxed) }

    /// Registers a run about to start and returns its id (what the control vector carries).
    func begin(_ label: String, probes: [Int]) -> Int {
        let id = nextRun.add(1, ordering: .relaxed).newValue
        runs.withLock { $0[id] = Run(label: label, probes: probes) }
        return id
    }

    /// Forgets a run that returned.
    func end(_ id: Int) {
        _ = runs.withLock { $0.removeValue(forKey: id) }
    }

    func started(run: Int, node: Int) {
        runs.withLock { _ = $0[run]?.started.insert(node) }
    }

    func finished(run: Int, node: Int) {
        executed.add(1, ordering: .relaxed)
        runs.withLock { _ = $0[run]?.finished.insert(node) }
    }

    /// The runs still in flight: for each, the probes started but not finished and the probes never started.
    func pendingReport() -> String {
        let snapshot = runs.withLock { $0 }
        guard !snapshot.isEmpty else { return "no run in flight (the hang is outside the steps)" }
        return snapshot.sorted { $0.key < $1.key }.map { id, run in
            let stuck = run.started.subtracting(run.finished).sorted()
            let waiting = run.probes.filter { !run.started.contains($0) }
            return "run \(id) [\(run.label)]: \(run.finished.count) of \(run.probes.count) probes finished; "
                + "running, never finished: \(stuck.map { "probe\($0)" }); "
                + "never started (\(waiting.count)): \(waiting.prefix(20).map { "probe\($0)" })"
                + (waiting.count > 20 ? " …" : "")
        }.joined(separator: "\n")
    }
}
