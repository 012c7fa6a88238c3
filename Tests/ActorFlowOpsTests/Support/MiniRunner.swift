import ActorFlowCore

/// A tiny interpreter for tests: evaluates ops by calling their kernels on their producers' values.
///
/// It stands in for the session (which lives in another module): one ``SessionState`` across runs, feeds
/// that cut the graph, control inputs run first, build errors surface as ``MiniRunner/Failure/invalid``.
/// Each `run` memoizes op outputs for that run only, like one step.
final class MiniRunner {
    enum Failure: Error, CustomStringConvertible {
        /// The op has a build error.
        case invalid(op: String, reason: String)
        /// The op's kernel threw.
        case failed(op: String, underlying: any Error)

        var description: String {
            switch self {
            case .invalid(let op, let reason): "Operation '\(op)' is invalid: \(reason)"
            case .failed(let op, let underlying): "Op '\(op)' failed: \(underlying)"
            }
        }

        /// The kernel's message, when it threw a ``KernelError``.
        var kernelMessage: String? {
            if case .failed(_, let error as KernelError) = self { return error.message }
            return nil
        }

        /// The build error, when the op was invalid.
        var buildError: String? {
            if case .invalid(_, let reason) = self { return reason }
            return nil
        }
    }

    let state = SessionState()
    private var stepID: Int64 = 0

    /// The value of `tensor`, with `feeds` replacing the values of the tensors they name.
    func run(_ tensor: Tensor, feeds: [Tensor: NDArray] = [:]) throws(Failure) -> NDArray {
        var step = Step(feeds: feeds, state: state, stepID: nextStep())
        return try step.value(tensor)
    }

    /// The values of several tensors in one step.
    func run(_ tensors: [Tensor], feeds: [Tensor: NDArray] = [:]) throws(Failure) -> [NDArray] {
        var step = Step(feeds: feeds, state: state, stepID: nextStep())
        var out: [NDArray] = []
        for t in tensors { out.append(try step.value(t)) }
        return out
    }

    /// Runs `op` for its effect.
    func run(_ op: Operation, feeds: [Tensor: NDArray] = [:]) throws(Failure) {
        var step = Step(feeds: feeds, state: state, stepID: nextStep())
        _ = try step.outputs(op)
    }

    private func nextStep() -> Int64 {
        stepID += 1
        return stepID
    }

    private struct Step {
        let feeds: [Tensor: NDArray]
        let state: SessionState
        let stepID: Int64
        var done: [ObjectIdentifier: [NDArray]] = [:]

        init(feeds: [Tensor: NDArray], state: SessionState, stepID: Int64) {
            self.feeds = feeds
            self.state = state
            self.stepID = stepID
        }

        mutating func value(_ t: Tensor) throws(Failure) -> NDArray {
            if let fed = feeds[t] { return fed }
            return try outputs(t.op)[t.index]
        }

        mutating func outputs(_ op: Operation) throws(Failure) -> [NDArray] {
            if let cached = done[ObjectIdentifier(op)] { return cached }
            if let reason = op.buildError { throw .invalid(op: op.name, reason: reason) }
            for control in op.controlInputs { _ = try outputs(control) }
            var inputs: [NDArray] = []
            for input in op.inputs { inputs.append(try value(input)) }
            let context = KernelContext(
                op: op, inputs: inputs, state: state, stepID: stepID, cancellation: StepCancellation())
            let result: [NDArray]
            do {
                result = try op.kernel.compute(context)
            } catch {
                throw .failed(op: op.name, underlying: error)
            }
            done[ObjectIdentifier(op)] = result
            return result
        }
    }
}

/// The build error of the op producing `t`, for `#expect(buildError(t)?.contains("…") == true)`.
func buildError(_ t: Tensor) -> String? { t.op.buildError }

/// The message of the ``KernelError`` running `body` throws, or `nil` when it does not throw one.
func kernelMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let failure as MiniRunner.Failure {
        return failure.kernelMessage
    } catch {
        return nil
    }
}

/// A seeded generator (SplitMix64), so random test data is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
