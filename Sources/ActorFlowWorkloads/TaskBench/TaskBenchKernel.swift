/// What each Task Bench task computes, and how much work that counts as (the paper's kernels).
///
/// | kind | one iteration | work counted |
/// |---|---|---|
/// | `empty` | nothing | none (rates are tasks per second) |
/// | `busy_wait` | one integer multiply-modulo step | iterations |
/// | `compute_bound` | a multiply-add on each of 64 doubles | 2 × 64 FLOPs per iteration, + 64 for the final sum |
/// | `memory_bound` | one pass over a `1/samples` slice of the task's scratch buffer | the slice's bytes |
/// | `load_imbalance` | as `compute_bound`, with each task's iterations scaled by a seeded factor in `[1 − imbalance/2, 1 + imbalance/2]` | its FLOPs |
///
///     let kernel = TaskBenchKernel(kind: .compute_bound)
///     kernel.work(iterations: 100, step: 0, column: 0)     // 12_864 FLOPs
///     _ = TaskBenchKernel.computeBound(iterations: 100)     // runs it
public struct TaskBenchKernel: Sendable, Hashable {
    /// The kernels' names, as the paper spells them.
    public enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case empty
        case busy_wait
        case compute_bound
        case memory_bound
        case load_imbalance

        public var description: String { rawValue }

        /// The unit of ``TaskBenchKernel/work(iterations:step:column:)``: `FLOP`, `B`, `iterations`, or `tasks`
        /// for `empty`.
        public var workUnit: String {
            switch self {
            case .empty: "tasks"
            case .busy_wait: "iterations"
            case .compute_bound, .load_imbalance: "FLOP"
            case .memory_bound: "B"
            }
        }

        /// Whether the kernel's cost grows with its iterations (all but `empty`): only those can be swept.
        public var hasGranularity: Bool { self != .empty }
    }

    /// The kernel.
    public var kind: Kind
    /// `memory_bound`: the bytes of each task's scratch buffer (Task Bench's `-scratch`).
    public var scratchBytes: Int
    /// `memory_bound`: how many slices the scratch buffer is walked in (Task Bench's `-sample`).
    public var samples: Int
    /// `load_imbalance`: the spread of the per-task factor, `0...2` (Task Bench's `-imbalance`).
    public var imbalance: Double
    /// The seed of `load_imbalance`'s factors.
    public var seed: UInt64

    /// The doubles `compute_bound` works on.
    public static let computeLanes = 64

    public init(
        kind: Kind, scratchBytes: Int = 64 * 1024, samples: Int = 16, imbalance: Double = 1, seed: UInt64 = 42
    ) {
        self.kind = kind
        self.samples = max(1, samples)
        self.scratchBytes = max(self.samples * 8, scratchBytes / (8 * self.samples) * 8 * self.samples)
        self.imbalance = min(max(imbalance, 0), 2)
        self.seed = seed
    }

    /// The iterations the task at (`step`, `column`) runs when the graph's setting is `iterations` (the same for
    /// every task except under `load_imbalance`).
    public func iterations(_ iterations: Int, step: Int, column: Int) -> Int {
        guard kind == .load_imbalance else { return iterations }
        var h = seed ^ (UInt64(truncatingIfNeeded: step) &* 0x9E37_79B9_7F4A_7C15)
        h = (h ^ UInt64(truncatingIfNeeded: column)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        let uniform = Double(h >> 11) / Double(1 << 53)
        return Int((Double(iterations) * (1 + imbalance * (uniform - 0.5))).rounded())
    }

    /// The work one task does, in ``Kind/workUnit`` (`empty`: 1, one task).
    public func work(iterations: Int, step: Int, column: Int) -> Double {
        let n = Double(self.iterations(iterations, step: step, column: column))
        switch kind {
        case .empty: return 1
        case .busy_wait: return n
        case .compute_bound, .load_imbalance: return 2 * Double(Self.computeLanes) * n + Double(Self.computeLanes)
        case .memory_bound: return Double(scratchBytes / samples) * n
        }
    }

    /// The work of every task of `shape` at `iterations`.
    public func totalWork(_ shape: TaskBenchGraphShape, iterations: Int) -> Double {
        var total = 0.0
        for step in 0..<shape.steps {
            for column in shape.activeColumns(step: step) {
                total += work(iterations: iterations, step: step, column: column)
            }
        }
        return total
    }

    // MARK: The kernels themselves

    /// `busy_wait`: `iterations` dependent integer steps; returns the result so the loop is not optimized away.
    @inline(never)
    public static func busyWait(iterations: Int) -> Int64 {
        var acc: Int64 = 113
        for _ in 0..<max(0, iterations) { acc = acc &* 139 % 2_147_483_647 }
        return acc
    }

    /// `compute_bound`: `iterations` multiply-adds on each of 64 doubles (eight independent 8-wide vectors), then
    /// their sum. Returns the sum so the loop is not optimized away.
    @inline(never)
    public static func computeBound(iterations: Int) -> Double {
        let m = SIMD8<Double>(repeating: 0.999_999), c = SIMD8<Double>(repeating: 1e-6)
        var a0 = SIMD8<Double>(repeating: 1.0), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3
        var a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6, a7 = a0 + 7
        for _ in 0..<max(0, iterations) {
            a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c
            a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c
        }
        return ((a0 + a1) + (a2 + a3) + ((a4 + a5) + (a6 + a7))).sum()
    }

    /// `memory_bound`: `iterations` passes, each adding 1 to every word of one slice of `scratch` (slices taken in
    /// turn, starting at `step`'s). Returns a word of the buffer so the passes are not optimized away.
    @inline(never)
    public static func memoryBound(iterations: Int, scratch: inout [UInt64], samples: Int, step: Int) -> UInt64 {
        let slice = scratch.count / max(1, samples)
        guard slice > 0 else { return 0 }
        for i in 0..<max(0, iterations) {
            let start = ((step + i) % samples) * slice
            for w in start..<(start + slice) { scratch[w] &+= 1 }
        }
        return scratch[0]
    }
}
