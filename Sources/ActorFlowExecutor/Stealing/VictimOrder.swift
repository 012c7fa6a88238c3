/// Where an idle worker looks for work, in order.
package enum VictimSource: Hashable, Sendable {
    /// The injection queue of the node at this position of the topology (work submitted from outside).
    case injection(nodePosition: Int)
    /// Another worker's deque.
    case worker(Int)
}

/// The NUMA-aware search order: the worker's own node first (its injection queue, then its node-mates),
/// then the other nodes by increasing distance (ties by node id), each as its injection queue followed by
/// its workers.
///
/// Within a node the workers are listed starting after the searcher (rotated), so the thieves of one node
/// do not all start with the same victim.
///
///     // 2 nodes × 2 workers: workers 0, 1 on node 0; 2, 3 on node 1
///     VictimOrder.numaAware(for: 1, workerNodePositions: [0, 0, 1, 1], topology: t)
///     // [.injection(0), .worker(0), .injection(1), .worker(2), .worker(3)]
package enum VictimOrder {
    package static func numaAware(for worker: Int, workerNodePositions: [Int], topology: Topology) -> [VictimSource] {
        let home = workerNodePositions[worker]
        let populated = Set(workerNodePositions)
        let nodeOrder = populated.sorted { a, b in
            if a == home || b == home { return a == home && b != home }
            let da = topology.distance(fromPosition: home, toPosition: a)
            let db = topology.distance(fromPosition: home, toPosition: b)
            return da != db ? da < db : topology.nodes[a].id < topology.nodes[b].id
        }
        var order: [VictimSource] = []
        let count = workerNodePositions.count
        for node in nodeOrder {
            order.append(.injection(nodePosition: node))
            for step in 1...count {
                let victim = (worker + step) % count
                if victim != worker && workerNodePositions[victim] == node {
                    order.append(.worker(victim))
                }
            }
        }
        return order
    }
}
