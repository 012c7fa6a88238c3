import Foundation

/// The stress suite's size, from the environment: `ACTORFLOW_STRESS_SCALE` (default 1, what `make test` runs; CI
/// sets a moderate 20) and `ACTORFLOW_STRESS_HANG_SECONDS` (default 300: how long a scenario may go without
/// finishing before the watchdog calls it a hang).
enum StressScale {
    static let scale: Int = max(1, environment("ACTORFLOW_STRESS_SCALE") ?? 1)

    /// Graph sizes: a small one, a middle one and one that grows with the scale up to 10^5 nodes.
    static let sizes: [Int] = Array(Set([64, 1_000, min(100_000, 5_000 * scale)])).sorted()

    /// Runs of one scenario on a graph of `nodes` nodes: more for small graphs, at least two.
    static func runs(nodes: Int) -> Int {
        max(2, min(10 * scale, 20_000 * scale / nodes))
    }

    static let hangLimit: Duration = .seconds(environment("ACTORFLOW_STRESS_HANG_SECONDS") ?? 300)

    /// The seed of everything random; printed with every failure so a run can be replayed.
    static let seed: UInt64 = UInt64(environment("ACTORFLOW_STRESS_SEED") ?? 0x5EED_AF15)

    private static func environment(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
    }
}
