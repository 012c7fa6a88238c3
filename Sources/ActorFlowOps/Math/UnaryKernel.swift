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
    /// Large inputs are split into chunks over `loops` (the kernel's `parallelFor`).
    package func apply(_ x: NDArray, loops: KernelLoops = .serial) throws -> NDArray {
        acceptsIntegers
            ? try x.visitNumeric(ArithmeticVisitor(op: self, dimensions: x.dimensions, loops: loops), op: opType)
            : try x.visitFloating(FloatingVisitor(op: self, dimensions: x.dimensions, loops: loops), op: opType)
    }

    private struct ArithmeticVisitor: NumericVisitor {
        let op: UnaryOperator
        let dimensions: [Int]
        let loops: KernelLoops

        func visit<T: NumericScalar>(_ x: [T]) throws -> NDArray {
            let out: [T]
            switch op {
            case .neg: out = try mapElements(x, Negate<T>.self, loops: loops)
            case .abs: out = try mapElements(x, Magnitude<T>.self, loops: loops)
            case .square: out = try mapElements(x, Square<T>.self, loops: loops)
            case .relu: out = try mapElements(x, Relu<T>.self, loops: loops)
            case .sqrt, .exp, .log, .sigmoid, .tanh:
                throw KernelError("\(op.opType) does not support dtype \(T.dtype)")
            }
            return NDArray(values: out, dimensions: dimensions)
        }
    }

    private struct FloatingVisitor: ActorFlowOps.FloatingVisitor {
        let op: UnaryOperator
        let dimensions: [Int]
        let loops: KernelLoops

        func visit<T: FloatingScalar>(_ x: [T]) throws -> NDArray {
            let out: [T]
            switch op {
            case .sqrt: out = try mapElements(x, SquareRoot<T>.self, loops: loops)
            case .exp: out = try mapElements(x, Exponential<T>.self, loops: loops)
            case .log: out = try mapElements(x, Logarithm<T>.self, loops: loops)
            case .tanh: out = try mapElements(x, HyperbolicTangent<T>.self, loops: loops)
            case .sigmoid: out = try mapElements(x, Sigmoid<T>.self, loops: loops)
            case .neg, .abs, .square, .relu:
                return try ArithmeticVisitor(op: op, dimensions: dimensions, loops: loops).visit(x)
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
    static var cycles: Double { 8 }
}

private enum Exponential<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.exponential(x) }
    static var cycles: Double { 20 }
}

private enum Logarithm<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.logarithm(x) }
    static var cycles: Double { 20 }
}

private enum HyperbolicTangent<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T { T.hyperbolicTangent(x) }
    static var cycles: Double { 30 }
}

/// `1 / (1 + e⁻ˣ)`, taking exp of a non-positive argument only so it never overflows.
private enum Sigmoid<T: FloatingScalar>: UnaryFunction {
    static func apply(_ x: T) -> T {
        if x >= 0 { return 1 / (1 + T.exponential(-x)) }
        let e = T.exponential(x)
        return e / (1 + e)
    }
    static var cycles: Double { 25 }
}
