import ActorFlowExecutor
import Foundation
import Testing

/// Writes a sysfs-shaped directory: `node<i>/cpulist` and `node<i>/distance` for each node.
func makeSysfs(cpuLists: [String], distances: [[Int]], extraNodeFiles: [String: String] = [:]) throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("af-topology-\(UUID().uuidString)").path
    for (id, cpuList) in cpuLists.enumerated() {
        let node = "\(directory)/node\(id)"
        try FileManager.default.createDirectory(atPath: node, withIntermediateDirectories: true)
        try (cpuList + "\n").write(toFile: "\(node)/cpulist", atomically: true, encoding: .utf8)
        let row = distances[id].map(String.init).joined(separator: " ")
        try (row + "\n").write(toFile: "\(node)/distance", atomically: true, encoding: .utf8)
    }
    for (path, text) in extraNodeFiles {
        try text.write(toFile: "\(directory)/\(path)", atomically: true, encoding: .utf8)
    }
    return directory
}

/// Distances of `count` nodes in pairs of sockets: 10 local, 16 to the sibling, 32 to the others.
func pairedDistances(_ count: Int) -> [[Int]] {
    (0..<count).map { i in (0..<count).map { j in i == j ? 10 : (i / 2 == j / 2 ? 16 : 32) } }
}

@Suite("Topology")
struct TopologyTests {
    @Test("the current machine: at least one node, every allowed CPU exactly once")
    func current() {
        let topology = Topology.current()
        #expect(!topology.nodes.isEmpty)
        let cpus = topology.cpus
        #expect(Set(cpus).count == cpus.count)
        #expect(!cpus.isEmpty)
        for node in topology.nodes { #expect(topology.distance(from: node.id, to: node.id) != nil) }
        #expect(topology.summary.contains("NUMA node"))
    }

    @Test("reads 2-, 4- and 8-node sysfs descriptions", arguments: [2, 4, 8])
    func sysfs(nodeCount: Int) throws {
        let cpuLists = (0..<nodeCount).map { "\(2 * $0)-\(2 * $0 + 1)" }
        let directory = try makeSysfs(cpuLists: cpuLists, distances: pairedDistances(nodeCount))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let topology = try Topology(sysfsDirectory: directory)
        #expect(topology.nodes.count == nodeCount)
        #expect(topology.nodes.map(\.id) == Array(0..<nodeCount))
        #expect(topology.nodes[1].cpus == [2, 3])
        #expect(topology.cpus == Array(0..<(2 * nodeCount)))
        #expect(topology.distance(from: 0, to: 1) == 16)
        #expect(topology.distance(from: 0, to: 0) == 10)
        if nodeCount > 2 { #expect(topology.distance(from: 0, to: 2) == 32) }
        #expect(topology.distance(from: 0, to: nodeCount) == nil)
        #expect(topology.node(ofCPU: 3) == 1)
        #expect(topology.isNUMAAvailable)
        #expect(topology.source == .sysfs(directory: directory))
    }

    @Test("memory-only nodes are left out and the distances follow")
    func memoryOnlyNode() throws {
        let directory = try makeSysfs(
            cpuLists: ["0-1", "", "2-3"], distances: [[10, 20, 30], [20, 10, 20], [30, 20, 10]])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let topology = try Topology(sysfsDirectory: directory)
        #expect(topology.nodes.map(\.id) == [0, 2])
        #expect(topology.distance(from: 0, to: 2) == 30)
    }

    @Test("a malformed cpulist names its file")
    func malformedCPUList() throws {
        let directory = try makeSysfs(cpuLists: ["0-1", "3-"], distances: [[10, 20], [20, 10]])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TopologyError.malformedCPUList(path: "\(directory)/node1/cpulist", text: "3-")) {
            try Topology(sysfsDirectory: directory)
        }
    }

    @Test("a cpulist with an absurd range is malformed, not a huge allocation")
    func hugeCPUList() throws {
        let directory = try makeSysfs(cpuLists: ["0-99999999"], distances: [[10]])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TopologyError.malformedCPUList(path: "\(directory)/node0/cpulist", text: "0-99999999")) {
            try Topology(sysfsDirectory: directory)
        }
    }

    @Test("a distance row of the wrong length names its file")
    func malformedDistances() throws {
        let directory = try makeSysfs(cpuLists: ["0", "1"], distances: [[10, 20], [20]])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(
            throws: TopologyError.malformedDistances(
                path: "\(directory)/node1/distance", text: "20", expectedCount: 2)
        ) {
            try Topology(sysfsDirectory: directory)
        }
    }

    @Test("a missing directory is an unreadable error, an empty one has no nodes")
    func missingAndEmpty() throws {
        #expect(throws: TopologyError.self) { try Topology(sysfsDirectory: "/nonexistent/af-topology") }
        let directory = try makeSysfs(cpuLists: [], distances: [])
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TopologyError.noNodes(directory: directory)) { try Topology(sysfsDirectory: directory) }
    }

    @Test("described topologies are validated")
    func described() throws {
        #expect(throws: TopologyError.self) { try Topology(nodes: []) }
        #expect(throws: TopologyError.self) {
            try Topology(nodes: [NUMANode(id: 0, cpus: [0]), NUMANode(id: 1, cpus: [0])])
        }
        #expect(throws: TopologyError.self) {
            try Topology(nodes: [NUMANode(id: 0, cpus: [0]), NUMANode(id: 1, cpus: [1])], distances: [[10]])
        }
        #expect(throws: TopologyError.self) {
            try Topology(nodes: [NUMANode(id: 0, cpus: [0]), NUMANode(id: 0, cpus: [1])])
        }
        #expect(
            throws: TopologyError.invalidDescription(reason: "CPU 1000000 of node 0 is outside 0..<65536")
        ) {
            try Topology(nodes: [NUMANode(id: 0, cpus: [1_000_000])])
        }
        let topology = try Topology(
            nodes: [NUMANode(id: 1, cpus: [2, 3]), NUMANode(id: 0, cpus: [1, 0])], distances: [[10, 21], [21, 10]])
        #expect(topology.nodes.map(\.id) == [0, 1])
        #expect(topology.nodes[0].cpus == [0, 1])
        #expect(topology.distance(from: 0, to: 1) == 21)
        #expect(topology.summary == "2 NUMA nodes (described), 4 CPUs: node 0: cpus 0-1; node 1: cpus 2-3; distances 10 21 / 21 10")
    }
}
