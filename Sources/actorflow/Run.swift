import ActorFlow
import ActorFlowWorkloads
import ArgumentParser

extension ActorFlowCommand {
    /// `actorflow run WORKLOAD`: runs one workload for some steps and prints a result summary and the top ops by time.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one workload and print a result summary and the top ops by time.",
            discussion: """
                Workloads and what --size counts: chain, fanout, random (nodes; default 100000), wavefront (the \
                grid's side; 256), tree (depth; 17), tiled-matmul (the matrices' side; 512), mlp (batch rows; 256), \
                map-reduce (4096-element chunks; 256), add-chain (scalar adds fed by a placeholder, TensorFlow's \
                kind of small-op graph; 10000), io-mix (128×128 float32 tiles written as .npy files to a temporary \
                directory at setup, each read by readFile, multiplied by a weight matrix and summed; 64).

                The first step also builds the execution plan; with two or more steps the wall time per step is \
                taken over the others. At --trace software or above every step fills RunMetadata.stepStats and \
                fires the actorflow LTTng events (record them with `actorflow trace record -- actorflow run …`); \
                the top ops are summed over all steps.

                A Task Bench pattern (\(TaskBenchPattern.allCases.map(\.rawValue).joined(separator: ", ")); `tree` only \
                with one of the Task Bench flags below, else it is the binary-tree workload) runs its \
                task graph instead: --width columns (default: the CPU count) by --size steps (rows; default 1000), \
                every task running --kernel for --iterations; --steps runs the whole graph that many times. It prints \
                a summary of the last step's outputs and the validation result (every task received exactly its \
                dependencies' outputs from the previous step, and fired once per run).
                """)

        @Argument(help: "The workload: \(CommandLineChoices.workloadNames.joined(separator: ", ")), or a Task Bench pattern.")
        var workload: String

        // `.unconditional`: a negative number is this option's (rejected) value, not a missing one.
        @Option(parsing: .unconditional, help: "The workload's size (default: the workload's own; see below).")
        var size: Int?

        @Option(parsing: .unconditional, help: "How many steps to run (1 to \(RunSettings.maximumSteps)).")
        var steps: Int = 1

        @Option(help: "The scheduling policy: \(CommandLineChoices.policyNames.joined(separator: ", ")).")
        var policy: String = SchedulingPolicy.default.name

        @Option(
            help: """
                What to trace: none, software, hardware or full (default: none, or software when --run-metadata or \
                --timeline asks for step statistics).
                """)
        var trace: String?

        @Option(name: .customLong("run-metadata"), help: "Write the last step's RunMetadata (protobuf bytes) here.")
        var runMetadata: String?

        @Option(help: "Write a Chrome/Perfetto trace (JSON) of every step here.")
        var timeline: String?

        @Option(help: "Task Bench patterns: the graph's columns (default: the CPU count).")
        var width: Int?

        @Option(
            help: """
                What each node runs. Scheduling shapes: empty (default: an op that enters its actor and runs a kernel                 doing nothing), noop (the NoOp fast path), busy:<ns>, compute:<n>. Task Bench patterns: their kernels                 (default: compute_bound).
                """)
        var kernel: String?

        @Option(help: "Task Bench patterns: the kernel's iterations per task (default: 100).")
        var iterations: Int?

        @Option(help: "Task Bench patterns: the radix of nearest, spread and random_nearest (default: 3).")
        var radix: Int?

        @Option(name: .customLong("output-bytes"), help: "Task Bench patterns: bytes of each task's output (default: 16).")
        var outputBytes: Int?

        /// The Task Bench pattern to run, if `workload` names one. `tree` is also a workload: it means Task Bench's
        /// pattern only with one of the Task Bench flags.
        var taskBenchPattern: TaskBenchPattern? {
            guard let pattern = TaskBenchPattern(rawValue: workload) else { return nil }
            // `empty` is a kernel of both; the others name Task Bench's alone.
            let taskBenchKernel = kernel.map { $0 != "empty" && TaskBenchKernel.Kind(rawValue: $0) != nil } ?? false
            let taskBenchFlags = width != nil || taskBenchKernel || iterations != nil || radix != nil || outputBytes != nil
            return Workload(rawValue: workload) == nil || taskBenchFlags ? pattern : nil
        }

        func validate() throws {
            if let pattern = taskBenchPattern {
                _ = try TaskBenchRun(self, pattern: pattern)
                return
            }
            if width != nil || iterations != nil || radix != nil || outputBytes != nil {
                throw CommandLineError(
                    "--width, --iterations, --radix and --output-bytes apply to Task Bench patterns only")
            }
            _ = try RunSettings(self)
        }

        func run() throws {
            if let pattern = taskBenchPattern {
                try TaskBenchRun(self, pattern: pattern).run()
                return
            }
            let settings = try RunSettings(self)
            let built = settings.workload.build(size: settings.size, kernel: settings.kernel)
            let outcome = try RunMeasurement.measure(built, settings: settings)
            print(RunReport(settings: settings, built: built, outcome: outcome).text, terminator: "")
            if let file = settings.runMetadata {
                let bytes: [UInt8]
                do {
                    bytes = try outcome.lastMetadata.serializedBytes()
                } catch {
                    throw CommandLineError("cannot serialize the run metadata: \(error)")
                }
                try file.write(bytes)
                print("wrote the last step's RunMetadata (\(bytes.count) bytes) to \(file.path)")
            }
            if let file = settings.timeline, let accumulator = outcome.accumulator {
                try file.write(ChromeTraceExporter().json(for: accumulator.merged))
                print("wrote a Chrome/Perfetto trace of \(outcome.stepNanos.count) step(s) to \(file.path)")
            }
        }
    }
}

