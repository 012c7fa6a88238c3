import ActorFlow

/// What one `actorflow bench` invocation measures, parsed and checked from its command-line strings.
///
/// List flags take comma-separated values; an omitted flag means every workload, every policy, workers
/// `1` and every CPU, and trace level `none`. `--quick` picks ``Workload/quickSize`` and fewer
/// repetitions (for CI smoke runs); an explicit `--size` or `--repetitions` wins over it.
///
///     let plan = try BenchmarkPlan(workloads: "chain,tree", policies: "ws,caller", workers: "1,2", cpuCount: 2)
///     plan.workloads                 // [.chain, .tree]
///     plan.size(of: .tree)           // 17
///     plan.repetitions               // 20
///
/// Duplicated list items are measured once, in the order first given.
public struct BenchmarkPlan: Sendable, Hashable {
    /// The workloads to run, in order.
    public var workloads: [Workload]
    /// `--size`: one size for every workload, or `nil` for each workload's default (or quick) size.
    public var sizeOverride: Int?
    /// What the scheduling shapes' nodes run (`--kernel`), in order; each scheduling shape is measured with each.
    public var kernels: [WorkloadKernel]
    /// The scheduling policies to compare, in order.
    public var policies: [SchedulingPolicy]
    /// The worker counts of the dedicated pools, ascending.
    public var workerCounts: [Int]
    /// The trace levels to run at.
    public var traceLevels: [BenchmarkTraceLevel]
    /// Timed steps per configuration.
    public var repetitions: Int
    /// Untimed steps per configuration before the timed ones (the first builds and caches the plan).
    public var warmupSteps: Int
    /// Whether `--quick` was given.
    public var isQuick: Bool

    /// Timed steps per configuration without `--repetitions`: 20 (the whole default suite takes about
    /// three minutes on 2 cores in a release build).
    public static let defaultRepetitions = 20
    /// Timed steps per configuration with `--quick` and without `--repetitions`.
    public static let quickRepetitions = 3
    /// The most worker threads a pool may have.
    public static let maximumWorkers = 4096

