import ActorFlow
import Foundation

/// A C++ peer runtime `actorflow metg --compare` times on the same graphs (`Benchmarks/peers/`).
public enum MetgPeer: String, CaseIterable, Sendable {
    /// oneTBB's flow graph: one `continue_node` per task.
    case tbb
    /// OpenMP tasks ordered by `depend` clauses.
    case openmp

    /// The program `Benchmarks/peers/build.sh` builds.
    public var program: String {
        switch self {
        case .tbb: "tbb_flowgraph"
        case .openmp: "openmp_tasks"
        }
    }
}

/// What one `actorflow metg` invocation measures, parsed and checked from its command-line strings.
///
///     let plan = try MetgPlan(patterns: "stencil_1d,nearest", compare: "tbb", cpuCount: 2)
///     plan.patterns         // [.stencil_1d, .nearest]
///     plan.workerCounts     // [1, 2]
///     plan.policies         // [ws-numa, ws]
///
/// Omitted flags: width = the CPU count, 1000 steps (50 with `--quick`), kernel `compute_bound`, policies
/// `ws-numa,ws`, workers 1 and every CPU, radix 3, 16 output bytes, threshold 50%.
public struct MetgPlan: Sendable, Hashable {
    public var patterns: [TaskBenchPattern]
    public var width: Int
    public var steps: Int
    public var kernel: TaskBenchKernel.Kind
    public var policies: [SchedulingPolicy]
    public var workerCounts: [Int]
    public var peers: [MetgPeer]
    public var radix: Int
    public var outputBytes: Int
    /// Efficiency thresholds as fractions, ascending (0.5 always among them).
    public var thresholds: [Double]
    public var sweep: MetgSweepPlan

    /// The largest grid `--width` × `--steps` may ask for (one op per task).
    public static let maximumTasks = 2_000_000

