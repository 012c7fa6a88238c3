/// A Task Bench dependence pattern (Slaughter et al., SC'20): which tasks of step `t − 1` each task of step `t`
/// depends on, in a grid of `width` columns by `steps` rows.
///
/// The names and definitions follow the paper and its reference implementation: column `p` of step `t` depends on
/// the columns listed below of step `t − 1`, restricted to the columns that exist at `t − 1` (``activeColumns``;
/// only `dom` and `tree` change the grid's active width from step to step). Step 0 has no dependencies.
///
/// | pattern | dependencies of column `p` (width `W`) |
/// |---|---|
/// | `trivial` | none |
/// | `no_comm` | `p` |
/// | `stencil_1d` | `p − 1`, `p`, `p + 1` (clipped to `0..<W`) |
/// | `stencil_1d_periodic` | `p − 1`, `p`, `p + 1`, wrapping around |
/// | `dom` | `p − 1`, `p`; step `t` covers columns `max(0, t + W − T) ..< +min(W, t + 1, T − t)` |
/// | `tree` | `p / 2`; step `t` covers columns `0 ..< min(W, 2^t)` |
/// | `fft` | `p − 2^d`, `p`, `p + 2^d` (those in range), `d = (t − 1) mod ⌈log2 W⌉` |
/// | `all_to_all` | every column |
/// | `nearest` | `p − ⌊r/2⌋ … p + ⌊(r − 1)/2⌋` (radix `r`, clipped) |
/// | `spread` | `(p + i·W/r + (i > 0 ? d : 0)) mod W` for `i < r`, `d = t mod period` |
/// | `random_nearest` | the `nearest` window, each column kept with probability `fraction` (seeded), `p` always |
///
///     let graph = TaskBenchGraphShape(pattern: .stencil_1d, width: 4, steps: 3)
///     graph.dependencies(step: 1, column: 0)     // [0, 1]
///     graph.dependencies(step: 0, column: 2)     // []: the first step has no inputs
public enum TaskBenchPattern: String, CaseIterable, Sendable, CustomStringConvertible {
    case trivial
    case no_comm
    case stencil_1d
    case stencil_1d_periodic
    case dom
    case tree
    case fft
    case all_to_all
    case nearest
    case spread
    case random_nearest

    /// The name used on the command line and in reports (the paper's).
    public var description: String { rawValue }

    /// Whether the pattern reads `radix`.
    public var usesRadix: Bool { self == .nearest || self == .spread || self == .random_nearest }
}

/// The shape of one Task Bench task graph: its pattern, size and the pattern's parameters. A pure description:
/// it answers which columns exist at each step and which tasks each task depends on, and builds nothing.
///
///     let shape = TaskBenchGraphShape(pattern: .nearest, width: 8, steps: 10, radix: 5)
///     shape.dependencies(step: 3, column: 0)      // [0, 1, 2]
///     shape.taskCount                             // 80
public struct TaskBenchGraphShape: Sendable, Hashable {
    /// The dependence pattern.
    public var pattern: TaskBenchPattern
    /// Columns (the paper's `max_width`).
    public var width: Int
    /// Rows (the paper's `timesteps`).
    public var steps: Int
    /// The window size of `nearest` and `random_nearest`, the fan-in of `spread` (Task Bench's default: 3).
    public var radix: Int
    /// How many steps the `spread` and `random_nearest` patterns cycle through (Task Bench's default: 3).
    public var period: Int
    /// The probability that `random_nearest` keeps a column of the window (Task Bench's default: 0.25).
    public var fraction: Double
    /// The seed of `random_nearest`'s choices.
    public var seed: UInt64

    public init(
        pattern: TaskBenchPattern, width: Int, steps: Int, radix: Int = 3, period: Int = 3, fraction: Double = 0.25,
        seed: UInt64 = 42
    ) {
        self.pattern = pattern
        self.width = max(1, width)
        self.steps = max(1, steps)
        self.radix = max(0, radix)
        self.period = max(1, period)
        self.fraction = fraction
        self.seed = seed
    }

    /// The columns that hold a task at `step` (all of `0..<width` except for `dom` and `tree`; empty outside
    /// `0..<steps`).
    public func activeColumns(step: Int) -> Range<Int> {
        guard step >= 0, step < steps else { return 0..<0 }
        switch pattern {
        case .dom:
            let offset = max(0, step + width - steps)
            let count = min(width, step + 1, steps - step)
            return offset..<(offset + count)
        case .tree:
            let count = step >= 62 ? width : min(width, 1 << step)
            return 0..<count
        default:
            return 0..<width
        }
    }

    /// How many tasks the graph has: the active columns summed over the steps.
    public var taskCount: Int {
        (0..<steps).reduce(0) { $0 + activeColumns(step: $1).count }
    }

    /// The number of distinct dependence sets `fft` cycles through: `⌈log2 width⌉` (at least 1).
    var fftSets: Int {
        var sets = 0
        while (1 << sets) < width { sets += 1 }
        return max(1, sets)
    }

    /// The columns of `step − 1` that the task at (`step`, `column`) depends on, ascending and without repeats,
    /// restricted to the columns active at `step − 1`. Empty for step 0 and for a column not active at `step`.
    public func dependencies(step: Int, column p: Int) -> [Int] {
        guard step > 0, activeColumns(step: step).contains(p) else { return [] }
        let previous = activeColumns(step: step - 1)
        let w = width
        var candidates: [Int]
        switch pattern {
        case .trivial:
            candidates = []
        case .no_comm:
            candidates = [p]
        case .stencil_1d:
            candidates = Array(max(0, p - 1)...min(p + 1, w - 1))
        case .stencil_1d_periodic:
            candidates = Array(max(0, p - 1)...min(p + 1, w - 1))
            if p - 1 < 0 { candidates.append(w - 1) }
            if p + 1 >= w { candidates.append(0) }
        case .dom:
            candidates = [max(0, p - 1), p]
        case .tree:
            candidates = [p / 2]
        case .fft:
            let stride = 1 << ((step - 1) % fftSets)
            candidates = [p - stride, p, p + stride].filter { $0 >= 0 && $0 < w }
        case .all_to_all:
            candidates = Array(0..<w)
        case .nearest:
            candidates = radix > 0 ? Array(max(0, p - radix / 2)...min(p + (radix - 1) / 2, w - 1)) : []
        case .spread:
            let set = step % period
            candidates = (0..<radix).map { i in (p + i * w / radix + (i > 0 ? set : 0)) % w }
        case .random_nearest:
            guard radix > 0 else { candidates = []; break }
            let set = step % period
            candidates = (max(0, p - radix / 2)...min(p + (radix - 1) / 2, w - 1)).filter { dep in
                dep == p || randomUniform(set: set, column: p, dependency: dep) < fraction
            }
        }
        var seen = Set<Int>()
        return candidates.filter { previous.contains($0) && seen.insert($0).inserted }.sorted()
    }

    /// A uniform number in `[0, 1)` fixed by the seed, the radix, the dependence set and the pair of columns.
    private func randomUniform(set: Int, column: Int, dependency: Int) -> Double {
        var h = seed ^ 0x9E37_79B9_7F4A_7C15
        for v in [UInt64(radix), UInt64(set), UInt64(column), UInt64(dependency)] {
            h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            h = h &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return Double(h >> 11) / Double(1 << 53)
    }
}
