import ActorFlowCore

/// A TensorFlow 1 (ref) variable: a value kept in the session across runs.
///
/// Create one with `g.variable(initialValue:name:)`, run its ``initializer`` (or
/// `g.globalVariablesInitializer()`) once per session, then read ``value`` and update it with `g.assign`,
/// `g.assignAdd` or `g.assignSub`.
/// Each session has its own values (they live in its `SessionState`, keyed by the variable op's `id`).
///
///     let cnt = g.variable(initialValue: NDArray(Float(0)), name: "cnt")
///     let inc = g.assignAdd(cnt, g.constant(Float(1)))
///     try session.run(g.globalVariablesInitializer())
///     try session.run(inc)        // 1.0
///     try session.run(cnt.value)  // 1.0
///
/// Reading it before initialization fails the run with "Attempting to use uninitialized value cnt".
public struct Variable: Hashable, Sendable, CustomStringConvertible {
    /// The `VariableV2` op; running it reads the current value.
    public let op: Operation
    /// The initializer: an `Assign` of ``initialValue`` (named `"<name>/Assign"`).
    public let initializer: Operation
    /// The tensor the initializer assigns (a constant named `"<name>/initial_value"`, or the tensor given).
    public let initialValue: Tensor

    package init(op: Operation, initializer: Operation, initialValue: Tensor) {
        self.op = op
        self.initializer = initializer
        self.initialValue = initialValue
    }

    /// The current value (the variable op's output, TensorFlow's `var.value()`).
    public var value: Tensor { op.output(0) }
    /// The variable's name (its op's name).
    public var name: String { op.name }
    /// The element type.
    public var dtype: DType { op.outputDTypes[0] }
    /// The static shape: the initial value's static shape.
    public var shape: TensorShape { op.outputShapes[0] }

    /// `<Variable 'cnt:0' shape=() dtype=float>`, TensorFlow's spelling.
    public var description: String { "<Variable '\(name):0' shape=\(shape) dtype=\(dtype)>" }
}

extension Graph {
    /// The collection holding every variable op, in creation order (TensorFlow's `GraphKeys.GLOBAL_VARIABLES`).
    public static let globalVariablesCollection = "variables"
    /// The collection holding every variable's initializer, in the same order as
    /// ``globalVariablesCollection``.
    public static let variableInitializersCollection = "variable_initializers"
}
