import ActorFlow

/// SplitMix64: a tiny seeded generator, so a failing run is replayed from the seed it prints.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A seeded random DAG of int32 vectors with real data edges, and the sequential evaluator it is checked against.
///
/// Node `i` reads only nodes before it: a fed input, a binary or unary built-in op, or a *probe* — a custom op whose
/// kernel sums its inputs (wrapping), records itself in a ``KernelLedger``, and throws or dawdles when the run's
/// control vector names it. Integer ops wrap, so the evaluator's `&+`, `&-`, `&*` give the engine's exact values.
struct RandomDAG: Sendable {
    enum Node: Sendable {
        case input(Int)
        case binary(Binary, Int, Int)
        case unary(Unary, Int)
        case probe([Int])
    }

    enum Binary: CaseIterable, Sendable { case add, sub, mul, maximum, minimum }
    enum Unary: CaseIterable, Sendable { case neg, abs, square }

    /// Elements per value.
    static let width = 4

    let seed: UInt64
    let nodes: [Node]
    let inputCount: Int
    /// The nodes nothing reads: fetching them runs every node.
    let sinks: [Int]
    let probeIDs: [Int]

    /// - Parameters:
    ///   - count: Nodes, inputs included.
    ///   - probeShare: The share of non-input nodes that are probes.
    init(count: Int, seed: UInt64, inputs: Int = 4, probeShare: Double = 0.1) {
        precondition(count > inputs)
        var rng = SplitMix64(seed: seed)
        var nodes: [Node] = (0..<inputs).map { .input($0) }
        var consumed = [Bool](repeating: false, count: count)
        nodes.reserveCapacity(count)
        /// Mostly a recent node (long, deep paths), sometimes any earlier one (wide fan-in and fan-out).
        func pick(_ i: Int) -> Int {
            let j = Double.random(in: 0..<1, using: &rng) < 0.8
                ? Int.random(in: max(0, i - 64)..<i, using: &rng) : Int.random(in: 0..<i, using: &rng)
            consumed[j] = true
            return j
        }
        for i in inputs..<count {
            let roll = Double.random(in: 0..<1, using: &rng)
            if roll < probeShare {
                nodes.append(.probe((0..<Int.random(in: 1...3, using: &rng)).map { _ in pick(i) }))
            } else if roll < probeShare + (1 - probeShare) * 0.75 {
                nodes.append(.binary(Binary.allCases.randomElement(using: &rng)!, pick(i), pick(i)))
            } else {
                nodes.append(.unary(Unary.allCases.randomElement(using: &rng)!, pick(i)))
            }
        }
        self.seed = seed
        self.nodes = nodes
        self.inputCount = inputs
        self.sinks = (inputs..<count).filter { !consumed[$0] }
        self.probeIDs = nodes.indices.filter { if case .probe = nodes[$0] { true } else { false } }
    }

    /// Every node's value for these inputs, computed one node after another.
    func reference(inputs: [[Int32]]) -> [[Int32]] {
        var values: [[Int32]] = []
        values.reserveCapacity(nodes.count)
        for node in nodes {
            switch node {
            case .input(let k): values.append(inputs[k])
            case .binary(let op, let a, let b):
                let x = values[a], y = values[b]
                values.append((0..<Self.width).map { e in
                    switch op {
                    case .add: x[e] &+ y[e]
                    case .sub: x[e] &- y[e]
                    case .mul: x[e] &* y[e]
                    case .maximum: max(x[e], y[e])
                    case .minimum: min(x[e], y[e])
                    }
                })
            case .unary(let op, let a):
                values.append(values[a].map { v in
                    switch op {
                    case .neg: 0 &- v
                    case .abs: v < 0 ? 0 &- v : v
                    case .square: v &* v
                    }
                })
            case .probe(let sources): values.append(Self.probeSum(sources.map { values[$0] }))
            }
        }
        return values
    }

    static func probeSum(_ values: [[Int32]]) -> [Int32] {
        (0..<width).map { e in values.reduce(Int32(0)) { $0 &+ $1[e] } }
    }
}

/// What a probe's kernel throws when the run's control vector names it.
struct InjectedFault: Error, CustomStringConvertible {
    let node: Int
    var description: String { "injected fault at node \(node)" }
}

/// A ``RandomDAG`` built into a graph.
///
/// The control placeholder (`int32 [3]`: run id, faulty probe, slow probe; -1 for none) feeds every probe, so each
/// run decides which probe throws or dawdles without any shared mutable state.
struct BuiltDAG: Sendable {
    let dag: RandomDAG
    let graph: Graph
    let inputs: [Tensor]
    let control: Tensor
    let tensors: [Tensor]
    let fetches: [Tensor]

    /// How long a slow probe dawdles at most, checking for cancellation each millisecond.
    static let slowProbeMillis = 100

    init(_ dag: RandomDAG, ledger: KernelLedger) {
        let g = Graph()
        let inputs = (0..<dag.inputCount).map {
            g.placeholder(.int32, shape: [RandomDAG.width], name: "in\($0)")
        }
        let control = g.placeholder(.int32, shape: [3], name: "control")
        var tensors: [Tensor] = []
        tensors.reserveCapacity(dag.nodes.count)
        for (i, node) in dag.nodes.enumerated() {
            switch node {
            case .input(let k): tensors.append(inputs[k])
            case .binary(let op, let a, let b):
                let x = tensors[a], y = tensors[b]
                let t: Tensor
                switch op {
                case .add: t = g.add(x, y)
                case .sub: t = g.sub(x, y)
                case .mul: t = g.mul(x, y)
                case .maximum: t = g.maximum(x, y)
                case .minimum: t = g.minimum(x, y)
                }
                tensors.append(t)
            case .unary(let op, let a):
                let x = tensors[a]
                switch op {
                case .neg: tensors.append(g.neg(x))
                case .abs: tensors.append(g.abs(x))
                case .square: tensors.append(g.square(x))
                }
            case .probe(let sources):
                let node = i
                let out = g.customOp(
                    name: "probe\(i)", inputs: sources.map { tensors[$0] } + [control],
                    outputs: [(.int32, [RandomDAG.width])]
                ) { values, context in
                    let control = try values[values.count - 1].scalars(as: Int32.self)
                    let run = Int(control[0])
                    ledger.started(run: run, node: node)
                    defer { ledger.finished(run: run, node: node) }
                    if Int(control[1]) == node { throw InjectedFault(node: node) }
                    if Int(control[2]) == node {
                        for _ in 0..<Self.slowProbeMillis {
                            try context.checkCancellation()
                            usleep(1_000)
                        }
                    }
                    let sum = RandomDAG.probeSum(try values.dropLast().map { try $0.scalars(as: Int32.self) })
                    return [try NDArray(shape: [RandomDAG.width], scalars: sum)]
                }
                tensors.append(out[0])
            }
        }
        self.dag = dag
        self.graph = g
        self.inputs = inputs
        self.control = control
        self.tensors = tensors
        self.fetches = dag.sinks.map { tensors[$0] }
    }
}

#if canImport(Glibc)
import Glibc
#endif
