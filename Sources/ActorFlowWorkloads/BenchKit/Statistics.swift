/// Order statistics of benchmark samples.
///
/// Percentiles interpolate linearly between the two nearest ranks (NumPy's default, "type 7"): for `n`
/// sorted samples the `p`-th percentile sits at rank `p · (n − 1)`.
///
///     let s = Statistics(samples: [5, 1, 4, 2, 3])
///     s.median     // 3.0
///     s.p10        // 1.4
///     s.p90        // 4.6
public struct Statistics: Sendable, Hashable {
    /// The samples, ascending.
    public let sorted: [Double]

    /// Summarizes `samples`, which must not be empty.
    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "statistics of no samples")
        sorted = samples.sorted()
    }

    /// The 50th percentile.
    public var median: Double { percentile(50) }
    /// The 10th percentile.
    public var p10: Double { percentile(10) }
    /// The 90th percentile.
    public var p90: Double { percentile(90) }
    /// The smallest sample.
    public var minimum: Double { sorted[0] }
    /// The largest sample.
    public var maximum: Double { sorted[sorted.count - 1] }

    /// The `p`-th percentile, `p` in 0...100 (clamped).
    public func percentile(_ p: Double) -> Double {
        let rank = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
