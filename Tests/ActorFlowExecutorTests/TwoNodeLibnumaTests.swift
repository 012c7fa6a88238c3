import ActorFlowExecutor
import Foundation
import Testing

/// The two-node machine libnuma reports when `/sys/devices/system/node` is replaced, in a private mount
/// namespace, by a description of two one-CPU nodes. The parent test re-runs this test binary inside
/// `unshare -m`, filtered to ``childView()``, which only runs there.
@Suite("Two NUMA nodes through libnuma")
struct TwoNodeLibnumaTests {
    static let childVariable = "ACTORFLOW_TWO_NODE_CHILD"
    static var isChild: Bool { ProcessInfo.processInfo.environment[childVariable] == "1" }

    /// Whether this process may make a private mount namespace and bind-mount over sysfs (root, with
    /// `unshare` installed and permitted by the container).
    static let canUnshare: Bool = {
        guard !isChild, getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            return false
        }
        return (try? run("/usr/bin/unshare", ["-m", "/bin/true"]).status) == 0
    }()

    @Test(
        "libnuma sees two nodes and workers steal node-local first",
        .enabled(if: canUnshare, "needs root and a permitted `unshare -m` (to fake a two-node sysfs)")
    )
    func twoNodesThroughLibnuma() throws {
        let sysfs = try Self.makeTwoNodeSysfs()
        defer { try? FileManager.default.removeItem(atPath: sysfs) }
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let script = "mount --bind \"$1\" /sys/devices/system/node && exec \"$2\" --testing-library swift-testing "
            + "--filter 'TwoNodeLibnumaTests/childView'"
        let result = try Self.run(
            "/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, "sh", sysfs, binary],
            environment: [Self.childVariable: "1"])
        #expect(result.status == 0, "child failed:\n\(result.output)")
        #expect(
            result.output.contains("Test \"the child's view: two nodes, distance 20, local steals first\" passed"),
            "the child did not run and pass its checks:\n\(result.output)")
    }

    @Test(
        "the child's view: two nodes, distance 20, local steals first",
        .enabled(if: isChild, "runs only inside the two-node mount namespace the test above sets up")
    )
    func childView() throws {
        let topology = Topology.current()
        #expect(topology.source == .libnuma)
        #expect(topology.isNUMAAvailable)
        #expect(Topology.configuredNodeCount == 2)
        #expect(topology.nodes == [NUMANode(id: 0, cpus: [0]), NUMANode(id: 1, cpus: [1])])
        #expect(topology.distance(from: 0, to: 1) == 20)
        #expect(topology.summary.hasPrefix("2 NUMA nodes (libnuma)"))

        // Four workers on two one-CPU nodes: 0 and 2 on node 0, 1 and 3 on node 1.
        let pool = WorkStealingExecutor(topology: topology, workers: 4, policy: .default, startThreads: false)
        defer { pool.shutdown() }
        #expect(pool.workerDescriptions.map(\.numaNode) == [0, 1, 0, 1])
        #expect(
            pool.testsOnly_searchOrder(ofWorker: 0)
                == [.injection(nodePosition: 0), .worker(2), .injection(nodePosition: 1), .worker(1), .worker(3)])
        let target = InertTarget()
        pool.testsOnly_push(WorkItem(target: target, index: 1), toWorker: 1)
        pool.testsOnly_push(WorkItem(target: target, index: 2), toWorker: 2)
        // Items taken and not run are discarded (they own their target).
        let first = pool.testsOnly_sweep(asWorker: 0)
        #expect(first?.index == 2)
        first?.discard()
        #expect(pool.counters.localSteals == 1 && pool.counters.remoteSteals == 0)
        let second = pool.testsOnly_sweep(asWorker: 0)
        #expect(second?.index == 1)
        second?.discard()
        #expect(pool.counters.localSteals == 1 && pool.counters.remoteSteals == 1)

        // A real pool pinned across both nodes runs a tree to completion.
        let live = WorkStealingExecutor(topology: topology, workers: 2)
        let tree = TreeTarget(size: 4_095)
        live.submit([WorkItem(target: tree, index: 0)])
        tree.ledger.latch.wait()
        live.shutdown()
        #expect(tree.ledger.isExactlyOnce)
        #expect(live.workerDescriptions.map(\.name) == ["af-w0-n0", "af-w1-n1"])
        #expect(live.workerDescriptions.map(\.cpu) == [0, 1])

        // libnuma's complaints about this fake machine are recorded, not printed.
        let before = Topology.libnumaDiagnostics.count
        Topology.testsOnly_allocatePage(onNode: 1)
        let after = Topology.libnumaDiagnostics
        #expect(after.count > before, "libnuma did not complain: was the hook bypassed?")
        #expect(after.last?.contains("mbind") == true)
    }

    /// Writes a sysfs node directory describing nodes 0 (CPU 0) and 1 (CPU 1) at distance 20.
    static func makeTwoNodeSysfs() throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("af-two-node-\(UUID().uuidString)").path
        let files: [String: String] = [
            "online": "0-1", "possible": "0-1", "has_cpu": "0-1", "has_memory": "0-1",
            "has_normal_memory": "0-1",
            "node0/cpulist": "0", "node0/cpumap": "1", "node0/distance": "10 20",
            "node1/cpulist": "1", "node1/cpumap": "2", "node1/distance": "20 10",
            "node0/meminfo": meminfo(node: 0), "node1/meminfo": meminfo(node: 1),
        ]
        for (path, text) in files {
            let full = "\(directory)/\(path)"
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try (text + "\n").write(toFile: full, atomically: true, encoding: .utf8)
        }
        return directory
    }

    private static func meminfo(node: Int) -> String {
        ["MemTotal:       2097152 kB", "MemFree:        1048576 kB", "MemUsed:        1048576 kB"]
            .map { "Node \(node) \($0)" }.joined(separator: "\n")
    }

    /// Runs a program to completion; returns its exit status and combined output.
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
