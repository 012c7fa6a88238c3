import ActorFlow
import ActorFlowTestSupport
import Foundation
import Synchronization
import Testing

/// Ten thousand steps of a small graph with data edges, handles, traced steps, failing and timed-out steps: the
/// resident set after warm-up must stay flat (no leaked node actors, buffers, handles or threads).
///
/// It measures the whole process, so it runs only when asked (`ACTORFLOW_SOAK_STEPS`), alone:
/// `ACTORFLOW_SOAK_STEPS=10000 swift test --skip-build --filter SoakTests`.
@Suite("Soak", .timeLimit(.minutes(30)))
struct SoakTests {
    static let steps = ProcessInfo.processInfo.environment["ACTORFLOW_SOAK_STEPS"].flatMap { Int($0) }
    /// The stated bound on resident-set growth after warm-up.
    static let boundMiB = ProcessInfo.processInfo.environment["ACTORFLOW_SOAK_RSS_MIB"].flatMap { Int($0) } ?? 8

    @Test("RSS and thread count stay flat over the steps after warm-up", .enabled(if: steps != nil))
    func flatResidentSet() async throws {
        let steps = Self.steps ?? 0
        let warmUp = max(1, steps / 10)
        let ledger = KernelLedger()
        let tally = StressTally()
        let built = BuiltDAG(RandomDAG(count: 200, seed: StressScale.seed), ledger: ledger)
        let handle = built.graph.getSessionHandle(built.fetches[0])
        let session = Session(graph: built.graph)
        let runner = StressRunner(built: built, ledger: ledger, tally: tally)
        let measured = try await withWatchdog(limit: StressScale.hangLimit, describe: { ledger.pendingReport() }) {
            () -> (before: Memory, after: Memory) in
            var rng = SplitMix64(seed: StressScale.seed)
            var metadata = RunMetadata()
            var before = Memory.now()
            for step in 0..<steps {
                if step == warmUp { before = Memory.now() }
                switch step % 10 {
                case 0:  // a traced step, metadata reused
                    _ = try? session.run(built.fetches[0], feeds: Self.feeds(built, &rng),
                                         options: RunOptions(traceLevel: .fullTrace), metadata: &metadata)
                case 1:  // a handle fetched and dropped: its tensor must go with it
                    _ = try? session.run(handle, feeds: Self.feeds(built, &rng))
                default:  // random inputs, faults and deadlines, values checked
                    runner.run(on: session, label: "soak", rng: &rng)
                }
            }
            return (before, Memory.now())
        }
        session.close()
        guard let measured else { return }
        let growth = measured.after.residentBytes - measured.before.residentBytes
        print("SOAK steps=\(steps) warmUp=\(warmUp) rssBefore=\(measured.before.residentBytes) "
              + "rssAfter=\(measured.after.residentBytes) growth=\(growth) boundMiB=\(Self.boundMiB) "
              + "threadsBefore=\(measured.before.threads) threadsAfter=\(measured.after.threads) "
              + "probes=\(ledger.probesExecuted)")
        print(tally.line("soak"))
        #expect(growth < Self.boundMiB << 20, "RSS grew by \(growth) bytes after warm-up")
        #expect(measured.after.threads <= measured.before.threads, "threads were left behind")
        #expect(tally.mismatches.load(ordering: .relaxed) == 0 && tally.unexpected.load(ordering: .relaxed) == 0,
                "\(tally.problemList)")
    }

    static func feeds(_ built: BuiltDAG, _ rng: inout SplitMix64) -> FeedDict {
        var feeds = FeedDict()
        for tensor in built.inputs {
            feeds.set(tensor, NDArray((0..<RandomDAG.width).map { _ in Int32.random(in: -9...9, using: &rng) }))
        }
        feeds.set(built.control, NDArray([Int32(-1), -1, -1]))
        return feeds
    }
}

/// The process's resident set (from /proc/self/statm) and thread count (/proc/self/task).
struct Memory: Sendable {
    var residentBytes: Int
    var threads: Int

    static func now() -> Memory {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
        return Memory(residentBytes: pages * Int(sysconf(Int32(_SC_PAGESIZE))), threads: threads)
    }
}
