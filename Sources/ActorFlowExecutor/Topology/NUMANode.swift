/// One NUMA node as the executor sees it: an id and the CPUs on it that this process may use.
///
///     let node = Topology.current().nodes[0]
///     print(node)   // node 0: cpus 0-1
public struct NUMANode: Sendable, Hashable, CustomStringConvertible {
    /// The kernel's node number (`node<id>` in sysfs, libnuma's node index).
    public let id: Int
    /// The node's CPUs, ascending.
    public let cpus: [Int]

    /// Creates a node; `cpus` are sorted and de-duplicated.
    public init(id: Int, cpus: [Int]) {
        self.id = id
        self.cpus = Array(Set(cpus)).sorted()
    }

    public var description: String { "node \(id): cpus \(CPUList.format(cpus))" }
}
