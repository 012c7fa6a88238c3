import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var commandLine: String
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// A multi-line account for failure messages: the command, its status and both outputs.
    public var transcript: String {
        "$ \(commandLine)\nexit status \(status)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }
}

/// Runs child processes to completion, capturing their output through files (never pipes, so a chatty child cannot
/// block on a full pipe while we wait for it).
public enum Subprocess {
    /// A child still running after this long is terminated: a guard against a hung tool, not a timing check.
    public static let hangGuard: DispatchTimeInterval = .seconds(300)

    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment overrides: [String: String] = [:]
    ) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("actorflow-subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: stdoutURL.path, contents: nil),
            FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: scratch.path]) }
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdout.close()
            try? stderr.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(overrides) { _, override in override }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + hangGuard, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()

        return ProcessResult(
            commandLine: ([executable] + arguments).joined(separator: " "),
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        )
    }
}
