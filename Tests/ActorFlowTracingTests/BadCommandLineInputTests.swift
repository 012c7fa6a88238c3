import ActorFlowTestSupport
import Foundation
import Testing

/// Absurd arguments and malformed files given to `actorflow`: a one-line error naming the culprit and exit status 1,
/// never a crash, a traceback or a usage dump. (Misspelled names are in CommandLineTests.)
@Suite("actorflow given bad input", .serialized, .timeLimit(.minutes(10)))
struct BadCommandLineInputTests {
    let actorflow: String

    init() throws {
        actorflow = try TracingTools.builtExecutable("actorflow")
    }

    /// A scratch file holding `bytes`, removed by the caller.
    private func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("af-bad-\(UUID().uuidString.prefix(8))-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    private func expectOneLineError(_ arguments: [String], naming culprits: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try Subprocess.run(actorflow, arguments)
        #expect(result.status == 1, "\(result.transcript)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("Error: "), "\(result.transcript)", sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line:\n\(result.transcript)", sourceLocation: sourceLocation)
        for culprit in culprits {
            #expect(result.stderr.contains(culprit), "names \(culprit):\n\(result.transcript)", sourceLocation: sourceLocation)
        }
    }

    @Test("negative, zero and enormous sizes and step counts")
    func absurdNumbers() throws {
        try expectOneLineError(["run", "chain", "--size", "-5"], naming: ["--size -5"])
        try expectOneLineError(["run", "chain", "--size", "0"], naming: ["--size 0"])
        try expectOneLineError(["run", "chain", "--size", "999999999"], naming: ["--size 999999999"])
        try expectOneLineError(["run", "chain", "--steps", "-1"], naming: ["--steps", "-1"])
        try expectOneLineError(["run", "chain", "--steps", "99999999999999"], naming: ["--steps 99999999999999"])
        try expectOneLineError(["bench", "--workers", "0", "--quick"], naming: ["--workers", "'0'"])
        try expectOneLineError(["bench", "--repetitions", "0"], naming: ["--repetitions", "'0'"])
        try expectOneLineError(["bench", "--workloads", ","], naming: ["--workloads"])
    }

    @Test("RunMetadata files that are empty, random or truncated")
    func malformedRunMetadata() throws {
        let samples: [(String, [UInt8], String)] = [
            ("empty.pb", [], "holds no step statistics"),
            ("garbage.pb", [0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x13, 0x37], "is not a serialized RunMetadata"),
            ("truncated.pb", [0x0A, 0x05, 0x01], "is not a serialized RunMetadata"),
        ]
        for (name, bytes, message) in samples {
            let url = try file(name, bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            try expectOneLineError(["trace", "summary", url.path], naming: [url.path, message])
            try expectOneLineError(["trace", "to-chrome", url.path, url.path + ".json"], naming: [url.path, message])
        }
    }

    @Test("Chrome-trace JSON where a RunMetadata file is expected")
    func chromeTraceGivenAsMetadata() throws {
        let url = try file("timeline.json", Array(#"{"traceEvents": [{"ph": "X", "name": "a", "ts": -1, "dur": 1e400}]}"#.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        try expectOneLineError(["trace", "summary", url.path], naming: [url.path, "is not a serialized RunMetadata"])
    }

    @Test("directories that hold no CTF trace, or a malformed one", arguments: ["ctf-summary", "ctf-to-chrome"])
    func malformedCTF(command: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("af-bad-ctf-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty")
        let fake = root.appendingPathComponent("fake/ust/uid/0/64-bit")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: fake, withIntermediateDirectories: true)
        try Data("garbage, not CTF\n".utf8).write(to: fake.appendingPathComponent("metadata"))
        let out = root.appendingPathComponent("out.json").path
        let extra = command == "ctf-to-chrome" ? [out] : []
        try expectOneLineError(["trace", command, empty.path] + extra, naming: [empty.path, "no CTF trace"])
        try expectOneLineError(
            ["trace", command, root.appendingPathComponent("fake").path] + extra,
            naming: [fake.appendingPathComponent("metadata").path, "is not CTF metadata"])
    }

    @Test("a CTF directory whose metadata looks right but whose streams are garbage fails in one line",
          .enabled(if: FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/bt2")))
    func corruptCTFStreams() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("af-bad-ctf-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("/* CTF 1.8 */\ntrace { major = 1; minor = 8; byte_order = le; };\n".utf8)
            .write(to: root.appendingPathComponent("metadata"))
        try Data([UInt8](repeating: 0xAB, count: 64)).write(to: root.appendingPathComponent("channel0_0"))
        try expectOneLineError(["trace", "ctf-summary", root.path], naming: [root.path])
    }

    @Test("run prints a few fetched tensors and summarises the rest (tiled-matmul fetches 64)")
    func fetchedTensorsSummarised() throws {
        let result = try Subprocess.run(actorflow, ["run", "tiled-matmul", "--steps", "1"])
        try #require(result.status == 0, "\(result.transcript)")
        let tensorLines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(tensorLines.count == 6, "\(result.stdout)")
        #expect(result.stdout.contains("fetched    64 tensors of the last step"))
        #expect(tensorLines.last?.hasPrefix("  … 59 more tensors (of 64): float [64, 64] ×59, 241664 elements, sum ") == true,
                "\(result.stdout)")
    }
}
