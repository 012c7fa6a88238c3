import ActorFlow
import Synchronization

/// A Task Bench task graph built as an ActorFlow graph: one `customOp` per task, whose inputs are the outputs of
/// the tasks it depends on (small int64 buffers of `outputBytes` holding the producer's step and column), so data
/// flows through the node actors as Task Bench's tasks exchange it. Every task checks its inputs before running its
/// kernel (``TaskBenchValidation``) and counts its firing; ``run(in:)`` fetches the last step's outputs and checks
/// them and the firing counts, so a lost, duplicated or misrouted firing fails the run.
///
/// The kernels' iteration count is a setting of the built graph (``iterations``), read by every task when it runs:
/// a METG sweep changes it between runs without rebuilding the graph or the session's plan.
///
///     let tb = TaskBenchGraph(
///         shape: TaskBenchGraphShape(pattern: .stencil_1d, width: 2, steps: 100),
///         kernel: TaskBenchKernel(kind: .compute_bound))
///     tb.iterations = 1_000
///     let session = Session(graph: tb.graph)
///     let result = try tb.run(in: session)          // throws on any validation failure
///     print(result.lastStep.count)                  // 2: the last step's outputs, validated
public final class TaskBenchGraph: Sendable {
    /// The pattern, width and steps.
    public let shape: TaskBenchGraphShape
    /// The kernel every task runs.
    public let kernel: TaskBenchKernel
    /// The bytes of each task's output buffer (a multiple of 16, at least 16: Task Bench's `-output`).
    public let outputBytes: Int
    /// The ActorFlow graph.
    public let graph: Graph
    /// The last step's outputs, by column order of ``lastStepTasks``.
    public let lastStepOutputs: [Tensor]
    /// The tasks behind ``lastStepOutputs``.
    public let lastStepTasks: [TaskBenchTask]
    /// Tasks before the last step that nothing consumes (run through ``sinkGroup``).
    public let otherSinks: [Operation]
    /// A `group` (NoOp) with a control edge from each of ``otherSinks``, fetched as the one target that makes them
    /// run: a run's fetch list stays three entries long whatever the pattern (`trivial` has a sink per task). Not a
    /// task: it is not counted, validated or timed separately.
    public let sinkGroup: Operation?

    private let setting: Setting
    private let ledger: FiringLedger
    private let fetch: Fetch

    /// A mistake built into the graph on purpose, to show that validation catches it (tests).
    public enum Fault: Sendable, Hashable {
        /// The task's first input is its dependency's output from two steps back instead of one (needs `step ≥ 2`).
        case staleInput(TaskBenchTask)
    }

    /// Builds the graph: one op per task, named `task_<step>_<column>`.
    ///
    /// - Parameters:
    ///   - outputBytes: each task's output buffer (rounded to a multiple of 16, at least 16).
    ///   - fault: a deliberate wiring mistake, for testing validation.
    public init(shape: TaskBenchGraphShape, kernel: TaskBenchKernel, outputBytes: Int = 16, fault: Fault? = nil) {
        self.shape = shape
        self.kernel = kernel
        self.outputBytes = max(16, outputBytes / 16 * 16)
        let words = self.outputBytes / 8
        let setting = Setting()
        self.setting = setting
        let g = Graph()
        graph = g
        var outputs: [[Tensor?]] = []
        var consumed: [[Bool]] = []
        var counters: [FiringLedger.Counter] = []
        for step in 0..<shape.steps {
            let active = shape.activeColumns(step: step)
            var row = [Tensor?](repeating: nil, count: shape.width)
            consumed.append([Bool](repeating: false, count: shape.width))
            for column in active {
                let task = TaskBenchTask(step: step, column: column)
                let dependencies = shape.dependencies(step: step, column: column)
                var inputs: [Tensor] = []
                for dep in dependencies {
                    inputs.append(outputs[step - 1][dep]!)
                    consumed[step - 1][dep] = true
                }
                if case .staleInput(task)? = fault, step >= 2, let first = dependencies.first,
                    let stale = outputs[step - 2][first]
                {
                    inputs[0] = stale
                }
                let counter = FiringLedger.Counter(task: task)
                counters.append(counter)
                let body = TaskBody(
                    task: task, dependencies: dependencies, kernel: kernel, words: words, setting: setting,
                    counter: counter)
                row[column] = g.customOp(
                    name: "task_\(step)_\(column)", inputs: inputs, outputs: [(.int64, TensorShape([words]))]
                ) { inputs in try body.fire(inputs) }[0]
            }
            outputs.append(row)
        }
        ledger = FiringLedger(counters: counters)
        let last = shape.steps - 1
        lastStepTasks = shape.activeColumns(step: last).map { TaskBenchTask(step: last, column: $0) }
        lastStepOutputs = lastStepTasks.map { outputs[last][$0.column]! }
        var sinks: [Operation] = []
        for step in 0..<last {
            for column in shape.activeColumns(step: step) where !consumed[step][column] {
                sinks.append(outputs[step][column]!.op)
            }
        }
        otherSinks = sinks
        let group = sinks.isEmpty ? nil : g.group(sinks, name: "sinks")
        sinkGroup = group
        fetch = .list(lastStepOutputs.map { .tensor($0) } + (group.map { [.operation($0)] } ?? []))
    }

    /// The kernel's iterations per task (before `load_imbalance`'s per-task factor); tasks read it when they run.
    public var iterations: Int {
        get { setting.iterations.load(ordering: .relaxed) }
        set { setting.iterations.store(max(0, newValue), ordering: .relaxed) }
    }

