import ActorFlowExecutor
import Testing

/// `nodeCount` nodes of `cpusPerNode` CPUs, paired distances (see `pairedDistances`).
func syntheticTopology(nodes nodeCount: Int, cpusPerNode: Int) throws -> Topology {
    try Topology(
        nodes: (0..<nodeCount).map { node in
            NUMANode(id: node, cpus: Array((node * cpusPerNode)..<((node + 1) * cpusPerNode)))
        },
        distances: pairedDistances(nodeCount))
}

@Suite("Victim order")
struct VictimOrderTests {
    @Test("2 nodes × 2 workers: own node's queue and mate first, then the other node")
    func twoNodes() throws {
        let topology = try syntheticTopology(nodes: 2, cpusPerNode: 2)
        let order = VictimOrder.numaAware(for: 1, workerNodePositions: [0, 0, 1, 1], topology: topology)
        #expect(order == [.injection(nodePosition: 0), .worker(0), .injection(nodePosition: 1), .worker(2), .worker(3)])
    }

    @Test("4 and 8 nodes: nodes by increasing distance, every other worker exactly once", arguments: [4, 8])
    func byDistance(nodeCount: Int) throws {
        let topology = try syntheticTopology(nodes: nodeCount, cpusPerNode: 2)
        let positions = (0..<(2 * nodeCount)).map { $0 / 2 }
        for worker in positions.indices {
            let order = VictimOrder.numaAware(for: worker, workerNodePositions: positions, topology: topology)
            let victims = order.compactMap { source -> Int? in
                if case .worker(let index) = source { return index }
                return nil
            }
            #expect(Set(victims) == Set(positions.indices).subtracting([worker]))
            #expect(victims.count == positions.count - 1)
            let home = positions[worker]
            let distances = victims.map { topology.distance(from: home, to: positions[$0])! }
            #expect(distances == distances.sorted(), "worker \(worker) visits a farther node before a nearer one")
            #expect(victims.first.map { positions[$0] } == home, "worker \(worker) does not start at home")
            #expect(order.first == .injection(nodePosition: home))
        }
    }

    @Test("node-mates are rotated so thieves of one node start at different victims")
    func rotation() throws {
        let topology = try syntheticTopology(nodes: 1, cpusPerNode: 4)
        let firsts = (0..<4).map { worker in
            VictimOrder.numaAware(for: worker, workerNodePositions: [0, 0, 0, 0], topology: topology)[1]
        }
        #expect(firsts == [.worker(1), .worker(2), .worker(3), .worker(0)])
    }

    @Test("a searching worker takes local steals before remote ones, and the counters say so", arguments: [2, 4])
    func localBeforeRemote(nodeCount: Int) throws {
        let topology = try syntheticTopology(nodes: nodeCount, cpusPerNode: 2)
        let pool = WorkStealingExecutor(topology: topology, workers: nil, policy: .default, startThreads: false)
        defer { pool.shutdown() }
        let target = InertTarget()
        let lastWorker = 2 * nodeCount - 1
        // Worker 0 searches; worker 1 is its node-mate, the last worker is on the farthest node.
        for index in 0..<3 {
            pool.testsOnly_push(WorkItem(target: target, index: 100 + index), toWorker: lastWorker)
            pool.testsOnly_push(WorkItem(target: target, index: index), toWorker: 1)
        }
        var taken: [Int] = []
        var localAfterEach: [Int] = []
        var remoteAfterEach: [Int] = []
        while let item = pool.testsOnly_sweep(asWorker: 0) {
            taken.append(item.index)
            item.discard()  // taken, not run: give back the item's reference to its target
            localAfterEach.append(pool.counters.workers[0].localSteals)
            remoteAfterEach.append(pool.counters.workers[0].remoteSteals)
        }
        #expect(taken == [0, 1, 2, 100, 101, 102])
        // A steal takes half of the victim's items (counted as it takes them): 0 with 1, then 2; 100 with 101,
        // then 102. Items 1 and 101 then run from worker 0's own deque.
        #expect(localAfterEach == [2, 2, 3, 3, 3, 3])
        #expect(remoteAfterEach == [0, 0, 0, 2, 2, 3])
        #expect(pool.counters.workers[0].failedSteals > 0)
    }

    @Test("random victims (numaAware: false) still find every item")
    func randomVictims() throws {
        let topology = try syntheticTopology(nodes: 2, cpusPerNode: 2)
        let pool = WorkStealingExecutor(
            topology: topology, workers: nil, policy: .workStealing(numaAware: false), startThreads: false)
        defer { pool.shutdown() }
        let target = InertTarget()
        for worker in 1..<4 {
            for index in 0..<5 { pool.testsOnly_push(WorkItem(target: target, index: worker * 10 + index), toWorker: worker) }
        }
        var taken: [Int] = []
        while let item = pool.testsOnly_sweep(asWorker: 0) {
            taken.append(item.index)
            item.discard()
        }
        #expect(taken.sorted() == (1..<4).flatMap { worker in (0..<5).map { worker * 10 + $0 } })
        #expect(pool.counters.localSteals == 5)
        #expect(pool.counters.remoteSteals == 10)
    }
}