/// What `actorflow run` was asked to do, parsed and checked: names resolved, sizes in range, output files writable.
struct RunSettings {
    var workload: Workload
    var size: Int
    var kernel: WorkloadKernel
    var steps: Int
    var policy: SchedulingPolicy
    var traceLevel: RunOptions.TraceLevel
    var runMetadata: OutputFile?
    var timeline: OutputFile?

    /// Whether the steps fill step statistics (any level above `none`).
    var isTraced: Bool { traceLevel != .noTrace }

    /// The most steps one `run` takes (each step's time is kept: 80 MB at most).
    static let maximumSteps = 10_000_000

    init(_ command: ActorFlowCommand.Run) throws(CommandLineError) {
        workload = try CommandLineChoices.workload(command.workload)
        size = command.size ?? workload.defaultSize
        try workload.validate(size: size)
        if command.kernel != nil, !workload.takesKernel {
            throw CommandLineError(
                "--kernel applies to the scheduling shapes (chain, fanout, wavefront, tree, random) and Task Bench "
                    + "patterns, not to \(workload)")
        }
        do {
            kernel = try WorkloadKernel(parsing: command.kernel ?? "empty")
        } catch {
            throw CommandLineError(error.description)
        }
        guard command.steps >= 1 else { throw CommandLineError("--steps must be at least 1, got \(command.steps)") }
        guard command.steps <= Self.maximumSteps else {
            throw CommandLineError("--steps \(command.steps) is out of range: use 1 to \(Self.maximumSteps)")
        }
        steps = command.steps
        policy = try CommandLineChoices.policy(command.policy)
        let wantsStats = command.runMetadata != nil || command.timeline != nil
        traceLevel = try command.trace.map { name throws(CommandLineError) in try CommandLineChoices.traceLevel(name) }
            ?? (wantsStats ? .softwareTrace : .noTrace)
        if traceLevel == .noTrace, wantsStats {
            let option = command.runMetadata != nil ? "--run-metadata" : "--timeline"
            throw CommandLineError(
                "\(option) needs step statistics, which --trace none does not record; use --trace software")
        }
        runMetadata = try command.runMetadata.map { path throws(CommandLineError) in
            try OutputFile(path, option: "--run-metadata")
        }
        timeline = try command.timeline.map { path throws(CommandLineError) in try OutputFile(path, option: "--timeline") }
    }
}
