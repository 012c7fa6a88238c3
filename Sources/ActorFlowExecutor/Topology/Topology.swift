/// The machine's NUMA layout as the executor uses it: nodes, their CPUs, and the distances between nodes.
///
/// ``current()`` asks libnuma (respecting the process's affinity mask and cgroup cpuset); when libnuma says
/// NUMA is unavailable it reports one node holding every allowed CPU. Tests and research describe other
/// machines with ``init(nodes:distances:)`` or ``init(sysfsDirectory:)``.
///
///     let topology = Topology.current()
///     print(topology.summary)   // 1 NUMA node (no NUMA: libnuma unavailable), 2 CPUs: node 0: cpus 0-1
///     let twoSockets = try Topology(nodes: [NUMANode(id: 0, cpus: [0, 1]), NUMANode(id: 1, cpus: [2, 3])],
///                                   distances: [[10, 21], [21, 10]])
///     twoSockets.distance(from: 0, to: 1)   // 21
///
/// Only nodes holding at least one CPU are listed (memory-only nodes run no workers).
public struct Topology: Sendable, Hashable, CustomStringConvertible {
    /// Where a topology's description came from.
    public enum Source: Sendable, Hashable {
        /// libnuma reported the layout.
        case libnuma
        /// libnuma reported NUMA unavailable: one node holding every allowed CPU.
        case noNUMA
        /// Read from a sysfs-shaped directory.
        case sysfs(directory: String)
        /// Described in code.
        case described
    }

    /// The nodes, by ascending id.
    public let nodes: [NUMANode]
    /// Row-major node-to-node distances, indexed by position in ``nodes``.
    private let distances: [Int]
    /// Where this description came from.
    public let source: Source

    /// Builds a topology from a description.
    ///
    /// - Parameters:
    ///   - nodes: at least one node, unique ids, each CPU on one node only.
    ///   - distances: `distances[i][j]` is the distance from `nodes[i]` to `nodes[j]` (libnuma's scale: 10 is
    ///     local); every entry positive. Pass `nil` for 10 on the diagonal and 20 elsewhere.
    /// - Throws: ``TopologyError/invalidDescription(reason:)`` naming the inconsistency.
    public init(nodes: [NUMANode], distances: [[Int]]? = nil) throws(TopologyError) {
        try self.init(nodes: nodes, distances: distances, source: .described)
    }

    init(nodes unsorted: [NUMANode], distances: [[Int]]?, source: Source) throws(TopologyError) {
        guard !unsorted.isEmpty else { throw .invalidDescription(reason: "no nodes") }
        let order = unsorted.indices.sorted { unsorted[$0].id < unsorted[$1].id }
        let nodes = order.map { unsorted[$0] }
        var seenIDs = Set<Int>()
        var seenCPUs = Set<Int>()
        for node in nodes {
            guard node.id >= 0 else { throw .invalidDescription(reason: "node id \(node.id) is negative") }
            guard seenIDs.insert(node.id).inserted else {
                throw .invalidDescription(reason: "node id \(node.id) appears twice")
            }
            guard !node.cpus.isEmpty else { throw .invalidDescription(reason: "node \(node.id) has no CPUs") }
            for cpu in node.cpus {
                guard cpu >= 0 && cpu < Topology.cpuLimit else {
                    throw .invalidDescription(reason: "CPU \(cpu) of node \(node.id) is outside 0..<\(Topology.cpuLimit)")
                }
                guard seenCPUs.insert(cpu).inserted else {
                    throw .invalidDescription(reason: "CPU \(cpu) is on more than one node")
                }
            }
        }
        var matrix = [Int](repeating: 20, count: nodes.count * nodes.count)
        for i in nodes.indices { matrix[i * nodes.count + i] = 10 }
        if let distances {
            guard distances.count == nodes.count, distances.allSatisfy({ $0.count == nodes.count }) else {
                throw .invalidDescription(reason: "distance matrix is not \(nodes.count)×\(nodes.count)")
            }
            for (row, i) in order.enumerated() {
                for (column, j) in order.enumerated() {
                    let value = distances[i][j]
                    guard value > 0 else {
                        throw .invalidDescription(
                            reason: "distance from node \(nodes[row].id) to node \(nodes[column].id) is \(value)")
                    }
                    matrix[row * nodes.count + column] = value
                }
            }
        }
        self.nodes = nodes
        self.distances = matrix
        self.source = source
    }

    /// CPU numbers must be below this (Linux's own limit is 8192 today).
    public static let cpuLimit = 1 << 16

    /// Whether the nodes came from a real NUMA description (libnuma, sysfs or code), not the one-node
    /// fallback used when libnuma reports NUMA unavailable.
    public var isNUMAAvailable: Bool { source != .noNUMA }

    /// Every CPU, node by node.
    public var cpus: [Int] { nodes.flatMap(\.cpus) }

    /// The distance between two nodes given by id (10 is local on libnuma's scale), or `nil` when either
    /// id is not one of ``nodes``.
    public func distance(from: Int, to: Int) -> Int? {
        guard let i = position(ofNode: from), let j = position(ofNode: to) else { return nil }
        return distances[i * nodes.count + j]
    }

    /// The id of the node holding `cpu`, or `nil`.
    public func node(ofCPU cpu: Int) -> Int? {
        nodes.first { $0.cpus.contains(cpu) }?.id
    }

    /// The position in ``nodes`` of the node with id `id`.
    func position(ofNode id: Int) -> Int? {
        nodes.firstIndex { $0.id == id }
    }

    /// Distance by node positions (internal: the victim order's lookup).
    func distance(fromPosition i: Int, toPosition j: Int) -> Int {
        distances[i * nodes.count + j]
    }

    /// One line for logs and benchmark headers.
    public var summary: String {
        let count = nodes.count == 1 ? "1 NUMA node" : "\(nodes.count) NUMA nodes"
        let origin: String
        switch source {
        case .libnuma: origin = "libnuma"
        case .noNUMA: origin = "no NUMA: libnuma unavailable"
        case .sysfs(let directory): origin = "sysfs at \(directory)"
        case .described: origin = "described"
        }
        let cpuCount = nodes.reduce(0) { $0 + $1.cpus.count }
        var text = "\(count) (\(origin)), \(cpuCount) CPUs: " + nodes.map(\.description).joined(separator: "; ")
        if nodes.count > 1 {
            let rows = nodes.indices.map { i in
                nodes.indices.map { j in String(distances[i * nodes.count + j]) }.joined(separator: " ")
            }
            text += "; distances " + rows.joined(separator: " / ")
        }
        return text
    }

    public var description: String { summary }
}
