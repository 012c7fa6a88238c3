import ActorFlow

/// A task of a Task Bench graph: its step (row) and column.
public struct TaskBenchTask: Sendable, Hashable, CustomStringConvertible {
    public var step: Int
    public var column: Int

    public init(step: Int, column: Int) {
        self.step = step
        self.column = column
    }

    /// `(step 3, column 1)`.
    public var description: String { "(step \(step), column \(column))" }
}

/// A Task Bench run that did not compute what its graph says: a task received the wrong inputs, or some task ran
/// a number of times other than once per run. Names the task and what was wrong.
///
///     // thrown by the kernel of task (step 4, column 1), wrapped by the session as
///     // SessionError.opFailed(op: "task_4_1", underlying: TaskBenchValidationError(...)):
///     // task (step 4, column 1): input 0 should be the output of (step 3, column 0), got (step 2, column 0)
public struct TaskBenchValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Problem: Hashable, Sendable {
        /// The task received `got` inputs where its pattern gives it `expected` dependencies.
        case inputCount(expected: Int, got: Int)
        /// Input `index` held the output of `got` (or of nothing recognizable: `nil`) instead of `expected`'s.
        case wrongInput(index: Int, expected: TaskBenchTask, got: TaskBenchTask?)
        /// Over `runs` runs the task ran `firings` times.
        case firings(runs: Int, firings: Int)
    }

    /// The task that detected the problem (or whose firings were miscounted).
    public let task: TaskBenchTask
    /// What was wrong.
    public let problem: Problem

    public init(task: TaskBenchTask, problem: Problem) {
        self.task = task
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .inputCount(let expected, let got):
            return "task \(task): expected \(expected) inputs, got \(got)"
        case .wrongInput(let index, let expected, let got):
            let what = got.map { "\($0)" } ?? "a malformed buffer"
            return "task \(task): input \(index) should be the output of \(expected), got \(what)"
        case .firings(let runs, let firings):
            return "task \(task): ran \(firings) times in \(runs) runs"
        }
    }
}

/// The buffers Task Bench's tasks exchange, and the check each task makes of its inputs: every word pair of an
/// output holds the producing task's (step, column), so a consumer can tell whether it received exactly the
/// outputs of its dependencies, from the previous step, in order.
///
///     let out = TaskBenchValidation.output(of: TaskBenchTask(step: 2, column: 1), words: 2)   // int64 [2, 1]
///     try TaskBenchValidation.check([out], of: TaskBenchTask(step: 3, column: 1), dependencies: [1])   // passes
public enum TaskBenchValidation {
    /// An output buffer of `words` int64s (at least 2) filled with (step, column) pairs.
    public static func output(of task: TaskBenchTask, words: Int) -> NDArray {
        let count = max(2, words & ~1)
        var values = [Int64](repeating: Int64(task.column), count: count)
        let step = Int64(task.step)
        var i = 0
        while i < count {
            values[i] = step
            i += 2
        }
        return NDArray(values)
    }

    /// Checks that `inputs` are, in order, the outputs of `dependencies` (columns) at the step before `task`'s.
    ///
    /// - Throws: ``TaskBenchValidationError`` naming `task` and the first wrong input.
    public static func check(
        _ inputs: [NDArray], of task: TaskBenchTask, dependencies: [Int]
    ) throws(TaskBenchValidationError) {
        guard inputs.count == dependencies.count else {
            throw TaskBenchValidationError(
                task: task, problem: .inputCount(expected: dependencies.count, got: inputs.count))
        }
        let step = Int64(task.step - 1)
        for index in inputs.indices {
            let column = dependencies[index]
            guard case .int64(let words) = inputs[index].storage, words.count >= 2, words.count % 2 == 0 else {
                throw wrong(task, index, column, got: nil)
            }
            var i = 0
            while i < words.count {
                if words[i] != step || words[i + 1] != Int64(column) {
                    throw wrong(task, index, column, got: TaskBenchTask(step: Int(words[i]), column: Int(words[i + 1])))
                }
                i += 2
            }
        }
    }

    private static func wrong(_ task: TaskBenchTask, _ index: Int, _ column: Int, got: TaskBenchTask?)
        -> TaskBenchValidationError
    {
        TaskBenchValidationError(
            task: task,
            problem: .wrongInput(index: index, expected: TaskBenchTask(step: task.step - 1, column: column), got: got))
    }
}
