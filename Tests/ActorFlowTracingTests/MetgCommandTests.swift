import ActorFlowTestSupport
import Foundation
import Testing

/// `actorflow metg` and `actorflow run PATTERN`, run as the user would (seconds long: `--quick`, tiny graphs).
@Suite("actorflow metg", .serialized)
struct MetgCommandTests {
    let actorflow: String

    init() throws {
        actorflow = try TracingTools.builtExecutable("actorflow")
    }

    @Test("metg --quick writes JSON with the contract's fields and an SVG plot")
    func quickSweep() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("af-metg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let json = scratch.appendingPathComponent("metg.json").path
        let plot = scratch.appendingPathComponent("metg.svg").path
        let result = try Subprocess.run(
            actorflow,
            ["metg", "--pattern", "stencil_1d", "--quick", "--steps", "10", "--workers", "2", "--policies", "ws",
             "--max-iterations", "64", "--json", json, "--plot", plot])
        try #require(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.contains("| stencil_1d | compute_bound | actorflow | ws "), "\(result.stdout)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
        let rows = try #require((object as? [String: Any])?["results"] as? [[String: Any]])
        let row = try #require(rows.first)
        for key in ["pattern", "width", "steps", "kernel", "system", "policy", "workers", "metg50Micros",
                    "peakFlopsPerSecond", "points"] {
            #expect(row[key] != nil, "\(key) in \(row)")
        }
        #expect(row["system"] as? String == "actorflow")
        #expect((row["points"] as? [[String: Any]])?.first?["taskMicros"] != nil)
        #expect(try String(contentsOfFile: plot, encoding: .utf8).contains("<polyline"))
    }

    @Test("intraop --compare openmp --show-split prints our rows, the OpenMP peer's rows and each op's split")
    func intraOpBesideOpenMP() throws {
        let result = try Subprocess.run(
            actorflow,
            ["intraop", "--ops", "add,sum", "--workers", "1,2", "--elements", "3000000", "--repetitions", "2",
             "--compare", "openmp", "--show-split"])
        try #require(result.status == 0, "\(result.transcript)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for op in ["add", "sum"] {
            #expect(lines.filter { $0.hasPrefix("\(op) ") && !$0.contains("omp") }.count == 2, "\(result.stdout)")
            #expect(lines.filter { $0.hasPrefix("\(op) omp") }.count == 2, "\(result.stdout)")
        }
        let splits = lines.filter { $0.hasPrefix("  split: ") }
        #expect(splits.count == 4, "\(result.stdout)")
        // With one worker the add is one chunk and the sum's fixed chunks all run on w0; two workers split a 12 MB
        // loop (past the cost model's threshold) into several chunks (which worker runs how many depends on
        // timing, so it is not checked).
        #expect(splits[0].contains("1 chunk: w0 1") && !splits[2].contains("w1"), "\(splits)")
        #expect(splits[1].contains(" chunks: ") && splits[3].contains(" chunks: "), "\(splits)")
    }

    @Test("run PATTERN prints a summary of the last step and the validation result")
    func runPattern() throws {
        let result = try Subprocess.run(
            actorflow, ["run", "nearest", "--width", "4", "--size", "20", "--radix", "5", "--iterations", "3", "--steps", "2"])
        try #require(result.status == 0, "\(result.transcript)")
        #expect(result.stdout.contains("fetched    4 outputs of the last step, int64 [2] each: (step 19, columns 0–3), as expected"), "\(result.stdout)")
        #expect(result.stdout.contains("validation passed: 80 tasks × 2 runs"), "\(result.stdout)")
    }

    @Test(
        "bad metg arguments fail with one line naming the culprit",
        arguments: [
            (["metg", "--pattern", "stencil"],
             "Error: --pattern: unknown pattern 'stencil'; valid: trivial, no_comm, stencil_1d, stencil_1d_periodic, "
                + "dom, tree, fft, all_to_all, nearest, spread, random_nearest"),
            (["metg", "--pattern", "fft", "--compare", "mpi"], "Error: --compare: unknown peer 'mpi'; valid: tbb, openmp"),
            (["metg", "--pattern", "fft", "--workers", "0"],
             "Error: --workers: '0' is not a worker count; valid: integers 1...4096"),
            (["run", "fft", "--kernel", "gemm"],
             "Error: unknown kernel 'gemm'; valid kernels: empty, busy_wait, compute_bound, memory_bound, load_imbalance"),
            (["run", "chain", "--width", "2"],
             "Error: --width, --iterations, --radix and --output-bytes apply to Task Bench patterns only"),
        ])
    func badArguments(arguments: [String], error: String) throws {
        let result = try Subprocess.run(actorflow, arguments)
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.stderr == error + "\n", "\(result.transcript)")
    }
}
