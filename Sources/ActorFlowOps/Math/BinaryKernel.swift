import ActorFlowCore

/// The element-wise binary ops and their broadcasting kernel.
package enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "Add"
    case sub = "Sub"
    case mul = "Mul"
    case div = "Div"
    case floorDiv = "FloorDiv"
    case maximum = "Maximum"
    case minimum = "Minimum"

    /// The TensorFlow op type (also the default op name).
    package var opType: String { rawValue }

    /// `lhs ∘ rhs` with NumPy broadcasting.
    ///
    /// - Throws: ``KernelError`` for incompatible shapes ("Incompatible shapes: [2,3] vs. [4]"), mismatched
    ///   or non-arithmetic dtypes, and an integer division by zero ("Integer division by zero").
    ///
    /// Large outputs are split into chunks over `loops` (the kernel's `parallelFor`); every element is computed as
    /// on one thread, so the result's bits do not depend on the split.
    ///
    /// Two one-element operands of one shape and dtype take a fast path with no visitor, plan or array: the result
    /// is written into `lhs`'s buffer when the caller handed over its only reference (`ctx.takeInput(0)` of a
    /// value its producer delivered to this op alone), into a new one-element buffer otherwise.
    package func apply(_ lhs: consuming NDArray, _ rhs: NDArray, loops: KernelLoops = .serial) throws -> NDArray {
        if lhs.elementCount == 1, rhs.elementCount == 1, lhs.dtype == rhs.dtype, lhs.dimensions == rhs.dimensions {
            var out = consume lhs
            let done: Bool
            switch out.dtype {
            case .float32: done = try combine(&out, rhs, Float.self)
            case .float64: done = try combine(&out, rhs, Double.self)
            case .int32: done = try combine(&out, rhs, Int32.self)
            case .int64: done = try combine(&out, rhs, Int64.self)
            default: done = false
            }
            if done { return out }
            lhs = out
        }
        return try lhs.visitNumeric(Visitor(op: self, lhsDimensions: lhs.dimensions, rhs: rhs, loops: loops), op: opType)
    }

    /// The one-element fast path of ``apply(_:_:loops:)``: the same element functions as the general kernel.
    private func combine<T: NumericScalar>(_ out: inout NDArray, _ rhs: NDArray, _: T.Type) throws -> Bool {
        try out.combineOnlyElement(T.self, with: rhs) { (a: T, b: T) throws(KernelError) -> T in
            switch self {
            case .add: return Add<T>.apply(a, b)
            case .sub: return Subtract<T>.apply(a, b)
            case .mul: return Multiply<T>.apply(a, b)
            case .div:
                if T.isInteger, b == .zero { throw KernelError("Integer division by zero") }
                return Divide<T>.apply(a, b)
            case .floorDiv:
                if T.isInteger, b == .zero { throw KernelError("Integer division by zero") }
                return FloorDivide<T>.apply(a, b)
            case .maximum: return Maximum<T>.apply(a, b)
            case .minimum: return Minimum<T>.apply(a, b)
            }
        }
    }

    private struct Visitor: NumericVisitor {
        let op: BinaryOperator
        let lhsDimensions: [Int]
        let rhs: NDArray
        let loops: KernelLoops

        func visit<T: NumericScalar>(_ a: [T]) throws -> NDArray {
            let b = try rhs.elements(as: T.self, op: op.opType)
            // Same shapes (scalars included): no broadcast plan, and the output shares the input's dimensions.
            if lhsDimensions == rhs.dimensions { return NDArray(values: try sameShape(a, b), dimensions: lhsDimensions) }
            let plan = try BroadcastPlan(lhs: lhsDimensions, rhs: rhs.dimensions)
            let out: [T]
            switch op {
            case .add: out = try plan.map(a, b, Add<T>.self, loops: loops)
            case .sub: out = try plan.map(a, b, Subtract<T>.self, loops: loops)
            case .mul: out = try plan.map(a, b, Multiply<T>.self, loops: loops)
            case .div:
                try Self.checkDivisor(b, plan)
                out = try plan.map(a, b, Divide<T>.self, loops: loops)
            case .floorDiv:
                try Self.checkDivisor(b, plan)
                out = try plan.map(a, b, FloorDivide<T>.self, loops: loops)
            case .maximum: out = try plan.map(a, b, Maximum<T>.self, loops: loops)
            case .minimum: out = try plan.map(a, b, Minimum<T>.self, loops: loops)
            }
            return NDArray(values: out, dimensions: plan.dimensions)
        }

        /// The element-wise result for operands of one shape.
        private func sameShape<T: NumericScalar>(_ a: [T], _ b: [T]) throws -> [T] {
            switch op {
            case .add: return try mapPairs(a, b, Add<T>.self, loops: loops)
            case .sub: return try mapPairs(a, b, Subtract<T>.self, loops: loops)
            case .mul: return try mapPairs(a, b, Multiply<T>.self, loops: loops)
            case .div:
                if T.isInteger, b.contains(.zero) { throw KernelError("Integer division by zero") }
                return try mapPairs(a, b, Divide<T>.self, loops: loops)
            case .floorDiv:
                if T.isInteger, b.contains(.zero) { throw KernelError("Integer division by zero") }
                return try mapPairs(a, b, FloorDivide<T>.self, loops: loops)
            case .maximum: return try mapPairs(a, b, Maximum<T>.self, loops: loops)
            case .minimum: return try mapPairs(a, b, Minimum<T>.self, loops: loops)
            }
        }

        /// Integer kernels would trap on a zero divisor; TensorFlow reports it as an error.
        private static func checkDivisor<T: NumericScalar>(_ b: [T], _ plan: BroadcastPlan) throws(KernelError) {
            if T.isInteger, plan.count > 0, b.contains(.zero) { throw KernelError("Integer division by zero") }
        }
    }
}

