import ActorFlowCore

/// The element-wise unary ops and their kernels.
package enum UnaryOperator: String, Sendable, CaseIterable {
    case neg = "Neg"
    case abs = "Abs"
    case square = "Square"
    case relu = "Relu"
    case sqrt = "Sqrt"
    case exp = "Exp"
    case log = "Log"
    case sigmoid = "Sigmoid"
    case tanh = "Tanh"

    /// The TensorFlow op type (also the default op name).
    package var opType: String { rawValue }

    /// Whether the op accepts integers too (otherwise only float and double).
    package var acceptsIntegers: Bool {
        switch self {
        case .neg, .abs, .square, .relu: true
        case .sqrt, .exp, .log, .sigmoid, .tanh: false
        }
    }

    /// The op applied to every element of `x`.
    ///
    /// - Throws: ``KernelError`` for a dtype the op does not accept.
    package func apply(_ x: NDArray) throws -> NDArray {
        acceptsIntegers
            ? try x.visitNumeric(ArithmeticVisitor(op: self, dimensions: x.dimensions), op: opType)
            : try x.visitFloating(FloatingVisitor(op: self, dimensions: x.dimensions), op: opType)
    }

    private struct ArithmeticVisitor: NumericVisitor {
        let op: UnaryOperator
        let dimensions: [Int]

        func visit<T: NumericScalar>(_ x: [T]) throws -> NDArray {
            let out: [T]
            switch op {
            case .neg: out = mapElements(x, Negate<T>.self)
            case .abs: out = mapElements(x, Magnitude<T>.self)
            case .square: out = mapElements(x, Square<T>.self)
            case .relu: out = mapElements(x, Relu<T>.self)
            case .sqrt, .exp, .log, .sigmoid, .tanh:
                throw KernelError("\(op.opType) does not support dtype \(T.dtype)")
            }
            return NDArray(values: out, dimensions: dimensions)
        }
    }

    private struct FloatingVisitor: ActorFlowOps.FloatingVisitor {
        let op: UnaryOperator
        let dimensions: [Int]

        func visit<T: FloatingScalar>(_ x: [T]) throws -> NDArray {
            let out: [T]
            switch op {
            case .sqrt: out = mapElements(x, SquareRoot<T>.self)
            case .exp: out = mapElements(x, Exponential<T>.self)
            case .log: out = mapElements(x, Logarithm<T>.self)
            case .tanh: out = mapElements(x, HyperbolicTangent<T>.self)
            case .sigmoid: out = mapElements(x, Sigmoid<T>.self)
            case .neg, .abs, .square, .relu:
                return try ArithmeticVisitor(op: op, dimensions: dimensions).visit(x)
            }
            return NDArray(values: out, dimensions: dimensions)
        }
    }
}

// The element functions, one type each (see `mapElements`).

private enum Negate<T: NumericScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.negate(x) }
}

private enum Magnitude<T: NumericScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.magnitude(x) }
}

private enum Square<T: NumericScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.multiply(x, x) }
}

/// `max(x, 0)`; NaN stays NaN (`x == x` is false only for NaN).
private enum Relu<T: NumericScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { x > .zero || x != x ? x : .zero }
}

private enum SquareRoot<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { x.squareRoot() }
}

private enum Exponential<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.exponential(x) }
}

private enum Logarithm<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.logarithm(x) }
}

private enum HyperbolicTangent<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.hyperbolicTangent(x) }
}

/// `1 / (1 + e⁻ˣ)`, taking exp of a non-positive argument only so it never overflows.
private enum Sigmoid<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T {
        if x >= 0 { return 1 / (1 + T.exponential(-x)) }
        let e = T.exponential(x)
        return e / (1 + e)
    }
}
