import ActorFlow

/// The scheduling shapes: nodes running a ``WorkloadKernel`` joined by control edges.
struct WorkloadShapes {
    let kernel: WorkloadKernel

    /// A node that runs after `after`.
    private func node(_ g: Graph, after: [Operation]) -> Operation {
        kernel.node(g, after: after)
    }

    func chain(_ g: Graph, _ n: Int) -> BuiltWorkload {
        var last = node(g, after: [])
        for _ in 1..<max(n, 1) { last = node(g, after: [last]) }
        return BuiltWorkload(graph: g, targets: [last], fetches: [], nodeCount: max(n, 1))
    }

    func fanout(_ g: Graph, _ n: Int) -> BuiltWorkload {
        let source = node(g, after: [])
        let middle = (0..<max(n, 1)).map { _ in node(g, after: [source]) }
        let sink = node(g, after: middle)
        return BuiltWorkload(graph: g, targets: [sink], fetches: [], nodeCount: middle.count + 2)
    }

    func wavefront(_ g: Graph, _ side: Int) -> BuiltWorkload {
        let w = max(side, 1)
        var previousRow: [Operation] = []
        var row: [Operation] = []
        for i in 0..<w {
            row = []
            row.reserveCapacity(w)
            for j in 0..<w {
                var deps: [Operation] = []
                if i > 0 { deps.append(previousRow[j]) }
                if j > 0 { deps.append(row[j - 1]) }
                row.append(node(g, after: deps))
            }
            previousRow = row
        }
        return BuiltWorkload(graph: g, targets: [row[w - 1]], fetches: [], nodeCount: w * w)
    }

    func tree(_ g: Graph, _ depth: Int) -> BuiltWorkload {
        var level = [node(g, after: [])]
        var count = 1
        for _ in 1..<max(depth, 1) {
            level = level.flatMap { parent in [node(g, after: [parent]), node(g, after: [parent])] }
            count += level.count
        }
        return BuiltWorkload(graph: g, targets: level, fetches: [], nodeCount: count)
    }

    func random(_ g: Graph, _ n: Int, seed: UInt64) -> BuiltWorkload {
        var rng = WorkloadRandom(seed: seed)
        var nodes: [Operation] = []
        var hasSuccessor: [Bool] = []
        nodes.reserveCapacity(n)
        for i in 0..<max(n, 1) {
            var deps: [Operation] = []
            if i > 0 {
                // Up to three predecessors within a window of recent nodes: random yet mostly wide.
                let window = min(i, 64)
                for _ in 0..<Int(rng.next() % 4) {
                    let d = i - 1 - Int(rng.next() % UInt64(window))
                    if !deps.contains(nodes[d]) {
                        deps.append(nodes[d])
                        hasSuccessor[d] = true
                    }
                }
            }
            nodes.append(node(g, after: deps))
            hasSuccessor.append(false)
        }
        let sinks = nodes.indices.filter { !hasSuccessor[$0] }.map { nodes[$0] }
        return BuiltWorkload(graph: g, targets: sinks, fetches: [], nodeCount: nodes.count)
    }
}
