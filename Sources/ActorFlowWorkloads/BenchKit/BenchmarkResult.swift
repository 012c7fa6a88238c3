/// One measured configuration — a workload at one size under one policy, worker count and trace level —
/// as a flat record: one JSON object of `results`, one CSV row.
///
/// The fields are the output contract scripts parse (DESIGN.md, "Benchmark and CLI output contract"),
/// in contract order; ``columns`` lists their names.
///
///     let r = report.results[0]
///     print(r.workload, r.policy, r.workers, r.nsPerNodeMedian)   // chain ws-numa 1 31.7
public struct BenchmarkResult: Codable, Sendable, Hashable {
    /// The workload's command-line name (`chain`, `tiled-matmul`, …).
    public var workload: String
    /// What each node of a scheduling shape runs (``WorkloadKernel``'s command-line form: `empty`, `noop`,
    /// `busy:500`, `compute:64`); `builtin` for the compute shapes, whose ops are the library's own.
    public var kernel: String
    /// Ops executed per step.
    public var nodes: Int
    /// The policy's command-line name, or `sequential` for the floor (kernels called in a plain loop).
    public var policy: String
    /// Threads of the dedicated pool the session ran on. `caller` and `swift` do not use the pool (the
    /// caller's thread; Swift's global executor), so for them it only labels the run.
    public var workers: Int
    /// `none`, `software`, `hardware` or `full`.
    public var traceLevel: String
    /// Timed steps.
    public var repetitions: Int
    /// Median over the timed steps of step time divided by ``nodes``, in nanoseconds.
    public var nsPerNodeMedian: Double
    /// 10th percentile of the same.
    public var nsPerNodeP10: Double
    /// 90th percentile of the same.
    public var nsPerNodeP90: Double
    /// Steps per second at the median step time.
    public var stepsPerSecond: Double
    /// The median step time of the same workload, policy and trace level at 1 worker divided by this one's;
    /// `nil` (JSON `null`, an empty CSV field) when 1 worker was not measured.
    public var speedupOver1Worker: Double?
    /// The process's peak resident set size so far, in bytes: process-wide and monotonic (the high-water
    /// mark of everything run before, graph building included), not this configuration's own footprint.
    public var peakRSSBytes: Int
    /// Resident memory the workload added per node — graph, plan and step state — measured after the
    /// configuration's warm-up as the growth of the process's resident set since just before the graph was
    /// built, divided by ``nodes``; `nil` where it could not be read. An upper bound when earlier work left freed
    /// memory in the allocator, a lower bound when it reuses that memory.
    public var residentBytesPerNode: Double?
    /// Steals from a worker on the thief's NUMA node, summed over the timed steps.
    public var localSteals: Int
    /// Steals from a worker on another NUMA node, summed over the timed steps.
    public var remoteSteals: Int
    /// Times a worker went to sleep, summed over the timed steps.
    public var parks: Int

    public init(
        workload: String, kernel: String, nodes: Int, policy: String, workers: Int, traceLevel: String, repetitions: Int,
        nsPerNodeMedian: Double, nsPerNodeP10: Double, nsPerNodeP90: Double, stepsPerSecond: Double,
        speedupOver1Worker: Double?, peakRSSBytes: Int, residentBytesPerNode: Double? = nil, localSteals: Int,
        remoteSteals: Int, parks: Int
    ) {
        self.workload = workload
        self.kernel = kernel
        self.nodes = nodes
        self.policy = policy
        self.workers = workers
        self.traceLevel = traceLevel
        self.repetitions = repetitions
        self.nsPerNodeMedian = nsPerNodeMedian
        self.nsPerNodeP10 = nsPerNodeP10
        self.nsPerNodeP90 = nsPerNodeP90
        self.stepsPerSecond = stepsPerSecond
        self.speedupOver1Worker = speedupOver1Worker
        self.peakRSSBytes = peakRSSBytes
        self.residentBytesPerNode = residentBytesPerNode
        self.localSteals = localSteals
        self.remoteSteals = remoteSteals
        self.parks = parks
    }

    /// The policy name of the sequential floor rows.
    public static let sequentialPolicy = "sequential"

    /// The field names, in contract order: the JSON keys and the CSV header.
    public static let columns: [String] = CodingKeys.allCases.map(\.stringValue)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case workload, kernel, nodes, policy, workers, traceLevel, repetitions, nsPerNodeMedian, nsPerNodeP10
        case nsPerNodeP90, stepsPerSecond, speedupOver1Worker, peakRSSBytes, residentBytesPerNode, localSteals
        case remoteSteals, parks
    }

    /// Encodes every field; a missing speedup is an explicit `null`, so every object has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workload, forKey: .workload)
        try c.encode(kernel, forKey: .kernel)
        try c.encode(nodes, forKey: .nodes)
        try c.encode(policy, forKey: .policy)
        try c.encode(workers, forKey: .workers)
        try c.encode(traceLevel, forKey: .traceLevel)
        try c.encode(repetitions, forKey: .repetitions)
        try c.encode(nsPerNodeMedian, forKey: .nsPerNodeMedian)
        try c.encode(nsPerNodeP10, forKey: .nsPerNodeP10)
        try c.encode(nsPerNodeP90, forKey: .nsPerNodeP90)
        try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
        try c.encode(speedupOver1Worker, forKey: .speedupOver1Worker)
        try c.encode(peakRSSBytes, forKey: .peakRSSBytes)
        try c.encode(residentBytesPerNode, forKey: .residentBytesPerNode)
        try c.encode(localSteals, forKey: .localSteals)
        try c.encode(remoteSteals, forKey: .remoteSteals)
        try c.encode(parks, forKey: .parks)
    }

    /// The field values as JSON literals, in ``columns`` order.
    var jsonValues: [String] {
        let number = BenchmarkReport.jsonNumber
        return [
            BenchmarkReport.jsonString(workload), BenchmarkReport.jsonString(kernel), String(nodes), BenchmarkReport.jsonString(policy), String(workers),
            BenchmarkReport.jsonString(traceLevel), String(repetitions), number(nsPerNodeMedian),
            number(nsPerNodeP10), number(nsPerNodeP90), number(stepsPerSecond),
            speedupOver1Worker.map(number) ?? "null", String(peakRSSBytes),
            residentBytesPerNode.map(number) ?? "null", String(localSteals),
            String(remoteSteals), String(parks),
        ]
    }

    /// The field values as CSV cells, in ``columns`` order.
    public var csvCells: [String] {
        [
            workload, kernel, String(nodes), policy, String(workers), traceLevel, String(repetitions),
            String(nsPerNodeMedian), String(nsPerNodeP10), String(nsPerNodeP90), String(stepsPerSecond),
            speedupOver1Worker.map { String($0) } ?? "", String(peakRSSBytes),
            residentBytesPerNode.map { String($0) } ?? "", String(localSteals),
            String(remoteSteals), String(parks),
        ]
    }

    /// `workload` with its kernel when it has one (`chain/empty`): how the plot and tables group rows.
    public var groupLabel: String { kernel == "builtin" ? workload : "\(workload)/\(kernel)" }
}
