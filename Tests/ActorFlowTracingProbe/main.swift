// ActorFlowTracingProbe: a process that fires actorflow tracepoints, for the round-trip tests and for measuring what
// tracing costs. lttng-ust reads its settings (LTTNG_HOME, LTTNG_UST_ALLOW_BLOCKING, …) when a process starts, so a
// recording session is best exercised from a fresh child process like this one.
//
//   ActorFlowTracingProbe emit-step [--wait SECONDS]   wait until a session enables every actorflow event, emit
//                                                      ScriptedStep, print "main=TID worker0=TID worker1=TID pid=PID"
//   ActorFlowTracingProbe run-graph [--wait SECONDS] [--run-metadata FILE] [--trace none|software]
//                                                      wait likewise, run RealGraphStep (a real Session step at
//                                                      .softwareTrace, or .noTrace), write its RunMetadata, print
//                                                      "pid=PID epoch_offset_ns=N workers=N numa_nodes=N ops=N"
//   ActorFlowTracingProbe status                       print "registered=BOOL enabled=EVENT,…|none"
//   ActorFlowTracingProbe measure [--iterations N]     print the cost of Tracepoints.opStart per call
//   ActorFlowTracingProbe measure-chain [--kind noop|add] [--ops N] [--steps N] [--trace none|software|hardware|full]
//                                                      print the time per op of a chain's steps at a trace level
import ActorFlow
import ActorFlowTracing
import Foundation

/// A one-line error on stderr and a non-zero exit, as the CLI contract asks.
func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("ActorFlowTracingProbe: \(message)\n".utf8))
    exit(code)
}

/// The value following `flag` in `arguments`, or `nil` when the flag is absent.
func value(_ flag: String, in arguments: ArraySlice<String>) -> String? {
    guard let index = arguments.firstIndex(of: flag) else { return nil }
    guard index + 1 < arguments.endIndex else { fail("\(flag) needs a value") }
    return arguments[index + 1]
}

/// The value following `flag` in `arguments`, parsed as a positive number, or `defaultValue` when absent.
func option(_ flag: String, in arguments: ArraySlice<String>, default defaultValue: Int) -> Int {
    guard let text = value(flag, in: arguments) else { return defaultValue }
    guard let number = Int(text), number > 0 else { fail("\(flag) needs a positive integer") }
    return number
}

func enabledEvents() -> [Tracepoints.Event] {
    Tracepoints.Event.allCases.filter { Tracepoints.isEnabled($0) }
}

/// Waits until a session enables every actorflow event, or fails with status 3 after `seconds`.
///
/// Registration with the session daemon normally completes before main() (lttng-ust waits for it, up to
/// LTTNG_UST_REGISTER_TIMEOUT); polling keeps the probe correct even when that timeout is set low.
func waitUntilEveryEventIsEnabled(seconds: Int) {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while enabledEvents().count < Tracepoints.Event.allCases.count {
        guard ContinuousClock.now < deadline else {
            let enabled = enabledEvents().map(\.rawValue)
            fail(
                "no session enabled every actorflow event within \(seconds) s (enabled: "
                    + "\(enabled.isEmpty ? "none" : enabled.joined(separator: ",")); provider registered: "
                    + "\(Tracepoints.isProviderRegistered))",
                code: 3
            )
        }
        usleep(1_000)
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "emit-step":
    waitUntilEveryEventIsEnabled(seconds: option("--wait", in: arguments, default: 30))
    let tids = ScriptedStep.emit()
    print("main=\(tids.main) worker0=\(tids.worker0) worker1=\(tids.worker1) pid=\(getpid())")

case "run-graph":
    waitUntilEveryEventIsEnabled(seconds: option("--wait", in: arguments, default: 30))
    do {
        let level: RunOptions.TraceLevel =
            switch value("--trace", in: arguments) ?? "software" {
            case "none": .noTrace
            case "software": .softwareTrace
            case let other: fail("run-graph --trace must be none or software, got '\(other)'")
            }
        print(try RealGraphStep.run(metadataPath: value("--run-metadata", in: arguments), traceLevel: level))
    } catch {
        fail("the real graph's step failed: \(error)", code: 4)
    }

case "status":
    let enabled = enabledEvents().map(\.rawValue)
    print("registered=\(Tracepoints.isProviderRegistered) enabled=\(enabled.isEmpty ? "none" : enabled.joined(separator: ","))")

case "measure":
    let iterations = option("--iterations", in: arguments, default: 100_000_000)
    print(CostMeasurement.run(iterations: iterations))

case "measure-chain":
    let kindName = value("--kind", in: arguments) ?? "noop"
    guard let kind = ChainCost.Kind(rawValue: kindName) else { fail("--kind must be noop or add, got '\(kindName)'") }
    let levelName = value("--trace", in: arguments) ?? "none"
    guard let level = ChainCost.levels.first(where: { $0.name == levelName }) else {
        fail("--trace must be none, software, hardware or full, got '\(levelName)'")
    }
    let ops = option("--ops", in: arguments, default: 10_000)
    guard ops >= 3 else { fail("--ops must be at least 3") }
    do {
        print(try ChainCost.run(kind: kind, ops: ops, steps: option("--steps", in: arguments, default: 200), level: level))
    } catch {
        fail("the chain's step failed: \(error)", code: 4)
    }

default:
    fail(
        "usage: ActorFlowTracingProbe emit-step [--wait SECONDS] | run-graph [--wait SECONDS] [--run-metadata FILE] "
            + "[--trace none|software] | "
            + "status | measure [--iterations N] | measure-chain [--kind noop|add] [--ops N] [--steps N] [--trace LEVEL]")
}
