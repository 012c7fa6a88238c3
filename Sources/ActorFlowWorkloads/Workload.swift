import ActorFlow

/// A standard DAG shape for benchmarks and scheduler research, built through the public graph API.
///
/// The scheduling shapes (`chain`, `fanout`, `wavefront`, `tree`, `random`) are graphs of nodes joined by
/// control edges, each running a ``WorkloadKernel`` (by default ``WorkloadKernel/empty``: an op that enters its
/// actor and runs a kernel doing nothing), so a run measures the scheduler and the firing path. The compute
/// shapes (`tiledMatMul`, `mlp`, `mapReduce`, `addChain`) do real floating-point work with built-in ops.
///
///     let built = Workload.chain.build(size: 100_000)
///     try Session(graph: built.graph).run(built.targets)
public enum Workload: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `size` nodes in a line: no parallelism, pure per-node overhead.
    case chain
    /// One source, `size` independent nodes, one sink: maximal parallelism.
    case fanout
    /// A `size × size` grid where each node waits for its left and upper neighbours.
    case wavefront
    /// A binary fork tree of depth `size` (`2^size − 1` nodes).
    case tree
    /// `size` nodes, each waiting for up to three random earlier nodes (seeded).
    case random
    /// `C = A·B` for `size × size` matrices split in 64×64 tiles: one matMul per tile product plus sums.
    case tiledMatMul = "tiled-matmul"
    /// A three-layer perceptron forward pass on a batch of `size` rows.
    case mlp
    /// `size` map ops over vector chunks, reduced by a tree of adds.
    case mapReduce = "map-reduce"
    /// TensorFlow's own kind of small-op graph: `size` scalar float32 `add`s in a line, each adding the fed
    /// placeholder `x` to the previous sum; the last sum is fetched. `Benchmarks/compare/` builds the same
    /// graph in TensorFlow.
    case addChain = "add-chain"
    /// I/O mixed with compute: `size` 128×128 float32 tiles written as `.npy` files to a temporary directory
    /// when the workload is built (and removed with it), each read by an asynchronous `readFile`, multiplied by
    /// a shared weight matrix and summed; the sums are added up. Reads wait without holding a worker.
    case ioMix = "io-mix"

    /// The command-line name.
    public var description: String { rawValue }

    /// The size used when none is given: chain/fan-out/random 100k, wavefront 256, tree depth 17.
    public var defaultSize: Int {
        switch self {
        case .chain, .fanout, .random: 100_000
        case .wavefront: 256
        case .tree: 17
        case .tiledMatMul: 512
        case .mlp: 256
        case .mapReduce: 256
        case .addChain: 10_000
        case .ioMix: 64
        }
    }

    /// A size small enough for `--quick` runs: `actorflow bench --quick` finishes in seconds in a release
    /// build and well under a minute in a debug build on 2 cores.
    public var quickSize: Int {
        switch self {
        case .chain, .fanout, .random: 10_000
        case .wavefront: 64
        case .tree: 12
        case .tiledMatMul: 128
        case .mlp: 4
        case .mapReduce: 32
        case .addChain: 1_000
        case .ioMix: 8
        }
    }

    /// The sizes ``build(size:seed:)`` accepts: at least 1, and at most what fits comfortably in memory
    /// (about ten million scheduling nodes; a few hundred megabytes of constants for the compute shapes).
    ///
    ///     Workload.tree.sizeLimit        // 1...23  (a depth: 2^23 − 1 nodes)
    ///     Workload.wavefront.sizeLimit   // 1...3162  (a side: side² nodes)
    public var sizeLimit: ClosedRange<Int> {
        switch self {
        case .chain, .fanout, .random: 1...10_000_000
        case .wavefront: 1...3162
        case .tree: 1...23
        case .tiledMatMul: 1...2048
        case .mlp: 1...65_536
        case .mapReduce: 1...16_384
        case .addChain: 1...10_000_000
        case .ioMix: 1...4_096
        }
    }

    /// What `size` means for this workload, for help texts and error messages.
    public var sizeMeaning: String {
        switch self {
        case .chain, .fanout, .random: "nodes"
        case .wavefront: "grid side"
        case .tree: "tree depth"
        case .tiledMatMul: "matrix side (64×64 tiles)"
        case .mlp: "batch rows"
        case .mapReduce: "chunks"
        case .addChain: "adds"
        case .ioMix: "tiles (128×128 .npy files)"
        }
    }

    /// Whether the workload is a scheduling shape, whose nodes run a ``WorkloadKernel``.
    public var takesKernel: Bool {
        switch self {
        case .chain, .fanout, .wavefront, .tree, .random: true
        case .tiledMatMul, .mlp, .mapReduce, .addChain, .ioMix: false
        }
    }

    /// Builds the workload's graph at `size` (clamped to ``sizeLimit``); the scheduling shapes' nodes run
    /// `kernel` (the compute shapes ignore it). With `tasks` > 1, `tiledMatMul` places its output rows round-robin
    /// on `/job:worker/task:0…tasks-1` (for a cluster session); the other workloads stay on the client.
    public func build(size: Int, seed: UInt64 = 42, kernel: WorkloadKernel = .empty, tasks: Int = 1) -> BuiltWorkload {
        let size = min(max(size, sizeLimit.lowerBound), sizeLimit.upperBound)
        let g = Graph()
        let shapes = WorkloadShapes(kernel: kernel)
        switch self {
        case .chain: return shapes.chain(g, size)
        case .fanout: return shapes.fanout(g, size)
        case .wavefront: return shapes.wavefront(g, size)
        case .tree: return shapes.tree(g, size)
        case .random: return shapes.random(g, size, seed: seed)
        case .tiledMatMul: return WorkloadComputations.tiledMatMul(g, size, seed: seed, tasks: tasks)
        case .mlp: return WorkloadComputations.mlp(g, size, seed: seed)
        case .mapReduce: return WorkloadComputations.mapReduce(g, size, seed: seed)
        case .addChain: return WorkloadComputations.addChain(g, size)
        case .ioMix: return WorkloadComputations.ioMix(g, size, seed: seed)
        }
    }
}
