import ArgumentParser
import Foundation

extension ActorFlowCommand.Trace {
    /// `actorflow trace ctf-to-chrome TRACE_DIR OUT.json`: runs Tracing/scripts/ctf_to_chrome.py.
    struct CTFToChrome: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ctf-to-chrome",
            abstract: "Write a Chrome/Perfetto timeline (JSON) of an LTTng trace (Tracing/scripts/ctf_to_chrome.py).")

        @Argument(help: "A trace directory written by `actorflow trace record`.")
        var traceDirectory: String

        @Argument(help: "The JSON file to write.")
        var output: String

        func validate() throws {
            try TraceDirectory.check(traceDirectory)
            _ = try OutputFile(output, option: "OUT.json")
        }

        func run() throws {
            throw try TracingScripts.locate().execPython("ctf_to_chrome.py", [traceDirectory, "-o", output])
        }
    }

    /// `actorflow trace ctf-summary TRACE_DIR`: runs Tracing/scripts/summarize.py.
    struct CTFSummary: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ctf-summary",
            abstract: "Summarize an LTTng trace: steps, ops, workers, steals, memory (Tracing/scripts/summarize.py).")

        @Argument(help: "A trace directory written by `actorflow trace record`.")
        var traceDirectory: String

        @Option(help: "How many ops to list.")
        var top: Int?

        @Flag(help: "Print the numbers as one JSON object.")
        var json = false

        func validate() throws {
            try TraceDirectory.check(traceDirectory)
            if let top, top < 1 { throw CommandLineError("--top must be at least 1, got \(top)") }
        }

        func run() throws {
            var arguments = [traceDirectory]
            if let top { arguments += ["--top", String(top)] }
            if json { arguments.append("--json") }
            throw try TracingScripts.locate().execPython("summarize.py", arguments)
        }
    }

    /// `actorflow trace record -- COMMAND…`: runs Tracing/scripts/record.sh around a command.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the actorflow LTTng events of a command (Tracing/scripts/record.sh).",
            discussion: """
                Starts a private lttng-sessiond if none runs (and stops it afterwards), records every actorflow:* \
                event of COMMAND with the vtid, vpid and procname contexts, and prints the trace directory as the \
                last line. Exits with COMMAND's status. Example:
                  actorflow trace record -o /tmp/mlp-trace -- actorflow run mlp --trace software
                """)

        @Option(name: .shortAndLong, help: "The trace directory (default: ./actorflow-trace-DATE-TIME).")
        var output: String?

        @Option(name: .shortAndLong, help: "The lttng session name.")
        var name: String?

        @Flag(help: "Also record perf cycles and instructions, where perf_event_open works.")
        var perf = false

        @Argument(parsing: .captureForPassthrough, help: "The command to record, after --.")
        var command: [String] = []

        func validate() throws {
            guard !commandLine.isEmpty else {
                throw CommandLineError("no command to record: actorflow trace record [-o DIR] -- COMMAND [ARG…]")
            }
        }

        func run() throws {
            let scripts = try TracingScripts.locate()
            var arguments: [String] = []
            if let output { arguments += ["--output", output] }
            if let name { arguments += ["--name", name] }
            if perf { arguments.append("--perf") }
            throw ProcessReplacement.exec(scripts.path(of: "record.sh"), arguments + ["--"] + commandLine)
        }

        /// The command without the `--` that separates it from record's own options.
        private var commandLine: [String] {
            command.first == "--" ? Array(command.dropFirst()) : command
        }
    }
}

/// Checks the trace directories the CTF subcommands take, so a typo fails before Python starts.
enum TraceDirectory {
    static func check(_ path: String) throws(CommandLineError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandLineError("no such trace directory: \(path)")
        }
        guard isDirectory.boolValue else {
            throw CommandLineError("\(path) is not a directory; give the directory `actorflow trace record` wrote")
        }
        // babeltrace2 aborts the process on some malformed metadata, so look at it before handing it over.
        let metadataFiles = (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
            .filter { ($0 as NSString).lastPathComponent == "metadata" }
        guard !metadataFiles.isEmpty else {
            throw CommandLineError(
                "\(path) holds no CTF trace (no `metadata` file in it or below); give the directory `actorflow trace record` wrote")
        }
        for file in metadataFiles {
            let full = (path as NSString).appendingPathComponent(file)
            var head: [UInt8] = []
            if let handle = FileHandle(forReadingAtPath: full) {
                if let data = try? handle.read(upToCount: 6) { head = [UInt8](data) }
                try? handle.close()
            }
            guard Self.isCTFMetadata(head) else {
                throw CommandLineError("\(full) is not CTF metadata (it starts with neither \"/* CTF\" nor the packet magic)")
            }
        }
    }

    /// Whether a file starting with `head` can be CTF 1.8 metadata: plain text (`/* CTF 1.8`) or packetized
    /// (magic 0x75D11D57 in either byte order).
    static func isCTFMetadata(_ head: [UInt8]) -> Bool {
        guard head.count >= 4 else { return false }
        let text = Array("/* CTF".utf8)
        if head.count >= text.count, Array(head.prefix(text.count)) == text { return true }
        let magic = Array(head.prefix(4))
        return magic == [0x57, 0x1D, 0xD1, 0x75] || magic == [0x75, 0xD1, 0x1D, 0x57]
    }
}
