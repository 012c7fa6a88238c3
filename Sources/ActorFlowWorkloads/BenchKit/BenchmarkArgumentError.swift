/// A bad value given to `actorflow bench`: the flag, the value, and what would have been accepted.
///
///     do {
///         _ = try BenchmarkPlan(workloads: "chain,loop", cpuCount: 2)
///     } catch {
///         print(error)
///         // --workloads: unknown workload 'loop'; valid: chain, fanout, wavefront, tree, random, …
///     }
public struct BenchmarkArgumentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The flag the value was given to, with its dashes (`--workloads`).
    public let flag: String
    /// The offending value as typed (one item of a list).
    public let value: String
    /// What is wrong with it.
    public let problem: String
    /// The accepted values or range, as shown to the user.
    public let valid: String

    public init(flag: String, value: String, problem: String, valid: String) {
        self.flag = flag
        self.value = value
        self.problem = problem
        self.valid = valid
    }

    /// One line: `--flag: problem; valid: …`.
    public var description: String { "\(flag): \(problem); valid: \(valid)" }
}
