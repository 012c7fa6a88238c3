import ActorFlowCore

extension Graph {
    /// `x` converted element-wise to `dtype` (TensorFlow's `Cast`).
    ///
    ///     g.cast(g.constant([1.9, -1.9] as [Float]), to: .int32)   // [1, -1]
    ///     g.cast(g.constant([0, 2] as [Int32]), to: .bool)         // [false, true]
    ///
    /// Rules (TensorFlow's, made total so no value can trap):
    /// - float → integer truncates toward zero; **out-of-range values saturate** to the integer's min/max
    ///   and NaN becomes 0 (TensorFlow leaves these to C++, where they are undefined; we never fail a run).
    /// - integer → narrower integer keeps the low bits (`int64(2^32 + 1)` → `int32(1)`), as C and TF do.
    /// - integer or float → float rounds to nearest; double → float overflows to ±inf.
    /// - bool → number is 0 or 1; number → bool is `x != 0` (NaN is true).
    /// - string is neither source nor target (the op is invalid), except string → string.
    public func cast(_ x: Tensor, to dtype: DType, name: String? = nil) -> Tensor {
        let type = "Cast"
        let problem =
            x.dtype != dtype && (x.dtype == .string || dtype == .string)
            ? "\(type): casting \(x.dtype) to \(dtype) is not supported" : nil
        return singleOutputOp(
            type: type, name: name, inputs: [x], attributes: ["SrcT": .dtype(x.dtype), "DstT": .dtype(dtype)],
            dtype: dtype, shape: x.shape, error: problem,
            kernel: Kernel(isExpensive: x.dtype != dtype) { ctx in
                [try CastRule.cast(ctx.input(0), to: dtype, loops: ctx.kernelLoops)]
            })
    }
}

/// The conversions of `Cast`.
package enum CastRule {
    /// `x` converted to `target` with the rules documented on ``Graph/cast(_:to:name:)``; large arrays are
    /// converted in chunks over `loops` (the kernel's `parallelFor`).
    package static func cast(_ x: NDArray, to target: DType, loops: KernelLoops = .serial) throws -> NDArray {
        if x.dtype == target { return x }
        let dims = x.dimensions
        switch x.storage {
        case .float32(let v): return try fromFloating(v, to: target, dims, loops)
        case .float64(let v): return try fromFloating(v, to: target, dims, loops)
        case .int32(let v): return try fromInteger(v, to: target, dims, loops)
        case .int64(let v): return try fromInteger(v, to: target, dims, loops)
        case .bool(let v):
            return try fromInteger(try parallelMap(v, loops: loops) { Int32($0 ? 1 : 0) }, to: target, dims, loops)
        case .string: throw KernelError("Cast string to \(target) is not supported")
        }
    }

    private static func fromFloating<S: BinaryFloatingPoint & Sendable>(
        _ v: [S], to target: DType, _ dims: [Int], _ loops: KernelLoops
    ) throws -> NDArray {
        switch target {
        case .float32: return NDArray(values: try parallelMap(v, loops: loops) { Float($0) }, dimensions: dims)
        case .float64: return NDArray(values: try parallelMap(v, loops: loops) { Double($0) }, dimensions: dims)
        case .int32:
            let values = try parallelMap(v, loops: loops) { saturating($0, as: Int32.self) }
            return NDArray(values: values, dimensions: dims)
        case .int64:
            let values = try parallelMap(v, loops: loops) { saturating($0, as: Int64.self) }
            return NDArray(values: values, dimensions: dims)
        case .bool: return NDArray(values: try parallelMap(v, loops: loops) { $0 != 0 }, dimensions: dims)
        case .string: throw KernelError("Cast \(S.self) to string is not supported")
        }
    }

    private static func fromInteger<S: FixedWidthInteger & Sendable>(
        _ v: [S], to target: DType, _ dims: [Int], _ loops: KernelLoops
    ) throws -> NDArray {
        switch target {
        case .float32: return NDArray(values: try parallelMap(v, loops: loops) { Float($0) }, dimensions: dims)
        case .float64: return NDArray(values: try parallelMap(v, loops: loops) { Double($0) }, dimensions: dims)
        case .int32:
            return NDArray(values: try parallelMap(v, loops: loops) { Int32(truncatingIfNeeded: $0) }, dimensions: dims)
        case .int64:
            return NDArray(values: try parallelMap(v, loops: loops) { Int64(truncatingIfNeeded: $0) }, dimensions: dims)
        case .bool: return NDArray(values: try parallelMap(v, loops: loops) { $0 != 0 }, dimensions: dims)
        case .string: throw KernelError("Cast \(S.self) to string is not supported")
        }
    }

    /// `x` truncated toward zero and clamped to `D`'s range; NaN → 0.
    @inline(__always)
    static func saturating<S: BinaryFloatingPoint, D: FixedWidthInteger & SignedInteger>(_ x: S, as: D.Type) -> D {
        if x.isNaN { return 0 }
        // D.min is -2^(bits-1), exact in any binary floating-point type; -D.min is the first value past D.max.
        let lower = S(D.min)
        if x <= lower { return D.min }
        if x >= -lower { return D.max }
        return D(x.rounded(.towardZero))
    }
}
