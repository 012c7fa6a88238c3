import CActorFlowLinux
import CNUMA

extension Topology {
    /// The machine this process runs on, as libnuma reports it, restricted to the CPUs the process may use
    /// (its affinity mask, which the kernel narrows to the cgroup cpuset). When libnuma reports NUMA
    /// unavailable (`numa_available() < 0`), one node (id 0) holds every allowed CPU.
    ///
    /// Computed once per process; libnuma reads sysfs when the program starts.
    ///
    ///     print(Topology.current().summary)
    ///     // 1 NUMA node (libnuma), 2 CPUs: node 0: cpus 0-1
    public static func current() -> Topology { machine }

    private static let machine: Topology = readFromLibnuma()

    /// The corresponding C functions are `numa_available`, `numa_node_of_cpu` and `numa_distance`.
    private static func readFromLibnuma() -> Topology {
        let allowed = Affinity.allowedCPUs()
        let fallback = {
            // One node of distinct, non-negative CPUs cannot fail validation.
            try! Topology(nodes: [NUMANode(id: 0, cpus: allowed)], distances: [[10]], source: .noNUMA)
        }
        guard numa_available() >= 0 else { return fallback() }
        var cpusByNode: [Int: [Int]] = [:]
        for cpu in allowed {
            let node = Int(numa_node_of_cpu(CInt(cpu)))
            cpusByNode[max(node, 0), default: []].append(cpu)
        }
        let ids = cpusByNode.keys.sorted()
        let nodes = ids.map { NUMANode(id: $0, cpus: cpusByNode[$0]!) }
        let distances = ids.map { from in
            ids.map { to in
                let value = Int(numa_distance(CInt(from), CInt(to)))
                return value > 0 ? value : (from == to ? 10 : 20)
            }
        }
        return (try? Topology(nodes: nodes, distances: distances, source: .libnuma)) ?? fallback()
    }

    /// How many nodes libnuma says the machine has, CPU-less ones included (`numa_num_configured_nodes`);
    /// 1 when NUMA is unavailable.
    public static var configuredNodeCount: Int {
        numa_available() >= 0 ? Int(numa_num_configured_nodes()) : 1
    }

    /// libnuma's warnings and errors so far (it would print them to stderr; ActorFlow records them instead):
    /// how many there were and the last one.
    ///
    ///     let (count, last) = Topology.libnumaDiagnostics
    public static var libnumaDiagnostics: (count: Int, last: String?) {
        let count = Int(CActorFlowLinux_numa_diagnostic_count())
        guard count > 0 else { return (0, nil) }
        var buffer = [CChar](repeating: 0, count: 512)
        _ = unsafe buffer.withUnsafeMutableBufferPointer {
            unsafe CActorFlowLinux_numa_last_diagnostic($0.baseAddress, $0.count)
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (count, String(decoding: bytes, as: UTF8.self))
    }
}

extension Topology {
    /// Allocates and frees one page on `node` through libnuma (`numa_alloc_onnode`), so tests can see
    /// libnuma's diagnostics land in ``libnumaDiagnostics`` rather than on stderr.
    package static func testsOnly_allocatePage(onNode node: Int) {
        guard numa_available() >= 0 else { return }
        let size = 4096
        if let memory = unsafe numa_alloc_onnode(size, CInt(node)) {
            unsafe memory.storeBytes(of: 1, as: UInt8.self)
            unsafe numa_free(memory, size)
        }
    }
}
