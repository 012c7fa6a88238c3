// The softmax's row loop over buffer pointers: every chunk is a range of whole rows, reads only those rows of the
// input and writes only those rows of the output, which is allocated once for the whole op.

import ActorFlowCore

enum SoftmaxRows {
    /// What one row of `width` elements of `T` costs: three passes read it (maximum, exponentials, scaling), two
    /// write it, and each element takes an `exp` (about 20 cycles) plus a max, an add and a multiply.
    static func rowCost<T>(width: Int, _: T.Type) -> ParallelCost {
        let size = Double(MemoryLayout<T>.size)
        let elements = Double(width)
        return ParallelCost(
            bytesLoaded: 3 * size * elements, bytesStored: 2 * size * elements, computeCycles: 23 * elements)
    }

    /// The softmax of every row of `width` elements of `x`, rows split into chunks over `loops`.
    ///
    /// - Precondition: `width > 0` and `x.count` is a nonzero multiple of `width`.
    static func softmax<T: FloatingScalar>(_ x: [T], width: Int, loops: KernelLoops) throws -> [T] {
        precondition(width > 0 && !x.isEmpty && x.count % width == 0, "SoftmaxRows: rows do not tile the input")
        let rows = x.count / width
        let cost = rowCost(width: width, T.self)
        return try unsafe x.withUnsafeBufferPointer { input in
            try unsafe [T](unsafeUninitializedCapacity: x.count) { buffer, initialized in
                let source = unsafe SharedConstPointer(input.baseAddress!)
                let output = unsafe SharedPointer(buffer.baseAddress!)
                try loops.parallelFor(0..<rows, cost: cost) { chunk in
                    for row in chunk {
                        unsafe softmaxRow(source.base + row * width, into: output.base + row * width, width: width)
                    }
                }
                initialized = x.count
            }
        }
    }

    /// `exp(x - max) / Σ exp(x - max)` over one row, in the order the single-thread kernel always used.
    @inline(__always)
    private static func softmaxRow<T: FloatingScalar>(
        _ x: UnsafePointer<T>, into out: UnsafeMutablePointer<T>, width: Int
    ) {
        var peak = unsafe x[0]
        for i in 0..<width { peak = Swift.max(peak, unsafe x[i]) }
        var total: T = 0
        for i in 0..<width {
            let e = T.exponential(unsafe x[i] - peak)
            unsafe (out + i).initialize(to: e)
            total += e
        }
        let scale = 1 / total
        for i in 0..<width { unsafe out[i] *= scale }
    }
}
