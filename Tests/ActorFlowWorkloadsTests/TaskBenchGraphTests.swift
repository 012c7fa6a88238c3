import ActorFlow
import ActorFlowTestSupport
import ActorFlowWorkloads
import Testing

/// Task Bench graphs run through sessions: every pattern and kernel validates, and a wrongly wired input fails the
/// run with an error naming the task.
@Suite("Task Bench graphs")
struct TaskBenchGraphTests {
    @Test("every pattern runs and validates under every kernel, twice in one session")
    func everyPattern() async throws {
        try await onPlainThread {
            for pattern in TaskBenchPattern.allCases {
                for kind in TaskBenchKernel.Kind.allCases {
                    let shape = TaskBenchGraphShape(pattern: pattern, width: 5, steps: 6, radix: 3)
                    let tb = TaskBenchGraph(shape: shape, kernel: TaskBenchKernel(kind: kind, scratchBytes: 1024))
                    tb.iterations = 3
                    let session = Session(graph: tb.graph)
                    defer { session.close() }
                    let first = try tb.run(in: session)
                    try tb.run(in: session)
                    #expect(first.lastStep.count == shape.activeColumns(step: 5).count, "\(pattern) \(kind)")
                    #expect(tb.taskCount == shape.taskCount)
                }
            }
        }
    }

    @Test("a task fed a buffer from the wrong step fails the run, naming the task and the input")
    func staleInputIsCaught() async throws {
        let shape = TaskBenchGraphShape(pattern: .stencil_1d, width: 2, steps: 5)
        let faulty = TaskBenchTask(step: 3, column: 1)
        let tb = TaskBenchGraph(shape: shape, kernel: TaskBenchKernel(kind: .empty), fault: .staleInput(faulty))
        let caught: SessionError? = try await onPlainThread {
            let session = Session(graph: tb.graph)
            defer { session.close() }
            do {
                try tb.run(in: session)
                return nil
            } catch let error as SessionError {
                return error
            }
        }
        guard case .opFailed(let op, let underlying)? = caught else {
            Issue.record("expected opFailed, got \(String(describing: caught))")
            return
        }
        #expect(op == "task_3_1")
        let validation = try #require(underlying as? TaskBenchValidationError)
        #expect(validation.task == faulty)
        #expect(
            validation.problem
                == .wrongInput(
                    index: 0, expected: TaskBenchTask(step: 2, column: 0), got: TaskBenchTask(step: 1, column: 0)))
        #expect(validation.description == "task (step 3, column 1): input 0 should be the output of (step 2, column 0), got (step 1, column 0)")
    }

    @Test("the input check rejects a missing input, a malformed buffer and a wrong column")
    func inputChecks() {
        let task = TaskBenchTask(step: 4, column: 2)
        let good = [1, 2].map { TaskBenchValidation.output(of: TaskBenchTask(step: 3, column: $0), words: 4) }
        #expect(throws: Never.self) { try TaskBenchValidation.check(good, of: task, dependencies: [1, 2]) }
        #expect(throws: TaskBenchValidationError(task: task, problem: .inputCount(expected: 2, got: 1))) {
            try TaskBenchValidation.check([good[0]], of: task, dependencies: [1, 2])
        }
        #expect(
            throws: TaskBenchValidationError(
                task: task, problem: .wrongInput(index: 0, expected: TaskBenchTask(step: 3, column: 1), got: nil))
        ) {
            try TaskBenchValidation.check([NDArray(Float(1)), good[1]], of: task, dependencies: [1, 2])
        }
        #expect(
            throws: TaskBenchValidationError(
                task: task,
                problem: .wrongInput(
                    index: 0, expected: TaskBenchTask(step: 3, column: 1), got: TaskBenchTask(step: 3, column: 2)))
        ) {
            try TaskBenchValidation.check(good.reversed(), of: task, dependencies: [1, 2])
        }
    }

    @Test("work counts follow the paper: 2 × 64 FLOPs per iteration plus 64 for compute_bound")
    func workCounts() {
        let shape = TaskBenchGraphShape(pattern: .stencil_1d, width: 2, steps: 3)
        #expect(TaskBenchKernel(kind: .compute_bound).totalWork(shape, iterations: 10) == 6 * (2 * 64 * 10 + 64))
        #expect(TaskBenchKernel(kind: .memory_bound, scratchBytes: 4096, samples: 16).work(
            iterations: 2, step: 0, column: 0) == 512)
        #expect(TaskBenchKernel(kind: .empty).totalWork(shape, iterations: 99) == 6)
        let imbalanced = TaskBenchKernel(kind: .load_imbalance, imbalance: 1)
        let counts = (0..<20).map { imbalanced.iterations(1000, step: $0, column: 1) }
        #expect(counts.allSatisfy { (500...1500).contains($0) })
        #expect(Set(counts).count > 1)
    }
}
