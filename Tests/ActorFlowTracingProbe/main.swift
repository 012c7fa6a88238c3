// ActorFlowTracingProbe: a process that fires actorflow tracepoints through the Swift door, for the round-trip test
// and for measuring the door's cost. lttng-ust reads its settings (LTTNG_HOME, LTTNG_UST_ALLOW_BLOCKING, …) when a
// process starts, so a recording session is best exercised from a fresh child process like this one.
//
//   ActorFlowTracingProbe emit-step [--wait SECONDS]   wait until a session enables every actorflow event, emit
//                                                      ScriptedStep, print "main=TID worker0=TID worker1=TID pid=PID"
//   ActorFlowTracingProbe status                       print "registered=BOOL enabled=EVENT,…|none"
//   ActorFlowTracingProbe measure [--iterations N]     print the cost of Tracepoints.opStart per call
import ActorFlowTracing
import Foundation

/// A one-line error on stderr and a non-zero exit, as the CLI contract asks.
func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("ActorFlowTracingProbe: \(message)\n".utf8))
    exit(code)
}

/// The value following `flag` in `arguments`, parsed as a positive number, or `defaultValue` when absent.
func option(_ flag: String, in arguments: ArraySlice<String>, default defaultValue: Int) -> Int {
    guard let index = arguments.firstIndex(of: flag) else { return defaultValue }
    guard index + 1 < arguments.endIndex, let value = Int(arguments[index + 1]), value > 0 else {
        fail("\(flag) needs a positive integer")
    }
    return value
}

func enabledEvents() -> [Tracepoints.Event] {
    Tracepoints.Event.allCases.filter { Tracepoints.isEnabled($0) }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "emit-step":
    let waitSeconds = option("--wait", in: arguments, default: 30)
    let deadline = ContinuousClock.now + .seconds(waitSeconds)
    // Registration with the session daemon normally completes before main() (lttng-ust waits for it, up to
    // LTTNG_UST_REGISTER_TIMEOUT); polling makes the probe correct even when that timeout is set low.
    while enabledEvents().count < Tracepoints.Event.allCases.count {
        guard ContinuousClock.now < deadline else {
            let enabled = enabledEvents().map(\.rawValue)
            fail(
                "no session enabled every actorflow event within \(waitSeconds) s (enabled: "
                    + "\(enabled.isEmpty ? "none" : enabled.joined(separator: ",")); provider registered: "
                    + "\(Tracepoints.isProviderRegistered))",
                code: 3
            )
        }
        usleep(1_000)
    }
    let tids = ScriptedStep.emit()
    print("main=\(tids.main) worker0=\(tids.worker0) worker1=\(tids.worker1) pid=\(getpid())")

case "status":
    let enabled = enabledEvents().map(\.rawValue)
    print("registered=\(Tracepoints.isProviderRegistered) enabled=\(enabled.isEmpty ? "none" : enabled.joined(separator: ","))")

case "measure":
    let iterations = option("--iterations", in: arguments, default: 100_000_000)
    print(CostMeasurement.run(iterations: iterations))

default:
    fail("usage: ActorFlowTracingProbe emit-step [--wait SECONDS] | status | measure [--iterations N]")
}