    /// Parses the command line's values.
    ///
    /// - Parameters:
    ///   - workloads: `--workloads`, e.g. `"chain,fanout"`; `nil` for all of ``Workload/allCases``.
    ///   - size: `--size`, a positive integer within every chosen workload's ``Workload/sizeLimit``.
    ///   - policies: `--policies` (`ws-numa`, `ws`, `global`, `swift`, `caller`); `nil` for all.
    ///   - workers: `--workers`, positive integers; `nil` for `1` and `cpuCount`.
    ///   - trace: `--trace` (`none`, `software`, `hardware`, `full`); `nil` for `none`.
    ///   - repetitions: `--repetitions`, a positive integer.
    ///   - kernels: `--kernel`, e.g. `"empty,noop,busy:500"`; `nil` for `empty`.
    ///   - quick: `--quick`.
    ///   - cpuCount: the CPUs the default worker list goes up to.
    /// - Throws: ``BenchmarkArgumentError`` naming the first bad value and the valid ones.
    public init(
        workloads: String? = nil, size: String? = nil, policies: String? = nil, workers: String? = nil,
        trace: String? = nil, repetitions: String? = nil, kernels: String? = nil, quick: Bool = false, cpuCount: Int
    ) throws(BenchmarkArgumentError) {
        isQuick = quick
        self.kernels = try Self.list(kernels, flag: "--kernel", default: [.empty]) {
            (item) throws(BenchmarkArgumentError) -> WorkloadKernel in try WorkloadKernel(parsing: item)
        }
        let allWorkloads = Workload.allCases.map(\.rawValue).joined(separator: ", ")
        self.workloads = try Self.list(workloads, flag: "--workloads", default: Workload.allCases) {
            (item) throws(BenchmarkArgumentError) -> Workload in
            guard let workload = Workload(rawValue: item) else {
                throw BenchmarkArgumentError(
                    flag: "--workloads", value: item, problem: "unknown workload '\(item)'", valid: allWorkloads)
            }
            return workload
        }
        let allPolicies = SchedulingPolicy.all.map(\.name).joined(separator: ", ")
        self.policies = try Self.list(policies, flag: "--policies", default: SchedulingPolicy.all) {
            (item) throws(BenchmarkArgumentError) -> SchedulingPolicy in
            guard let policy = SchedulingPolicy(name: item) else {
                throw BenchmarkArgumentError(
                    flag: "--policies", value: item, problem: "unknown policy '\(item)'", valid: allPolicies)
            }
            return policy
        }
        let workerRange = "integers 1...\(Self.maximumWorkers)"
        let defaultWorkers = cpuCount > 1 ? [1, min(cpuCount, Self.maximumWorkers)] : [1]
        self.workerCounts = try Self.list(workers, flag: "--workers", default: defaultWorkers) {
            (item) throws(BenchmarkArgumentError) -> Int in
            guard let count = Int(item), (1...Self.maximumWorkers).contains(count) else {
                throw BenchmarkArgumentError(
                    flag: "--workers", value: item, problem: "'\(item)' is not a worker count", valid: workerRange)
            }
            return count
        }.sorted()
        let allLevels = BenchmarkTraceLevel.allCases.map(\.rawValue).joined(separator: ", ")
        self.traceLevels = try Self.list(trace, flag: "--trace", default: [.none]) {
            (item) throws(BenchmarkArgumentError) -> BenchmarkTraceLevel in
            guard let level = BenchmarkTraceLevel(rawValue: item) else {
                throw BenchmarkArgumentError(
                    flag: "--trace", value: item, problem: "unknown trace level '\(item)'", valid: allLevels)
            }
            return level
        }
        if let repetitions {
            self.repetitions = try Self.positiveInteger(repetitions, flag: "--repetitions", limit: 1_000_000)
        } else {
            self.repetitions = quick ? Self.quickRepetitions : Self.defaultRepetitions
        }
        warmupSteps = quick ? 1 : 2
        if let size {
            let limit = self.workloads.map(\.sizeLimit.upperBound).min() ?? 1
            let value = try Self.positiveInteger(size, flag: "--size", limit: Int.max)
            if let tooBig = self.workloads.first(where: { !$0.sizeLimit.contains(value) }) {
                throw BenchmarkArgumentError(
                    flag: "--size", value: size,
                    problem: "\(value) is too large for \(tooBig) (its size is a \(tooBig.sizeMeaning))",
                    valid: "1...\(limit) for \(self.workloads.map(\.rawValue).joined(separator: ", "))")
            }
            sizeOverride = value
        } else {
            sizeOverride = nil
        }
    }

    /// The size `workload` is built at: `--size`, else its quick or default size.
    public func size(of workload: Workload) -> Int {
        sizeOverride ?? (isQuick ? workload.quickSize : workload.defaultSize)
    }

    /// Splits a comma-separated flag value, parses each item and drops repeats; `nil` gives `defaults`.
    private static func list<T: Hashable>(
        _ text: String?, flag: String, default defaults: [T],
        _ parse: (String) throws(BenchmarkArgumentError) -> T
    ) throws(BenchmarkArgumentError) -> [T] {
        guard let text else { return defaults }
        var seen = Set<T>()
        var values: [T] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = trimmed(raw)
            let parsed = try parse(item)
            if seen.insert(parsed).inserted { values.append(parsed) }
        }
        return values
    }

    private static func positiveInteger(_ text: String, flag: String, limit: Int) throws(BenchmarkArgumentError) -> Int {
        guard let value = Int(trimmed(text[...])), value >= 1, value <= limit else {
            throw BenchmarkArgumentError(
                flag: flag, value: text, problem: "'\(text)' is not a positive integer",
                valid: limit == Int.max ? "integers ≥ 1" : "integers 1...\(limit)")
        }
        return value
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