    /// The tasks of one run.
    public var taskCount: Int { ledger.counters.count }

    /// The work one run does at the current ``iterations``, in the kernel's unit (``TaskBenchKernel/Kind/workUnit``).
    public var workPerRun: Double { kernel.totalWork(shape, iterations: iterations) }

    /// What one validated run returned.
    public struct RunResult: Sendable {
        /// The last step's outputs, one per active column.
        public var lastStep: [NDArray]
    }

    /// Runs the whole graph once in `session` and validates it: every task checked its inputs, the last step's
    /// outputs are those of the last step's tasks, and (when `checkFirings`) every task ran once per run so far.
    ///
    /// - Throws: `SessionError` (a task's ``TaskBenchValidationError`` arrives as `.opFailed(op:underlying:)`),
    ///   or ``TaskBenchValidationError`` for a wrong final output or firing count.
    @discardableResult
    public func run(in session: Session, checkFirings: Bool = true) throws -> RunResult {
        let value = try session.run(fetch: fetch, options: RunOptions())
        setting.runs.add(1, ordering: .relaxed)
        guard case .list(let items) = value else { return RunResult(lastStep: []) }
        var last: [NDArray] = []
        for (task, item) in zip(lastStepTasks, items) {
            guard case .tensor(let array) = item else { continue }
            try TaskBenchValidation.check(
                [array], of: TaskBenchTask(step: task.step + 1, column: task.column), dependencies: [task.column])
            last.append(array)
        }
        if checkFirings { try verifyFirings() }
        return RunResult(lastStep: last)
    }

    /// Checks that every task ran exactly once per run made through ``run(in:checkFirings:)`` so far.
    ///
    /// - Throws: ``TaskBenchValidationError`` `.firings` naming the first task that did not.
    public func verifyFirings() throws(TaskBenchValidationError) {
        let runs = setting.runs.load(ordering: .relaxed)
        for counter in ledger.counters {
            let firings = counter.firings.load(ordering: .relaxed)
            if firings != runs {
                throw TaskBenchValidationError(task: counter.task, problem: .firings(runs: runs, firings: firings))
            }
        }
    }

    /// The graph's mutable settings, shared by every task's kernel.
    private final class Setting: Sendable {
        let iterations = Atomic<Int>(0)
        let runs = Atomic<Int>(0)
    }

    /// One counter per task, each its own object so that two workers never write the same one.
    private final class FiringLedger: Sendable {
        final class Counter: Sendable {
            let task: TaskBenchTask
            let firings = Atomic<Int>(0)
            init(task: TaskBenchTask) { self.task = task }
        }
        let counters: [Counter]
        init(counters: [Counter]) { self.counters = counters }
    }

    /// What a task's op runs: check the inputs, count the firing, run the kernel, hand out the output. A class, so
    /// the op's closure holds one reference instead of retaining each field on every firing.
    private final class TaskBody: Sendable {
        let task: TaskBenchTask
        let dependencies: [Int]
        let kernel: TaskBenchKernel
        let setting: Setting
        let counter: FiringLedger.Counter
        let scratch: TaskScratch?
        /// The task's output: the same (step, column) words on every firing, so they are written once, here, into
        /// a buffer every firing hands out (as Task Bench's C++ tasks write into buffers allocated once).
        let output: [NDArray]

        init(
            task: TaskBenchTask, dependencies: [Int], kernel: TaskBenchKernel, words: Int, setting: Setting,
            counter: FiringLedger.Counter
        ) {
            self.task = task
            self.dependencies = dependencies
            self.kernel = kernel
            self.setting = setting
            self.counter = counter
            scratch = kernel.kind == .memory_bound ? TaskScratch(words: kernel.scratchBytes / 8) : nil
            output = [TaskBenchValidation.output(of: task, words: words)]
        }

        func fire(_ inputs: [NDArray]) throws -> [NDArray] {
            try TaskBenchValidation.check(inputs, of: task, dependencies: dependencies)
            counter.firings.add(1, ordering: .relaxed)
            let n = kernel.iterations(setting.iterations.load(ordering: .relaxed), step: task.step, column: task.column)
            switch kernel.kind {
            case .empty:
                break
            case .busy_wait:
                if TaskBenchKernel.busyWait(iterations: n) < 0 { throw KernelSanityError(task: task) }
            case .compute_bound, .load_imbalance:
                if TaskBenchKernel.computeBound(iterations: n).isNaN { throw KernelSanityError(task: task) }
            case .memory_bound:
                _ = scratch?.pass(iterations: n, samples: kernel.samples, step: task.step)
            }
            return output
        }
    }

    /// A task's `memory_bound` scratch buffer. Only its own task touches it, and a task's firings never overlap
    /// (one per run, runs one after another), which is why the unchecked conformance is sound.
    private final class TaskScratch: @unchecked Sendable {
        private var words: [UInt64]
        init(words: Int) { self.words = [UInt64](repeating: 0, count: words) }
        func pass(iterations: Int, samples: Int, step: Int) -> UInt64 {
            TaskBenchKernel.memoryBound(iterations: iterations, scratch: &words, samples: samples, step: step)
        }
    }
}

/// A kernel produced an impossible value (a NaN sum): kept so the compiler cannot drop the kernel's loop.
struct KernelSanityError: Error, CustomStringConvertible {
    let task: TaskBenchTask
    var description: String { "task \(task): the kernel produced an impossible value" }
}
