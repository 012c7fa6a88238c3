import ActorFlow
import ActorFlowWorkloads
import Foundation

/// `actorflow run PATTERN …` for a Task Bench pattern: builds the graph, runs it `--steps` times, and prints the
/// timing, a summary of the fetched last-step outputs (not every tensor) and the validation result.
///
///     task bench stencil_1d: width 2, 1000 steps (rows), 2000 tasks; kernel compute_bound, 100 iterations …
///     fetched    2 outputs of the last step, int64 [2] each: (step 999, columns 0–1), as expected
///     validation passed: 2000 tasks × 10 runs, each task fired once per run with exactly its inputs
struct TaskBenchRun {
    let pattern: TaskBenchPattern
    let width: Int
    let rows: Int
    let kernel: TaskBenchKernel.Kind
    let iterations: Int
    let radix: Int
    let outputBytes: Int
    let runs: Int
    let policy: SchedulingPolicy

    init(_ command: ActorFlowCommand.Run, pattern: TaskBenchPattern) throws(CommandLineError) {
        self.pattern = pattern
        width = command.width ?? Topology.current().cpus.count
        rows = command.size ?? 1000
        guard (1...4096).contains(width) else { throw CommandLineError("--width must be in 1...4096, got \(width)") }
        guard rows >= 1, width * rows <= MetgPlan.maximumTasks else {
            throw CommandLineError("--size (the graph's steps) must be at least 1 and width × steps ≤ \(MetgPlan.maximumTasks)")
        }
        let kernelName = command.kernel ?? "compute_bound"
        guard let kind = TaskBenchKernel.Kind(rawValue: kernelName) else {
            throw CommandLineError(
                "unknown kernel '\(kernelName)'; valid kernels: "
                    + TaskBenchKernel.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        kernel = kind
        iterations = command.iterations ?? 100
        guard iterations >= 0 else { throw CommandLineError("--iterations must be at least 0, got \(iterations)") }
        radix = command.radix ?? 3
        guard radix >= 0 else { throw CommandLineError("--radix must be at least 0, got \(radix)") }
        outputBytes = command.outputBytes ?? 16
        guard outputBytes >= 16, outputBytes % 16 == 0 else {
            throw CommandLineError("--output-bytes must be a positive multiple of 16, got \(outputBytes)")
        }
        guard command.steps >= 1 else { throw CommandLineError("--steps must be at least 1, got \(command.steps)") }
        runs = command.steps
        policy = try CommandLineChoices.policy(command.policy)
        if command.trace != nil || command.runMetadata != nil || command.timeline != nil {
            throw CommandLineError("--trace, --run-metadata and --timeline are not supported for Task Bench patterns")
        }
    }

    /// Runs and prints; a validation failure is printed, then thrown (exit status 1).
    func run() throws(CommandLineError) {
        let shape = TaskBenchGraphShape(pattern: pattern, width: width, steps: rows, radix: radix)
        let tb = TaskBenchGraph(shape: shape, kernel: TaskBenchKernel(kind: kernel), outputBytes: outputBytes)
        tb.iterations = iterations
        let session = Session(graph: tb.graph, options: SessionOptions(policy: policy))
        defer { session.close() }
        func line(_ label: String, _ value: String) {
            print(label.padding(toLength: 11, withPad: " ", startingAt: 0) + value)
        }
        line(
            "task bench",
            "\(pattern): width \(width), \(rows) steps (rows), \(tb.taskCount) tasks; kernel \(kernel), \(iterations) "
                + "iterations; \(tb.outputBytes)-byte outputs" + (pattern.usesRadix ? "; radix \(radix)" : ""))
        line("policy", "\(policy.name), \(runs) run\(runs == 1 ? "" : "s") of the whole graph")
        let clock = ContinuousClock()
        var nanos: [UInt64] = []
        var last: TaskBenchGraph.RunResult?
        var failure: (any Error)?
        for _ in 0..<runs {
            let start = clock.now
            do {
                last = try tb.run(in: session)
            } catch {
                failure = error
                break
            }
            let d = clock.now - start
            nanos.append(UInt64(d.components.seconds) * 1_000_000_000 + UInt64(d.components.attoseconds / 1_000_000_000))
        }
        if !nanos.isEmpty {
            let median = RunReport.percentile(nanos, 50)
            line("per run", "median \(RunReport.duration(median)) over \(nanos.count) run\(nanos.count == 1 ? "" : "s")")
            let work = tb.workPerRun
            let rate = Double(median) > 0 ? work / Double(median) * 1e9 : 0
            line(
                "per task", String(format: "%.3f µs of wall time (median run / tasks); ", Double(median) / 1000 / Double(tb.taskCount))
                    + String(format: "%.3g %@/s", rate, kernel.workUnit))
        }
        if let last {
            line("fetched", Self.summary(last.lastStep, tasks: tb.lastStepTasks))
        }
        if let failure {
            let detail: String
            if case SessionError.opFailed(let op, let underlying) = failure, underlying is TaskBenchValidationError {
                detail = "\(underlying) (op \(op))"
            } else {
                detail = "\(failure)"
            }
            print("validation FAILED: \(detail)")
            throw CommandLineError("Task Bench validation failed after \(nanos.count) good runs: \(detail)")
        }
        print("validation passed: \(tb.taskCount) tasks × \(runs) runs, each task fired once per run with exactly its dependencies' outputs from the previous step")
    }

    /// `2 outputs of the last step, int64 [2] each: (step 999, columns 0–1), as expected`.
    static func summary(_ values: [NDArray], tasks: [TaskBenchTask]) -> String {
        guard let first = values.first, let task = tasks.first, let lastTask = tasks.last else { return "nothing" }
        let columns = task.column == lastTask.column ? "column \(task.column)" : "columns \(task.column)–\(lastTask.column)"
        return "\(values.count) output\(values.count == 1 ? "" : "s") of the last step, \(first.dtype) \(first.dimensions) "
            + "each: (step \(task.step), \(columns)), as expected"
    }
}
