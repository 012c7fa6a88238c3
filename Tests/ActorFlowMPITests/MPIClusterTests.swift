import ActorFlow
import ActorFlowTestSupport
import Foundation
import Testing

@testable import ActorFlowMPI

/// ActorFlowMPI over real Open MPI, launched by `mpirun` with 2 and 3 ranks: `actorflow-mpi selftest` (every dtype,
/// empty and 16 MiB tensors, 64 sends in flight received out of order, typed errors for bad ranks and tags) and
/// `actorflow-mpi clustertest` (a session whose ops are placed on every task, checked against one process), both
/// also across two network namespaces joined by a veth pair (`scripts/mpi-two-hosts.sh`); and the tensor wire
/// format in this process. Serialized: each test blocks its thread on an `mpirun` child for seconds, and several at
/// once would hold the test runner's few cooperative threads from every other suite.
@Suite("MPI cluster", .serialized, .timeLimit(.minutes(5)))
struct MPIClusterTests {
    /// `actorflow-mpi`, built beside this test bundle.
    static var program: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("actorflow-mpi").path
    }

    /// Runs `actorflow-mpi` under `mpirun -np ranks` (as root, mpirun needs `--allow-run-as-root`; with more ranks
    /// than cores, `--oversubscribe`).
    static func mpirun(ranks: Int, _ arguments: [String], options: [String] = []) throws -> ProcessResult {
        let root = getuid() == 0 ? ["--allow-run-as-root"] : []
        return try Subprocess.run(
            "/usr/bin/mpirun", root + options + ["--oversubscribe", "-np", "\(ranks)", program] + arguments)
    }

    @Test("mpirun -np N actorflow-mpi selftest: every rank exchanges and checks tensors", arguments: [2, 3])
    func selfTest(ranks: Int) throws {
        let result = try Self.mpirun(ranks: ranks, ["selftest"])
        #expect(result.status == 0, "\(result.transcript)")
        for rank in 0..<ranks {
            #expect(result.stdout.contains("selftest ok: rank \(rank) of \(ranks)"), "\(result.transcript)")
        }
    }

    @Test(
        "a cluster session over N ranks: single-process results, stats per task, a remote failure names op and task, deadline, concurrent steps",
        arguments: [2, 3])
    func clusterSession(ranks: Int) throws {
        let result = try Self.mpirun(ranks: ranks, ["clustertest"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.contains("clustertest ok: rank 0 ran \(ranks) tasks"), "\(result.transcript)")
        for rank in 1..<ranks {
            #expect(result.stdout.contains("clustertest ok: rank \(rank) served"), "\(result.transcript)")
        }
    }

    @Test(
        "a rank killed mid-step: a typed error naming the op and task within seconds, later steps on it fail at once",
        arguments: [2, 3])
    func killedRank(ranks: Int) throws {
        // Without orte_enable_recovery mpirun ends every rank when one dies; with it rank 0 must find out itself.
        let result = try Self.mpirun(ranks: ranks, ["killtest"], options: ["--mca", "orte_enable_recovery", "1"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.contains("killtest ok:"), "\(result.transcript)")
        #expect(!result.stdout.contains("killtest: rank \(ranks - 1) served"), "the last rank was to die: \(result.transcript)")
        for rank in 1..<(ranks - 1) {
            #expect(result.stdout.contains("killtest: rank \(rank) served"), "\(result.transcript)")
        }
    }

    @Test(
        "two hosts: ranks in two network namespaces joined by a veth pair, tensors over TCP",
        .enabled(if: getuid() == 0, "creating network namespaces needs root (CI runs as root)"))
    func twoHosts() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/mpi-two-hosts.sh").path
        for command in ["selftest", "clustertest"] {
            let result = try Subprocess.run("/bin/bash", [script, Self.program, command])
            #expect(result.status == 0, "\(result.transcript)")
            #expect(result.stdout.contains("rank 0 runs in namespace af-a-"), "\(result.transcript)")
            #expect(result.stdout.contains("rank 1 runs in namespace af-b-"), "\(result.transcript)")
            #expect(result.stdout.contains("\(command) ok: rank 1"), "\(result.transcript)")
        }
    }

    @Test("a tensor header round-trips; malformed headers and string payloads are typed errors")
    func wireFormat() throws {
        let value = try NDArray(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6] as [Int64])
        let header = TensorMessage.header(for: value, payloadBytes: 48)
        #expect(header.count == 48)
        let parsed = try TensorMessage.parseHeader(header, count: header.count)
        #expect(parsed == TensorMessage.Header(dtype: .int64, dimensions: [2, 3], payloadBytes: 48))
        var wrongMagic = header
        wrongMagic[0] ^= 0xFF
        #expect(throws: MPIError.malformedMessage("not an ActorFlow tensor header")) {
            try TensorMessage.parseHeader(wrongMagic, count: wrongMagic.count)
        }
        #expect(throws: MPIError.self) { try TensorMessage.parseHeader(header, count: 40) }
        // A shape whose byte count overflows, or disagrees with the payload, is malformed, not a trap.
        let huge = try NDArray(shape: [0], scalars: [Float]())
        var overflowing = TensorMessage.header(for: huge, payloadBytes: 16)
        overflowing.replaceSubrange(32..<40, with: withUnsafeBytes(of: UInt64(1 << 62).littleEndian, Array.init))
        #expect(throws: MPIError.self) { try TensorMessage.parseHeader(overflowing, count: overflowing.count) }
        #expect(throws: MPIError.self) {
            try TensorMessage.parseHeader(TensorMessage.header(for: value, payloadBytes: 47), count: 48)
        }
        let strings = ["a", "", "ünï"]
        let payload = TensorMessage.stringPayload(strings)
        #expect(try TensorMessage.strings(from: payload, count: 3) == strings)
        #expect(throws: MPIError.self) { try TensorMessage.strings(from: Array(payload.dropLast()), count: 3) }
        #expect(throws: MPIError.self) { try TensorMessage.strings(from: payload, count: 2) }
    }
}
