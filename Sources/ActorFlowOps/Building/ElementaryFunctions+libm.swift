// The only file of ActorFlowOps that calls C: the C library's exp, log and tanh (Swift's standard library
// has no elementary functions; swift-numerics is not a dependency).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Float: FloatingScalar {
    /// The corresponding C function is `expf`.
    @inline(__always) package static func exponential(_ x: Float) -> Float { expf(x) }
    /// The corresponding C function is `logf`.
    @inline(__always) package static func logarithm(_ x: Float) -> Float { logf(x) }
    /// The corresponding C function is `tanhf`.
    @inline(__always) package static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }
}

extension Double: FloatingScalar {
    /// The corresponding C function is `exp`.
    @inline(__always) package static func exponential(_ x: Double) -> Double { exp(x) }
    /// The corresponding C function is `log`.
    @inline(__always) package static func logarithm(_ x: Double) -> Double { log(x) }
    /// The corresponding C function is `tanh`.
    @inline(__always) package static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
}
