import ActorFlowCore

/// An element type arithmetic kernels are written for: `Float`, `Double`, `Int32`, `Int64`.
///
/// Kernels are generic over this protocol and specialized per dtype by ``NDArray/visitNumeric(_:op:)``.
/// Integer arithmetic wraps on overflow as TensorFlow's (C++) kernels do, so no user value can trap.
package protocol NumericScalar: NDArrayScalar, Comparable {
    static var zero: Self { get }
    static var one: Self { get }
    /// The identity of `max`: −∞ for floating point, `.min` for integers.
    static var lowest: Self { get }
    /// The identity of `min`: +∞ for floating point, `.max` for integers.
    static var highest: Self { get }
    /// Whether the type is an integer type (division truncates, zero divisors are errors).
    static var isInteger: Bool { get }
    /// `a + b`, wrapping for integers.
    static func add(_ a: Self, _ b: Self) -> Self
    /// `a - b`, wrapping for integers.
    static func subtract(_ a: Self, _ b: Self) -> Self
    /// `a * b`, wrapping for integers.
    static func multiply(_ a: Self, _ b: Self) -> Self
    /// `a / b`; for integers truncating toward zero with a nonzero `b` (callers check), `.min / -1` wraps.
    static func divide(_ a: Self, _ b: Self) -> Self
    /// `⌊a / b⌋`; for integers with a nonzero `b` (callers check).
    static func floorDivide(_ a: Self, _ b: Self) -> Self
    /// `-a`, wrapping for integers (`-Int32.min == Int32.min`, as in C).
    static func negate(_ a: Self) -> Self
    /// `|a|`, wrapping for integers (`abs(Int32.min) == Int32.min`, as in C).
    static func magnitude(_ a: Self) -> Self
    /// `count` converted to this type (for means).
    static func fromCount(_ count: Int) -> Self
}

/// `Int32` and `Int64`: wrapping arithmetic.
package protocol IntegerScalar: NumericScalar, FixedWidthInteger, SignedInteger {}

extension IntegerScalar {
    package static var one: Self { 1 }
    package static var lowest: Self { .min }
    package static var highest: Self { .max }
    package static var isInteger: Bool { true }
    @inline(__always) package static func add(_ a: Self, _ b: Self) -> Self { a &+ b }
    @inline(__always) package static func subtract(_ a: Self, _ b: Self) -> Self { a &- b }
    @inline(__always) package static func multiply(_ a: Self, _ b: Self) -> Self { a &* b }
    @inline(__always) package static func divide(_ a: Self, _ b: Self) -> Self {
        a.dividedReportingOverflow(by: b).partialValue
    }
    @inline(__always) package static func floorDivide(_ a: Self, _ b: Self) -> Self {
        let (q, overflow) = a.dividedReportingOverflow(by: b)
        if overflow { return q }
        // Truncation rounds toward zero; step down when the signs differ and the division was inexact.
        let r = a.remainderReportingOverflow(dividingBy: b).partialValue
        return r != 0 && (a < 0) != (b < 0) ? q &- 1 : q
    }
    @inline(__always) package static func negate(_ a: Self) -> Self { 0 &- a }
    @inline(__always) package static func magnitude(_ a: Self) -> Self { a < 0 ? 0 &- a : a }
    package static func fromCount(_ count: Int) -> Self { Self(truncatingIfNeeded: count) }
}

extension Int32: IntegerScalar {}
extension Int64: IntegerScalar {}

/// `Float` and `Double`: IEEE arithmetic plus the elementary functions of
/// `ElementaryFunctions+libm.swift`.
package protocol FloatingScalar: NumericScalar, BinaryFloatingPoint {
    /// eˣ.
    static func exponential(_ x: Self) -> Self
    /// ln x (NaN below zero, −∞ at zero).
    static func logarithm(_ x: Self) -> Self
    /// tanh x.
    static func hyperbolicTangent(_ x: Self) -> Self
}

extension FloatingScalar {
    package static var one: Self { 1 }
    package static var lowest: Self { -.infinity }
    package static var highest: Self { .infinity }
    package static var isInteger: Bool { false }
    @inline(__always) package static func add(_ a: Self, _ b: Self) -> Self { a + b }
    @inline(__always) package static func subtract(_ a: Self, _ b: Self) -> Self { a - b }
    @inline(__always) package static func multiply(_ a: Self, _ b: Self) -> Self { a * b }
    @inline(__always) package static func divide(_ a: Self, _ b: Self) -> Self { a / b }
    @inline(__always) package static func floorDivide(_ a: Self, _ b: Self) -> Self { (a / b).rounded(.down) }
    @inline(__always) package static func negate(_ a: Self) -> Self { -a }
    @inline(__always) package static func magnitude(_ a: Self) -> Self { Swift.abs(a) }
    package static func fromCount(_ count: Int) -> Self { Self(count) }
}
