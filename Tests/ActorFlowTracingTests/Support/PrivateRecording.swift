import ActorFlowTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs `Tracing/scripts/record.sh` around a command with a session daemon of its own, so the test neither needs
/// nor disturbs another lttng-sessiond on the machine, and checks that the daemon is gone afterwards.
///
/// How the daemon is kept private depends on who we are:
/// - root (CI): root's daemon always lives in /var/run/lttng and announces itself through /dev/shm, so the recording
///   runs in a new mount namespace with empty tmpfs mounts on /run and /dev/shm; record.sh finds no daemon there,
///   starts one, and the traced child registers with it;
/// - anyone else: a fresh `LTTNG_HOME`, which moves the per-user daemon's sockets and pid file;
/// - root where mount namespaces are refused (a restricted container): the machine's daemon, shared, with a unique
///   session name; record.sh still stops the daemon only if it started it.
/// In every case the traced command is a fresh child process, so lttng-ust reads its settings at start and
/// registers with the daemon that is already running.
struct PrivateRecording {
    enum Isolation: String, Sendable {
        case mountNamespace = "a private mount namespace"
        case privateHome = "a private LTTNG_HOME"
        case sharedRootDaemon = "the machine's root session daemon (mount namespaces refused)"
    }

    let tools: TracingTools
    let isolation: Isolation
    /// Holds the trace (and, for `.privateHome`, the daemon's home); removed by ``removeScratch()``.
    let scratch: URL

    var traceDirectory: URL { scratch.appendingPathComponent("trace") }

    init(tools: TracingTools) throws {
        self.tools = tools
        var base = FileManager.default.temporaryDirectory
        // The namespace hides /run and /dev/shm: a trace written there would vanish with it.
        if base.path.hasPrefix("/run") || base.path.hasPrefix("/dev/shm") { base = URL(fileURLWithPath: "/tmp") }
        scratch = base.appendingPathComponent("af-trace-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        if geteuid() != 0 {
            isolation = .privateHome
        } else if try Self.mountNamespacesWork() {
            isolation = .mountNamespace
        } else {
            isolation = .sharedRootDaemon
        }
    }

    func removeScratch() {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The traced children's environment: lttng-ust must not hold a child's start for long if a daemon misbehaves
    /// (it waits up to LTTNG_UST_REGISTER_TIMEOUT ms, 3000 by default); the probe waits for its events to be
    /// enabled by itself.
    static let childEnvironment = ["LTTNG_UST_REGISTER_TIMEOUT": "100"]

    /// Records `command` into ``traceDirectory`` and returns record.sh's result (its stdout carries the command's
    /// stdout, then the trace directory on the last line).
    ///
    /// - Parameter options: Extra record.sh options, such as `--perf`.
    func record(_ command: [String], options: [String] = []) throws -> ProcessResult {
        try runRecorder([tools.recordScript, "-o", traceDirectory.path] + options + ["--"] + command)
    }

    /// Runs `record` — a record.sh command line, or a program that runs record.sh, such as `actorflow trace record` —
    /// in this isolation, and checks afterwards that no session daemon is left running, as ``record(_:options:)`` does.
    ///
    /// - Parameter overrides: Environment entries that replace ``childEnvironment``'s for this recording.
    func runRecorder(_ record: [String], environment overrides: [String: String] = [:]) throws -> ProcessResult {
        let environment = Self.childEnvironment.merging(overrides) { _, override in override }
        switch isolation {
        case .sharedRootDaemon:
            return try Subprocess.run(record[0], Array(record.dropFirst()), environment: environment)
        case .privateHome:
            let home = scratch.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            return try Subprocess.run(
                "/bin/sh",
                ["-c", Self.recordThenCheckDaemonGone(mounts: false), "sh", tools.lttng] + record,
                environment: environment.merging(["LTTNG_HOME": home.path]) { _, new in new }
            )
        case .mountNamespace:
            return try Subprocess.run(
                try Self.unshare(),
                ["--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                 Self.recordThenCheckDaemonGone(mounts: true), "sh", tools.lttng] + record,
                environment: environment
            )
        }
    }

    /// Runs `command` in the same isolation as ``record(_:options:)`` but with no session daemon at all.
    func runWithoutDaemon(_ command: [String]) throws -> ProcessResult {
        let environment = Self.childEnvironment
        switch isolation {
        case .sharedRootDaemon:
            return try Subprocess.run(command[0], Array(command.dropFirst()), environment: environment)
        case .privateHome:
            let home = scratch.appendingPathComponent("empty-home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            return try Subprocess.run(
                command[0],
                Array(command.dropFirst()),
                environment: environment.merging(["LTTNG_HOME": home.path]) { _, new in new }
            )
        case .mountNamespace:
            return try Subprocess.run(
                try Self.unshare(),
                ["--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                 "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm || exit 97\nexec \"$@\"", "sh"] + command,
                environment: environment
            )
        }
    }

    /// `sh -c` text: optionally hide /run and /dev/shm, run "$@" (record.sh …), then fail with 98 if a session daemon
    /// still answers, since record.sh must stop the one it started. $1 is the lttng client.
    private static func recordThenCheckDaemonGone(mounts: Bool) -> String {
        let hide = mounts ? "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm || exit 97\n" : ""
        return hide + """
            lttng=$1; shift
            "$@"; status=$?
            if "$lttng" --no-sessiond list >/dev/null 2>&1; then
                echo "a session daemon still runs after record.sh" >&2
                exit 98
            fi
            exit $status
            """
    }

    private static func unshare() throws -> String {
        for candidate in ["/usr/bin/unshare", "/bin/unshare"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw MissingToolError(tool: "unshare", package: "util-linux")
    }

    /// Whether this process may create a mount namespace and mount tmpfs in it (root on a normal machine; not in a
    /// container that filters unshare(2)).
    private static func mountNamespacesWork() throws -> Bool {
        let probe = try Subprocess.run(
            try unshare(),
            ["--mount", "--propagation", "private", "--", "/bin/sh", "-c",
             "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm"]
        )
        return probe.status == 0
    }
}
