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
    package func apply(_ lhs: NDArray, _ rhs: NDArray) throws -> NDArray {
        try lhs.visitNumeric(Visitor(op: self, lhsDimensions: lhs.dimensions, rhs: rhs), op: opType)
    }

    private struct Visitor: NumericVisitor {
        let op: BinaryOperator
        let lhsDimensions: [Int]
        let rhs: NDArray

        func visit<T: NumericScalar>(_ a: [T]) throws -> NDArray {
            let b = try rhs.elements(as: T.self, op: op.opType)
            // Same shapes (scalars included): no broadcast plan, and the output shares the input's dimensions.
            if lhsDimensions == rhs.dimensions { return NDArray(values: try sameShape(a, b), dimensions: lhsDimensions) }
            let plan = try BroadcastPlan(lhs: lhsDimensions, rhs: rhs.dimensions)
            let out: [T]
            switch op {
            case .add: out = plan.map(a, b, Add<T>.self)
            case .sub: out = plan.map(a, b, Subtract<T>.self)
            case .mul: out = plan.map(a, b, Multiply<T>.self)
            case .div:
                try Self.checkDivisor(b, plan)
                out = plan.map(a, b, Divide<T>.self)
            case .floorDiv:
                try Self.checkDivisor(b, plan)
                out = plan.map(a, b, FloorDivide<T>.self)
            case .maximum: out = plan.map(a, b, Maximum<T>.self)
            case .minimum: out = plan.map(a, b, Minimum<T>.self)
            }
            return NDArray(values: out, dimensions: plan.dimensions)
        }

        /// The element-wise result for operands of one shape.
        private func sameShape<T: NumericScalar>(_ a: [T], _ b: [T]) throws -> [T] {
            switch op {
            case .add: return mapPairs(a, b, Add<T>.self)
            case .sub: return mapPairs(a, b, Subtract<T>.self)
            case .mul: return mapPairs(a, b, Multiply<T>.self)
            case .div:
                if T.isInteger, b.contains(.zero) { throw KernelError("Integer division by zero") }
                return mapPairs(a, b, Divide<T>.self)
            case .floorDiv:
                if T.isInteger, b.contains(.zero) { throw KernelError("Integer division by zero") }
                return mapPairs(a, b, FloorDivide<T>.self)
            case .maximum: return mapPairs(a, b, Maximum<T>.self)
            case .minimum: return mapPairs(a, b, Minimum<T>.self)
            }
        }

        /// Integer kernels would trap on a zero divisor; TensorFlow reports it as an error.
        private static func checkDivisor<T: NumericScalar>(_ b: [T], _ plan: BroadcastPlan) throws(KernelError) {
            if T.isInteger, plan.count > 0, b.contains(.zero) { throw KernelError("Integer division by zero") }
        }
    }
}

