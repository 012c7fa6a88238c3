import ActorFlow

/// The compute shapes: real floating-point kernels.
enum WorkloadComputations {
    private static func matrix(_ rows: Int, _ cols: Int, _ rng: inout WorkloadRandom) -> NDArray {
        // The element count matches the shape by construction.
        try! NDArray(shape: [rows, cols], scalars: (0..<(rows * cols)).map { _ in rng.nextFloat() })
    }

    /// Output tile row `i` (and the A tiles it reads) on task `i % tasks`; each task holds its own copy of B (the
    /// same values), so only the result tiles cross between tasks.
    static func tiledMatMul(_ g: Graph, _ n: Int, seed: UInt64, tasks: Int = 1) -> BuiltWorkload {
        var rng = WorkloadRandom(seed: seed)
        let tile = 64
        let tiles = max(1, n / tile)
        func onTask<R>(_ row: Int, _ body: () -> R) -> R {
            tasks > 1 ? g.withDevice("/job:worker/task:\(row % tasks)", body) : body()
        }
        let a = (0..<tiles).map { i in onTask(i) { (0..<tiles).map { _ in g.constant(matrix(tile, tile, &rng)) } } }
        let bValues = (0..<tiles).map { _ in (0..<tiles).map { _ in matrix(tile, tile, &rng) } }
        let bCopies = (0..<max(1, min(tasks, tiles))).map { task in
            onTask(task) { bValues.map { row in row.map { g.constant($0) } } }
        }
        var outputs: [Tensor] = []
        for i in 0..<tiles {
            for j in 0..<tiles {
                let b = bCopies[i % bCopies.count]
                outputs.append(onTask(i) {
                    var sum = g.matMul(a[i][0], b[0][j])
                    for k in 1..<max(tiles, 1) where tiles > 1 { sum = g.add(sum, g.matMul(a[i][k], b[k][j])) }
                    return sum
                })
            }
        }
        return BuiltWorkload(graph: g, targets: [], fetches: outputs, nodeCount: g.version)
    }

    static func mlp(_ g: Graph, _ batch: Int, seed: UInt64) -> BuiltWorkload {
        var rng = WorkloadRandom(seed: seed)
        let widths = [256, 512, 512, 10]
        let x = g.placeholder(.float32, shape: [nil, widths[0]], name: "x")
        var h = x
        for l in 1..<widths.count {
            let w = g.constant(matrix(widths[l - 1], widths[l], &rng), name: "w\(l)")
            let b = g.constant(NDArray([Float](repeating: 0.01, count: widths[l])), name: "b\(l)")
            h = g.add(g.matMul(h, w), b)
            h = l == widths.count - 1 ? g.softmax(h) : g.relu(h)
        }
        let input = matrix(max(batch, 1), widths[0], &rng)
        return BuiltWorkload(
            graph: g, targets: [], fetches: [h], feedValues: [x: input], nodeCount: g.version - 1)
    }

    static func mapReduce(_ g: Graph, _ chunks: Int, seed: UInt64) -> BuiltWorkload {
        var rng = WorkloadRandom(seed: seed)
        let n = max(chunks, 1)
        var level = (0..<n).map { _ -> Tensor in
            let chunk = g.constant(NDArray((0..<4096).map { _ in rng.nextFloat() }))
            return g.reduceSum(g.square(g.tanh(chunk)))
        }
        while level.count > 1 {
            var next: [Tensor] = []
            for i in stride(from: 0, to: level.count, by: 2) {
                next.append(i + 1 < level.count ? g.add(level[i], level[i + 1]) : level[i])
            }
            level = next
        }
        return BuiltWorkload(graph: g, targets: [], fetches: level, nodeCount: g.version)
    }

    static func addChain(_ g: Graph, _ adds: Int) -> BuiltWorkload {
        let x = g.placeholder(.float32, shape: [], name: "x")
        var sum = x
        for _ in 0..<max(adds, 1) { sum = g.add(sum, x) }
        return BuiltWorkload(
            graph: g, targets: [], fetches: [sum], feedValues: [x: NDArray(Float(1))], nodeCount: g.version - 1)
    }

    /// `tiles` 128×128 float32 tiles written as `.npy` files when the workload is built, each read by `readFile`
    /// (asynchronous: the worker runs other ops while a read waits), multiplied by a shared 128×128 weight
    /// matrix and summed; the sums are added up. I/O and compute overlap.
    static func ioMix(_ g: Graph, _ tiles: Int, seed: UInt64) -> BuiltWorkload {
        var rng = WorkloadRandom(seed: seed)
        let side = 128
        let n = max(tiles, 1)
        // `matrix` builds a matching shape, which NumPyFile.encode always stores (float32).
        let contents = (0..<n).map { _ in try! NumPyFile.encode(matrix(side, side, &rng)) }
        let files = TileFiles(prefix: "io-mix", contents: contents) { "tile-\($0).npy" }
        let weights = g.constant(matrix(side, side, &rng), name: "weights")
        let sums = files.paths.enumerated().map { i, path in
            let tile = g.readFile(path, format: .npy(.float32, shape: [side, side]), name: "read\(i)")
            return g.reduceSum(g.matMul(tile, weights))
        }
        let total = sums.dropFirst().reduce(sums[0]) { g.add($0, $1) }
        return BuiltWorkload(graph: g, targets: [], fetches: [total], nodeCount: g.version, files: files)
    }
}
