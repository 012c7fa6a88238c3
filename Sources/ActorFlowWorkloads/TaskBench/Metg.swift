import Foundation

/// One timed point of a METG sweep: a kernel iteration count and what running the graph at it measured.
public struct MetgMeasurement: Sendable, Hashable {
    /// The kernel's iterations per task.
    public var iterations: Int
    /// Wall time of the timed runs, nanoseconds.
    public var elapsedNanos: Double
    /// Tasks executed in that time.
    public var tasks: Int
    /// Work done in that time, in the kernel's unit (FLOPs, bytes, iterations; tasks for `empty`).
    public var work: Double

    public init(iterations: Int, elapsedNanos: Double, tasks: Int, work: Double) {
        self.iterations = iterations
        self.elapsedNanos = elapsedNanos
        self.tasks = tasks
        self.work = work
    }

    /// Work per second.
    public var rate: Double { elapsedNanos > 0 ? work / elapsedNanos * 1e9 : 0 }

    /// Task granularity in microseconds as Task Bench defines it: elapsed time × workers / tasks.
    public func taskMicros(workers: Int) -> Double {
        tasks > 0 ? elapsedNanos / 1000 * Double(max(1, workers)) / Double(tasks) : 0
    }
}

/// A point of an efficiency curve, as reports carry it.
public struct MetgPoint: Codable, Sendable, Hashable {
    /// The kernel's iterations per task.
    public var iterations: Int
    /// Task granularity, µs (elapsed × workers / tasks).
    public var taskMicros: Double
    /// Achieved rate over the sweep's peak rate, `0...1` (a little above 1 only through rounding).
    public var efficiency: Double

    public init(iterations: Int, taskMicros: Double, efficiency: Double) {
        self.iterations = iterations
        self.taskMicros = taskMicros
        self.efficiency = efficiency
    }
}

/// The METG arithmetic (Slaughter et al., SC'20, "minimum effective task granularity"), as pure functions so that
/// they can be checked on synthetic curves.
///
/// Efficiency is the rate a point achieves (FLOP/s for `compute_bound`) over the peak rate, here the best rate of
/// the sweep (reached at the largest granularities, where overheads vanish; taking the best rather than the
/// largest point's keeps one noisy large point from pushing other points above 100%). METG(x) is the smallest task
/// granularity at which efficiency is still at least x: walking from the most efficient point towards smaller
/// granularities, the first point below x and its larger neighbour bracket the crossing, interpolated linearly in
/// efficiency on a log scale of granularity. (Starting at the most efficient point rather than the largest
/// granularity keeps one slow sample at the top of the sweep, on a busy machine, from voiding the whole curve.)
///
///     let points = [MetgPoint(iterations: 1000, taskMicros: 100, efficiency: 1.0),
///                   MetgPoint(iterations: 10, taskMicros: 2, efficiency: 0.8),
///                   MetgPoint(iterations: 1, taskMicros: 0.8, efficiency: 0.2)]
///     Metg.granularity(atEfficiency: 0.5, in: points)    // ≈ 1.26 µs, between 0.8 and 2 µs
public enum Metg {
    /// The curve of `measurements` with `workers` workers: the peak rate and one point per measurement, from the
    /// largest granularity to the smallest.
    public static func curve(_ measurements: [MetgMeasurement], workers: Int) -> (peak: Double, points: [MetgPoint]) {
        let peak = measurements.map(\.rate).max() ?? 0
        let points = measurements.map { m in
            MetgPoint(
                iterations: m.iterations, taskMicros: m.taskMicros(workers: workers),
                efficiency: peak > 0 ? m.rate / peak : 0)
        }
        return (peak, points.sorted { $0.taskMicros > $1.taskMicros })
    }

    /// The granularity (µs) at which the curve crosses `threshold` (a fraction: 0.5 for METG(50%)).
    ///
    /// - Returns: the interpolated crossing; the smallest granularity measured when every point from the most
    ///   efficient one down reaches `threshold` (the true METG is at most that); `nil` when no point does, or for no
    ///   points.
    public static func granularity(atEfficiency threshold: Double, in points: [MetgPoint]) -> Double? {
        let all = points.filter { $0.taskMicros > 0 }.sorted { $0.taskMicros > $1.taskMicros }
        guard let top = all.indices.max(by: { all[$0].efficiency < all[$1].efficiency }),
            all[top].efficiency >= threshold
        else { return nil }
        let sorted = Array(all[top...])
        for (above, below) in zip(sorted, sorted.dropFirst()) where below.efficiency < threshold {
            let span = above.efficiency - below.efficiency
            let t = span > 0 ? (above.efficiency - threshold) / span : 0
            let logG = log(above.taskMicros) + t * (log(below.taskMicros) - log(above.taskMicros))
            return exp(logG)
        }
        return sorted.last?.taskMicros
    }

    /// Whether the curve actually crossed `threshold` (some point fell below it after the largest reached it).
    public static func crosses(_ threshold: Double, in points: [MetgPoint]) -> Bool {
        let sorted = points.filter { $0.taskMicros > 0 }.sorted { $0.taskMicros > $1.taskMicros }
        guard let top = sorted.indices.max(by: { sorted[$0].efficiency < sorted[$1].efficiency }),
            sorted[top].efficiency >= threshold
        else { return false }
        return sorted[top...].contains { $0.efficiency < threshold }
    }
}
