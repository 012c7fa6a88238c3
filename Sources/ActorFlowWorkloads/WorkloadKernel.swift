import ActorFlow
import Dispatch

/// What each node of a scheduling shape (`chain`, `fanout`, `wavefront`, `tree`, `random`) runs: `actorflow
/// bench --kernel` and `actorflow run --kernel`.
///
/// The default, ``empty``, is what a user's op costs the engine: an op that enters its node actor and runs a
/// kernel that does nothing. ``noop`` measures TensorFlow's `NoOp` fast path, which never enters the actor.
///
///     let kernel = try WorkloadKernel(parsing: "busy:500")   // spins 500 ns per node
///     let built = Workload.chain.build(size: 1_000, kernel: kernel)
///     kernel.description                                     // "busy:500"
public enum WorkloadKernel: Sendable, Hashable, CustomStringConvertible {
    /// A custom op with no inputs or outputs whose kernel returns at once (joined by control edges).
    case empty
    /// A `NoOp`: the engine's fast path, which skips the node's actor and kernel when untraced.
    case noop
    /// A kernel that spins for this many nanoseconds (reading the monotonic clock).
    case busy(nanoseconds: Int)
    /// A kernel doing this many float multiply-adds on a small buffer (2 FLOPs each).
    case compute(multiplyAdds: Int)

    /// The longest `busy:` spin and the largest `compute:` count accepted (one second's worth).
    public static let busyLimit = 1_000_000_000
    public static let computeLimit = 1_000_000_000

    /// Parses `empty`, `noop`, `busy:<ns>` or `compute:<n>`.
    ///
    /// - Throws: ``BenchmarkArgumentError`` for `--kernel` naming the bad value and the accepted forms.
    public init(parsing text: String) throws(BenchmarkArgumentError) {
        let valid = "empty, noop, busy:<ns> (1...\(Self.busyLimit)), compute:<n> (1...\(Self.computeLimit))"
        func number(_ digits: Substring, limit: Int) throws(BenchmarkArgumentError) -> Int {
            guard let n = Int(digits), n >= 1, n <= limit else {
                throw BenchmarkArgumentError(
                    flag: "--kernel", value: text, problem: "'\(digits)' is not a whole number in 1...\(limit)",
                    valid: valid)
            }
            return n
        }
        switch text {
        case "empty": self = .empty
        case "noop": self = .noop
        case _ where text.hasPrefix("busy:"):
            self = .busy(nanoseconds: try number(text.dropFirst(5), limit: Self.busyLimit))
        case _ where text.hasPrefix("compute:"):
            self = .compute(multiplyAdds: try number(text.dropFirst(8), limit: Self.computeLimit))
        default:
            throw BenchmarkArgumentError(flag: "--kernel", value: text, problem: "unknown kernel '\(text)'", valid: valid)
        }
    }

    /// The command-line form: `empty`, `noop`, `busy:500`, `compute:64`.
    public var description: String {
        switch self {
        case .empty: "empty"
        case .noop: "noop"
        case .busy(let ns): "busy:\(ns)"
        case .compute(let n): "compute:\(n)"
        }
    }

    /// Floating-point operations per node (2 per multiply-add; 0 for the other kernels).
    public var flopsPerNode: Int {
        if case .compute(let n) = self { return 2 * n }
        return 0
    }

    /// A node running this kernel after `after` (control edges).
    func node(_ g: Graph, after: [Operation]) -> Operation {
        switch self {
        case .noop:
            return g.group(after, name: "n")
        case .empty:
            return g.withControlDependencies(after) { g.customTarget(name: "n", isStateful: false) { _, _ in } }
        case .busy(let ns):
            return g.withControlDependencies(after) {
                g.customTarget(name: "n", isStateful: false) { _, _ in WorkloadKernel.spin(nanoseconds: ns) }
            }
        case .compute(let n):
            return g.withControlDependencies(after) {
                g.customTarget(name: "n", isStateful: false) { _, _ in WorkloadKernel.multiplyAdd(n) }
            }
        }
    }

    /// Spins until `nanoseconds` have passed on the monotonic clock.
    static func spin(nanoseconds: Int) {
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(nanoseconds)
        while DispatchTime.now().uptimeNanoseconds < end {}
    }

    /// `count` multiply-adds over an 8-float buffer held in registers; the result is kept from the optimizer.
    static func multiplyAdd(_ count: Int) {
        var acc = SIMD8<Float>(repeating: 1)
        let scale = SIMD8<Float>(repeating: 0.999_9)
        let offset = SIMD8<Float>(1, 2, 3, 4, 5, 6, 7, 8) * 1e-4
        var done = 0
        while done + 8 <= count {
            acc = acc * scale + offset
            done += 8
        }
        for lane in 0..<(count - done) { acc[lane] = acc[lane] * scale[lane] + offset[lane] }
        keep(acc)
    }

    @inline(never)
    private static func keep(_ value: SIMD8<Float>) {
        if value[0].isNaN { fatalError("multiply-add kernel overflowed") }
    }
}
