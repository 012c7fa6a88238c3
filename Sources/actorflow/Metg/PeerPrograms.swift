import ActorFlowWorkloads
import Foundation

/// The C++ peers of `actorflow metg --compare` and `actorflow intraop --compare`: `Benchmarks/peers/build.sh` found
/// in the checkout, run once per command to build (or find up to date) the programs in `.build/peers/`, then one process per point.
///
/// Where the checkout is looked for, first match wins: `$ACTORFLOW_PEERS` (a `Benchmarks/peers` directory), then
/// the directories above the running executable, then the current directory and those above it.
///
///     let peers = try PeerPrograms.build()
///     let system = PeerSystem(program: peers.path(of: .tbb), peer: .tbb, arguments: { … })
struct PeerPrograms {
    /// The directory holding the built programs.
    let binaries: URL

    static let environmentVariable = "ACTORFLOW_PEERS"

    /// Locates `build.sh`, runs it (it rebuilds only what changed) and returns where the programs are.
    ///
    /// - Throws: ``CommandLineError`` when the sources cannot be found or the build fails (with its output).
    static func build(log: (String) -> Void) throws(CommandLineError) -> PeerPrograms {
        let script = try locate().appendingPathComponent("build.sh")
        log("building the C++ peers with \(script.path) (only what changed)")
        let (status, output, errors) = PeerProcess.run(script.path, [])
        guard status == 0, let last = output.split(separator: "\n").last else {
            throw CommandLineError(
                "building the C++ peers failed (\(script.path), exit \(status)); install g++ and libtbb-dev "
                    + "(scripts/setup.sh does): \(errors.split(separator: "\n").suffix(3).joined(separator: " / "))")
        }
        return PeerPrograms(binaries: URL(fileURLWithPath: String(last)))
    }

    func path(of peer: MetgPeer) -> String { path(ofProgram: peer.program) }

    /// The path of the built program `name` (one of build.sh's `build` lines).
    func path(ofProgram name: String) -> String { binaries.appendingPathComponent(name).path }

    private static func locate() throws(CommandLineError) -> URL {
        let files = FileManager.default
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            let directory = URL(fileURLWithPath: override)
            guard files.fileExists(atPath: directory.appendingPathComponent("build.sh").path) else {
                throw CommandLineError("\(environmentVariable)=\(override) does not hold Benchmarks/peers (no build.sh)")
            }
            return directory
        }
        var starts: [URL] = []
        if let executable = TracingScripts.runningExecutable {
            starts.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: files.currentDirectoryPath))
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("Benchmarks/peers")
                if files.fileExists(atPath: candidate.appendingPathComponent("build.sh").path) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw CommandLineError(
            "cannot find ActorFlow's Benchmarks/peers above \(starts.map(\.path).joined(separator: " or ")); run from "
                + "the checkout or set \(environmentVariable) to its Benchmarks/peers directory")
    }
}

/// A peer program as a METG system: one process per point, which calibrates and samples itself and prints one
/// JSON line (see `Benchmarks/peers/taskbench_common.h`).
struct PeerSystem: MetgSystem {
    let program: String
    let peer: MetgPeer
    /// The program's arguments for an iteration count (the plan's `peerArguments`).
    let arguments: (Int) -> [String]

    /// The line a peer prints.
    private struct Line: Decodable {
        var elapsedNanos: Double
        var tasks: Int
        var work: Double
        var validated: Bool
        var error: String?
    }

    func measure(iterations: Int, minimumNanos: Double, samples: Int) throws -> MetgMeasurement {
        let (status, output, errors) = PeerProcess.run(program, arguments(iterations))
        let text = output.split(separator: "\n").last.map(String.init) ?? ""
        guard let line = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)) else {
            throw CommandLineError(
                "\(peer) peer failed at \(iterations) iterations (exit \(status)): "
                    + (errors.isEmpty ? "no result line" : errors.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        guard line.validated else {
            throw CommandLineError("\(peer) peer: validation failed: \(line.error ?? "no detail")")
        }
        return MetgMeasurement(iterations: iterations, elapsedNanos: line.elapsedNanos, tasks: line.tasks, work: line.work)
    }
}

/// Runs a program to completion and collects its output.
enum PeerProcess {
    static func run(_ path: String, _ arguments: [String]) -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            return (127, "", "cannot run \(path): \(error.localizedDescription)")
        }
        // Read before waiting, so that a full pipe cannot block the child.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
