import ActorFlowCore

// The binary element functions as types, shared by the element-wise ops (`BroadcastPlan.map`), the
// reductions and the variable updates: a type per function makes every (function, dtype) pair a
// specialization with the function inlined into the loop.

package enum Add<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { T.add(a, b) }
}

package enum Subtract<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { T.subtract(a, b) }
}

package enum Multiply<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { T.multiply(a, b) }
}

package enum Divide<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { T.divide(a, b) }
    package static var cycles: Double { 10 }
}

package enum FloorDivide<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { T.floorDivide(a, b) }
    package static var cycles: Double { 12 }
}

/// NaN wins, as in TensorFlow (`x != x` only for NaN).
package enum Maximum<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { a >= b || a != a ? a : b }
}

/// NaN wins, as in TensorFlow.
package enum Minimum<T: NumericScalar>: BinaryFunction {
    package static func apply(_ a: T, _ b: T) -> T { a <= b || a != a ? a : b }
}
