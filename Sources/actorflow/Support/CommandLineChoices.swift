import ActorFlow
import ActorFlowWorkloads

/// The names the command line accepts for workloads, scheduling policies and trace levels (DESIGN.md, "Benchmark
/// and CLI output contract"), each parsed into its type or rejected with a one-line error that lists the valid
/// names.
///
///     try CommandLineChoices.workload("chain")          // .chain
///     try CommandLineChoices.policy("ws")               // .workStealing(numaAware: false)
///     try CommandLineChoices.traceLevel("full")         // .fullTrace
///     CommandLineChoices.traceLevelName(.softwareTrace) // "software"
enum CommandLineChoices {
    /// Every workload name, in the order `Workload.allCases` lists them.
    static let workloadNames = Workload.allCases.map(\.rawValue)
    /// Every policy name, in the order benchmarks report them.
    static let policyNames = SchedulingPolicy.all.map(\.name)
    /// Every trace level name, from the cheapest to the most detailed.
    static let traceLevelNames = levels.map(\.name)

    private static let levels: [(name: String, level: RunOptions.TraceLevel)] = [
        ("none", .noTrace), ("software", .softwareTrace), ("hardware", .hardwareTrace), ("full", .fullTrace),
    ]

    /// The workload called `name`.
    ///
    /// - Throws: ``CommandLineError`` naming `name` and listing the valid workloads.
    static func workload(_ name: String) throws(CommandLineError) -> Workload {
        guard let workload = Workload(rawValue: name) else {
            throw CommandLineError("unknown workload '\(name)'; valid workloads: \(list(workloadNames))")
        }
        return workload
    }

    /// The scheduling policy called `name` (`ws-numa`, `ws`, `global`, `swift`, `caller`).
    ///
    /// - Throws: ``CommandLineError`` naming `name` and listing the valid policies.
    static func policy(_ name: String) throws(CommandLineError) -> SchedulingPolicy {
        guard let policy = SchedulingPolicy(name: name) else {
            throw CommandLineError("unknown policy '\(name)'; valid policies: \(list(policyNames))")
        }
        return policy
    }

    /// The trace level called `name` (`none`, `software`, `hardware`, `full`).
    ///
    /// - Throws: ``CommandLineError`` naming `name` and listing the valid levels.
    static func traceLevel(_ name: String) throws(CommandLineError) -> RunOptions.TraceLevel {
        guard let match = levels.first(where: { $0.name == name }) else {
            throw CommandLineError("unknown trace level '\(name)'; valid levels: \(list(traceLevelNames))")
        }
        return match.level
    }

    /// The command-line name of `level`; a level from newer bytes that has none is shown by its number.
    static func traceLevelName(_ level: RunOptions.TraceLevel) -> String {
        levels.first { $0.level == level }?.name ?? "level \(level.rawValue)"
    }

    /// Splits a comma-separated list (`--trace none,software`) and parses each element with `parse`.
    ///
    /// - Throws: ``CommandLineError`` for an empty list or element, or whatever `parse` throws.
    static func list<T>(_ text: String, of what: String, _ parse: (String) throws(CommandLineError) -> T)
        throws(CommandLineError) -> [T]
    {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw CommandLineError("empty \(what) in '\(text)'; separate names with single commas")
        }
        var parsed: [T] = []
        for part in parts { parsed.append(try parse(part)) }
        return parsed
    }

    private static func list(_ names: [String]) -> String {
        names.joined(separator: ", ")
    }
}
