import Foundation

/// The Python and shell helpers in Tracing/scripts that `actorflow trace` runs: located once per command, with
/// one clear error when they cannot be found.
///
/// Where they are looked for, first match wins:
/// 1. `$ACTORFLOW_TRACING_SCRIPTS`, a directory holding them (for an `actorflow` installed away from its checkout);
/// 2. `Tracing/scripts` in the directories above the running executable (`.build/release/actorflow` is three levels
///    below the checkout);
/// 3. `Tracing/scripts` in the current directory and the directories above it.
///
///     let scripts = try TracingScripts.locate()
///     scripts.path(of: "record.sh")           // <checkout>/Tracing/scripts/record.sh
struct TracingScripts {
    /// The directory holding the scripts.
    let directory: URL

    /// Debian's interpreter: the only one babeltrace2's Python bindings (python3-bt2) load into.
    static let python = "/usr/bin/python3"

    /// The environment variable that overrides the search.
    static let environmentVariable = "ACTORFLOW_TRACING_SCRIPTS"

    /// A file every scripts directory has, used to recognize one.
    private static let marker = "record.sh"

    /// Finds the scripts directory.
    ///
    /// - Throws: ``CommandLineError`` listing where it looked and how to point at the scripts.
    static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = TracingScripts.runningExecutable,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(CommandLineError) -> TracingScripts {
        if let override = environment[environmentVariable], !override.isEmpty {
            let directory = URL(fileURLWithPath: override)
            guard isScriptsDirectory(directory) else {
                throw CommandLineError("\(environmentVariable)=\(override) does not hold the tracing scripts (no \(marker))")
            }
            return TracingScripts(directory: directory)
        }
        var starts: [URL] = []
        if let executable { starts.append(URL(fileURLWithPath: executable).deletingLastPathComponent()) }
        starts.append(URL(fileURLWithPath: currentDirectory))
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("Tracing/scripts")
                if isScriptsDirectory(candidate) { return TracingScripts(directory: candidate) }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw CommandLineError(
            "cannot find ActorFlow's Tracing/scripts above \(starts.map(\.path).joined(separator: " or ")); run from "
                + "the checkout or set \(environmentVariable) to its Tracing/scripts directory")
    }

    /// The absolute path of one script.
    func path(of script: String) -> String {
        directory.appendingPathComponent(script).path
    }

    /// Replaces this process with `/usr/bin/python3 SCRIPT ARGUMENTS…`.
    ///
    /// - Returns: Only on failure: the interpreter is missing, or `execv` failed.
    func execPython(_ script: String, _ arguments: [String]) -> CommandLineError {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            return CommandLineError(
                "\(script) needs Debian's \(Self.python) with babeltrace2's bindings: run scripts/setup.sh, which "
                    + "installs python3-bt2")
        }
        return ProcessReplacement.exec(Self.python, [path(of: script)] + arguments)
    }

    private static func isScriptsDirectory(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(marker).path)
    }

    /// The real path of this process's executable (symbolic links resolved), if the system tells it.
    static var runningExecutable: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}
