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
            case .neg: out = x.map(T.negate)
            case .abs: out = x.map(T.magnitude)
            case .square: out = x.map { T.multiply($0, $0) }
            case .relu: out = x.map { $0 > .zero ? $0 : (T.isInteger || $0 == $0 ? .zero : $0) }
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
            case .sqrt: out = x.map { $0.squareRoot() }
            case .exp: out = x.map(T.exponential)
            case .log: out = x.map(T.logarithm)
            case .tanh: out = x.map(T.hyperbolicTangent)
            case .sigmoid:
                // exp of a non-positive argument only: never overflows.
                out = x.map { v in
                    if v >= 0 { return 1 / (1 + T.exponential(-v)) }
                    let e = T.exponential(v)
                    return e / (1 + e)
                }
            case .neg, .abs, .square, .relu:
                return try ArithmeticVisitor(op: op, dimensions: dimensions).visit(x)
            }
            return NDArray(values: out, dimensions: dimensions)
        }
    }
}
