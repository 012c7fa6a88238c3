// The innermost loop of every reduction: a contiguous run of input elements combined into one value.

enum ReductionRun {
    /// `x[start ..< start + count]` combined with `F`, in sixteen interleaved lanes (element `i` goes to lane
    /// `i % 16`), which are then combined pairwise: lane 0 with 8, 1 with 9, …, then the eight results likewise.
    ///
    /// Sixteen independent dependency chains let the compiler keep the lanes in vector registers, so a float sum
    /// runs at the speed of memory rather than at one add per cycle. The order depends only on `count`, so equal
    /// runs give equal bits; like TensorFlow's tree reductions, it is not the order of a sequential loop.
    ///
    ///     ReductionRun.combine(values, 0, values.count, 0, Add<Float>.self)   // the sum of values
    @inline(__always)
    static func combine<T, F: BinaryFunction>(
        _ x: [T], _ start: Int, _ count: Int, _ identity: T, _ function: F.Type
    ) -> T where F.Element == T, F.Result == T {
        precondition(start >= 0 && count >= 0 && start + count <= x.count, "reduction run out of range")
        // Float and double sums in vector registers (the scalar lanes below, which the compiler packs and unpacks
        // every iteration); the same lanes in the same order, so the same bits.
        if T.self == Float.self, F.self == Add<Float>.self {
            return unsafe unsafeBitCast(sum(unsafeBitCast(x, to: [Float].self), start, count), to: T.self)
        }
        if T.self == Double.self, F.self == Add<Double>.self {
            return unsafe unsafeBitCast(sum(unsafeBitCast(x, to: [Double].self), start, count), to: T.self)
        }
        return unsafe x.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return identity }
            let p = unsafe base + start
            var (a0, a1, a2, a3, a4, a5, a6, a7) = (identity, identity, identity, identity, identity, identity, identity, identity)
            var (b0, b1, b2, b3, b4, b5, b6, b7) = (identity, identity, identity, identity, identity, identity, identity, identity)
            var i = 0
            while i + 16 <= count {
                let q = unsafe p + i
                unsafe a0 = F.apply(a0, q[0]); unsafe a1 = F.apply(a1, q[1])
                unsafe a2 = F.apply(a2, q[2]); unsafe a3 = F.apply(a3, q[3])
                unsafe a4 = F.apply(a4, q[4]); unsafe a5 = F.apply(a5, q[5])
                unsafe a6 = F.apply(a6, q[6]); unsafe a7 = F.apply(a7, q[7])
                unsafe b0 = F.apply(b0, q[8]); unsafe b1 = F.apply(b1, q[9])
                unsafe b2 = F.apply(b2, q[10]); unsafe b3 = F.apply(b3, q[11])
                unsafe b4 = F.apply(b4, q[12]); unsafe b5 = F.apply(b5, q[13])
                unsafe b6 = F.apply(b6, q[14]); unsafe b7 = F.apply(b7, q[15])
                i += 16
            }
            while i < count {
                unsafe a0 = F.apply(a0, p[i])
                i += 1
            }
            a0 = F.apply(a0, b0); a1 = F.apply(a1, b1); a2 = F.apply(a2, b2); a3 = F.apply(a3, b3)
            a4 = F.apply(a4, b4); a5 = F.apply(a5, b5); a6 = F.apply(a6, b6); a7 = F.apply(a7, b7)
            return F.apply(F.apply(F.apply(a0, a4), F.apply(a1, a5)), F.apply(F.apply(a2, a6), F.apply(a3, a7)))
        }
    }

    /// ``combine(_:_:_:_:_:)`` for ``Add`` over floating-point elements, with lanes 0–7 and 8–15 as two vectors.
    @inline(__always)
    private static func sum<S: SIMDScalar & BinaryFloatingPoint>(_ x: [S], _ start: Int, _ count: Int) -> S {
        unsafe x.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            let p = unsafe UnsafeRawPointer(base + start)
            let stride = MemoryLayout<S>.stride
            var low = SIMD8<S>(repeating: 0), high = SIMD8<S>(repeating: 0)
            var i = 0
            while i + 16 <= count {
                low += unsafe p.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<S>.self)
                high += unsafe p.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD8<S>.self)
                i += 16
            }
            while i < count {
                low[0] += unsafe p.load(fromByteOffset: i * stride, as: S.self)
                i += 1
            }
            let pairs = low + high
            let halves = pairs.lowHalf + pairs.highHalf
            return (halves[0] + halves[1]) + (halves[2] + halves[3])
        }
    }
}
