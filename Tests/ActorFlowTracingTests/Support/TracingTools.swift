import Foundation

/// A tool the tracing tests need is not installed.
struct MissingToolError: Error, CustomStringConvertible {
    var tool: String
    var remedy: String

    /// A tool from a Debian package, which the project's setup installs.
    init(tool: String, package: String) {
        self.tool = tool
        self.remedy = "it comes with the Debian package \(package): run `make test` or `scripts/setup.sh`, which "
            + "install what ActorFlow's tests need"
    }

    init(tool: String, remedy: String) {
        self.tool = tool
        self.remedy = remedy
    }

    var description: String { "'\(tool)' is missing: \(remedy)" }
}

/// The absolute paths of the programs and files the round-trip tests drive.
struct TracingTools: Sendable {
    var lttng: String
    var lttngSessiond: String
    var babeltrace2: String
    /// Debian's interpreter: the only one python3-bt2 loads into.
    var python3: String
    /// Tracing/scripts in this checkout.
    var scripts: URL
    /// The ActorFlowTracingProbe executable built beside the test bundle.
    var probe: String

    var recordScript: String { scripts.appendingPathComponent("record.sh").path }

    /// Finds every tool, or throws a ``MissingToolError`` naming the first one missing.
    ///
    /// - Parameter searchPath: Directories to look in, PATH's by default (tests pass a bogus one to check the error).
    static func locate(searchPath: [String] = defaultSearchPath) throws -> TracingTools {
        func find(_ tool: String, package: String) throws -> String {
            for directory in searchPath {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(tool).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            throw MissingToolError(tool: tool, package: package)
        }
        let lttng = try find("lttng", package: "lttng-tools")
        let sessiond = try find("lttng-sessiond", package: "lttng-tools")
        let babeltrace2 = try find("babeltrace2", package: "babeltrace2")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"),
            FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/bt2")
        else {
            throw MissingToolError(tool: "/usr/bin/python3 with the bt2 module", package: "python3-bt2")
        }
        return TracingTools(
            lttng: lttng,
            lttngSessiond: sessiond,
            babeltrace2: babeltrace2,
            python3: "/usr/bin/python3",
            scripts: repositoryRoot.appendingPathComponent("Tracing/scripts"),
            probe: try probePath()
        )
    }

    static var defaultSearchPath: [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
    }

    /// The checkout this file belongs to (Tests/ActorFlowTracingTests/Support/ is three levels down).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func probePath() throws -> String {
        try builtExecutable("ActorFlowTracingProbe")
    }

    /// An executable SwiftPM built beside the test bundle because this test target depends on it (the probe, the
    /// `actorflow` command line).
    static func builtExecutable(_ name: String) throws -> String {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // Should the runner be inside a bundle directory, the products are beside the bundle.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw MissingToolError(
            tool: name,
            remedy: "no such executable near \(testBinary); build the tests with `swift build --build-tests`"
        )
    }
}
