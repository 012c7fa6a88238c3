/// A position in the row-major walk of an index space, kept as per-axis indices and the flat offset they give
/// under `strides`: the loop variable of kernels that walk one layout while reading or writing another
/// (transpose, reductions over some axes).
///
///     var o = Odometer(sizes: [2, 3], strides: [1, 2], start: 0)   // a 2×3 walk reading a transposed 3×2 array
///     o.offset      // 0
///     o.advance()   // position 1 = (0, 1): offset 2
///     o.advance()   // position 2 = (0, 2): offset 4
///     o.advance()   // position 3 = (1, 0): offset 1
struct Odometer {
    /// The extent of each axis.
    let sizes: [Int]
    /// The flat offset one step along each axis moves.
    let strides: [Int]
    /// The current index along each axis.
    private(set) var index: [Int]
    /// The flat offset of the current position: the sum of `index[axis] * strides[axis]`.
    private(set) var offset: Int

    /// The odometer at row-major position `start` of `sizes` (0 ≤ `start` < the product of `sizes`).
    init(sizes: [Int], strides: [Int], start: Int = 0) {
        precondition(sizes.count == strides.count, "an odometer needs one stride per axis")
        self.sizes = sizes
        self.strides = strides
        index = [Int](repeating: 0, count: sizes.count)
        offset = 0
        var rest = start
        for axis in sizes.indices.reversed() {
            index[axis] = rest % sizes[axis]
            rest /= sizes[axis]
            offset += index[axis] * strides[axis]
        }
    }

    /// Moves to the next position in row-major order (back to the origin after the last one).
    @inline(__always)
    mutating func advance() {
        var axis = sizes.count - 1
        while axis >= 0 {
            index[axis] += 1
            offset += strides[axis]
            if index[axis] < sizes[axis] { return }
            offset -= strides[axis] * sizes[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}