    /// Parses the command line's values.
    ///
    /// - Throws: ``BenchmarkArgumentError`` naming the first bad value and the valid ones.
    public init(
        patterns: String, width: String? = nil, steps: String? = nil, kernel: String? = nil, policies: String? = nil,
        workers: String? = nil, compare: String? = nil, radix: String? = nil, outputBytes: String? = nil,
        thresholds: String? = nil, maxIterations: String? = nil, quick: Bool = false, cpuCount: Int
    ) throws(BenchmarkArgumentError) {
        self.patterns = try Self.list(patterns, flag: "--pattern") { (item) throws(BenchmarkArgumentError) in
            guard let p = TaskBenchPattern(rawValue: item) else {
                throw BenchmarkArgumentError(
                    flag: "--pattern", value: item, problem: "unknown pattern '\(item)'",
                    valid: TaskBenchPattern.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return p
        }
        self.width = try Self.integer(width, flag: "--width", range: 1...4096) ?? max(1, cpuCount)
        self.steps = try Self.integer(steps, flag: "--steps", range: 1...1_000_000) ?? (quick ? 50 : 1000)
        guard self.width * self.steps <= Self.maximumTasks else {
            throw BenchmarkArgumentError(
                flag: "--steps", value: String(self.steps),
                problem: "\(self.width) × \(self.steps) tasks is more than one graph should hold",
                valid: "width × steps ≤ \(Self.maximumTasks)")
        }
        let kernelName = kernel ?? TaskBenchKernel.Kind.compute_bound.rawValue
        guard let kind = TaskBenchKernel.Kind(rawValue: kernelName) else {
            throw BenchmarkArgumentError(
                flag: "--kernel", value: kernelName, problem: "unknown kernel '\(kernelName)'",
                valid: TaskBenchKernel.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.kernel = kind
        self.policies = try Self.list(policies ?? "ws-numa,ws", flag: "--policies") {
            (item) throws(BenchmarkArgumentError) in
            guard let policy = SchedulingPolicy(name: item) else {
                throw BenchmarkArgumentError(
                    flag: "--policies", value: item, problem: "unknown policy '\(item)'",
                    valid: SchedulingPolicy.all.map(\.name).joined(separator: ", "))
            }
            return policy
        }
        self.workerCounts = try Self.list(workers ?? (cpuCount > 1 ? "1,\(cpuCount)" : "1"), flag: "--workers") {
            (item) throws(BenchmarkArgumentError) in
            guard let n = Int(item), (1...BenchmarkPlan.maximumWorkers).contains(n) else {
                throw BenchmarkArgumentError(
                    flag: "--workers", value: item, problem: "'\(item)' is not a worker count",
                    valid: "integers 1...\(BenchmarkPlan.maximumWorkers)")
            }
            return n
        }.sorted()
        self.peers = try compare.map { (text) throws(BenchmarkArgumentError) in
            try Self.list(text, flag: "--compare") { (item) throws(BenchmarkArgumentError) in
                guard let peer = MetgPeer(rawValue: item) else {
                    throw BenchmarkArgumentError(
                        flag: "--compare", value: item, problem: "unknown peer '\(item)'",
                        valid: MetgPeer.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return peer
            }
        } ?? []
        self.radix = try Self.integer(radix, flag: "--radix", range: 0...4096) ?? 3
        self.outputBytes = try Self.integer(outputBytes, flag: "--output-bytes", range: 16...(1 << 20)) ?? 16
        guard self.outputBytes % 16 == 0 else {
            throw BenchmarkArgumentError(
                flag: "--output-bytes", value: String(self.outputBytes), problem: "not a multiple of 16",
                valid: "multiples of 16 from 16 to 1048576 (one (step, column) pair is 16 bytes)")
        }
        let asked = try thresholds.map { (text) throws(BenchmarkArgumentError) in
            try Self.list(text, flag: "--thresholds") { (item) throws(BenchmarkArgumentError) -> Double in
                let number = item.hasSuffix("%") ? String(item.dropLast()) : item
                guard let x = Double(number), x > 0, x <= 100 else {
                    throw BenchmarkArgumentError(
                        flag: "--thresholds", value: item, problem: "'\(item)' is not an efficiency",
                        valid: "percentages in (0, 100], e.g. 50,25 or 50%")
                }
                return x / 100
            }
        } ?? []
        self.thresholds = Array(Set(asked + [0.5])).sorted()
        var sweep = MetgSweepPlan(kernel: kind, quick: quick)
        if let top = try Self.integer(maxIterations, flag: "--max-iterations", range: 1...(1 << 30)) {
            sweep.maxIterations = top
        }
        self.sweep = sweep
    }

    /// The shape of `pattern`'s graph under this plan.
    public func shape(_ pattern: TaskBenchPattern) -> TaskBenchGraphShape {
        TaskBenchGraphShape(pattern: pattern, width: width, steps: steps, radix: radix)
    }

    /// The command-line arguments of a peer program for `pattern` at `iterations`, `workers`.
    public func peerArguments(_ pattern: TaskBenchPattern, iterations: Int, workers: Int) -> [String] {
        let s = shape(pattern)
        return [
            "--pattern", pattern.rawValue, "--width", String(width), "--steps", String(steps), "--kernel",
            kernel.rawValue, "--radix", String(radix), "--period", String(s.period), "--iterations",
            String(iterations), "--workers", String(workers), "--output-bytes", String(outputBytes), "--min-ms",
            String(sweep.minimumMilliseconds), "--samples", String(sweep.samples),
        ]
    }

    private static func list<T: Hashable>(
        _ text: String, flag: String, _ parse: (String) throws(BenchmarkArgumentError) -> T
    ) throws(BenchmarkArgumentError) -> [T] {
        var seen = Set<T>()
        var values: [T] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else {
                throw BenchmarkArgumentError(
                    flag: flag, value: text, problem: "empty item in '\(text)'", valid: "comma-separated names")
            }
            let parsed = try parse(item)
            if seen.insert(parsed).inserted { values.append(parsed) }
        }
        return values
    }

    private static func integer(_ text: String?, flag: String, range: ClosedRange<Int>)
        throws(BenchmarkArgumentError) -> Int?
    {
        guard let text else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw BenchmarkArgumentError(
                flag: flag, value: text, problem: "'\(text)' is not an integer in range",
                valid: "integers \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
