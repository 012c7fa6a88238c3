import ActorFlowCore

/// NumPy broadcasting of two shapes: static (build time, with unknown dimensions) and at run time.
///
/// Shapes are aligned at their last dimension; each pair of dimensions must be equal or one of them 1,
/// and the result takes the larger. `[2, 3]` with `[3]` gives `[2, 3]`; `[2, 1]` with `[1, 3]` gives
/// `[2, 3]`; `[2, 3]` with `[4]` is an error.
package enum Broadcast {
    /// The static broadcast shape, or a message saying which dimensions clash.
    ///
    /// An unknown rank on either side gives an unknown rank; an unknown dimension paired with 1 or another
    /// unknown stays unknown, paired with a known `d > 1` becomes `d` (it must be 1 or `d`).
    package static func staticShape(_ a: TensorShape, _ b: TensorShape) -> Result<TensorShape, BroadcastFailure> {
        guard let x = a.dimensions, let y = b.dimensions else { return .success(.unknown) }
        let rank = max(x.count, y.count)
        var out: [Int?] = []
        out.reserveCapacity(rank)
        for axis in 0..<rank {
            let da = axis < rank - x.count ? 1 : x[axis - (rank - x.count)]
            let db = axis < rank - y.count ? 1 : y[axis - (rank - y.count)]
            switch (da, db) {
            case (let p?, let q?):
                if p == q || q == 1 {
                    out.append(p)
                } else if p == 1 {
                    out.append(q)
                } else {
                    return .failure(BroadcastFailure(lhs: p, rhs: q))
                }
            case (nil, let q?): out.append(q == 1 ? nil : q)
            case (let p?, nil): out.append(p == 1 ? nil : p)
            case (nil, nil): out.append(nil)
            }
        }
        return .success(TensorShape(out))
    }

    /// The broadcast of two concrete shapes.
    ///
    /// - Throws: ``KernelError`` "Incompatible shapes: [2,3] vs. [4]" (TensorFlow's wording).
    package static func dimensions(_ a: [Int], _ b: [Int]) throws(KernelError) -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if da == db || db == 1 {
                out[axis] = da
            } else if da == 1 {
                out[axis] = db
            } else {
                throw KernelError("Incompatible shapes: \(a.tfDims) vs. \(b.tfDims)")
            }
        }
        return out
    }
}

/// Two known dimensions that do not broadcast.
package struct BroadcastFailure: Error {
    package let lhs: Int
    package let rhs: Int
}

/// How the elements of two broadcast operands line up with the output, computed once per kernel call.
///
/// The common cases are direct: equal shapes (element `i` with element `i`), a one-element operand. Any
/// other pairing is reduced to rows: adjacent axes that broadcast the same way are merged, the last merged
/// axis is walked with stride 0 or 1 on each side, and the axes before it by an odometer. `[2, 3] + [3]`
/// becomes 2 rows of 3 with the right operand restarting each row; `[2, 1] + [1, 3]` becomes 2 rows of 3
/// with the left operand fixed within a row.
package struct BroadcastPlan: Sendable {
    /// The output dimensions.
    package let dimensions: [Int]
    /// The number of output elements.
    package let count: Int
    /// The element counts of the operands the plan was made for.
    let lhsCount: Int
    let rhsCount: Int
    let layout: Layout

    enum Layout: Sendable {
        /// The operands and the output have the same element order.
        case elementwise
        /// The left operand has one element.
        case lhsScalar
        /// The right operand has one element.
        case rhsScalar
        /// Rows of `inner` elements; the outer axes advance each operand by its strides.
        case rows(outer: [Int], lhsStrides: [Int], rhsStrides: [Int], inner: Int, lhsInner: Int, rhsInner: Int)
    }

    /// Plans the broadcast of operands with dimensions `lhs` and `rhs`.
    ///
    /// - Throws: ``KernelError`` "Incompatible shapes: [2,3] vs. [4]".
    package init(lhs: [Int], rhs: [Int]) throws(KernelError) {
        let out = try Broadcast.dimensions(lhs, rhs)
        guard let total = checkedElementCount(out) else {
            throw KernelError("Broadcasting \(lhs.tfDims) with \(rhs.tfDims) gives too many elements")
        }
        dimensions = out
        count = total
        // (Both are arrays' dimensions, whose counts are known to fit; a zero makes a count 0 whatever the rest.)
        lhsCount = lhs.checkedElementCount ?? 0
        rhsCount = rhs.checkedElementCount ?? 0
        if lhsCount == count && rhsCount == count {
            // Same element count as the output: only size-1 axes differ, so the orders agree.
            layout = .elementwise
        } else if lhsCount == 1 {
            layout = .lhsScalar
        } else if rhsCount == 1 {
            layout = .rhsScalar
        } else {
            layout = BroadcastPlan.rows(out: out, lhs: lhs, rhs: rhs)
        }
    }

    private static func rows(out: [Int], lhs: [Int], rhs: [Int]) -> Layout {
        let rank = out.count
        // Per output axis of size > 1: its size and whether each operand repeats along it.
        var merged: [(size: Int, lhsRepeats: Bool, rhsRepeats: Bool)] = []
        for axis in 0..<rank where out[axis] != 1 {
            let da = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
            let db = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
            let entry = (size: out[axis], lhsRepeats: da == 1, rhsRepeats: db == 1)
            if let last = merged.last, last.lhsRepeats == entry.lhsRepeats, last.rhsRepeats == entry.rhsRepeats {
                merged[merged.count - 1].size *= entry.size
            } else {
                merged.append(entry)
            }
        }
        // Strides of each operand over the merged axes (0 where it repeats).
        var lhsStrides = [Int](repeating: 0, count: merged.count)
        var rhsStrides = [Int](repeating: 0, count: merged.count)
        var lhsStride = 1
        var rhsStride = 1
        for axis in merged.indices.reversed() {
            if !merged[axis].lhsRepeats {
                lhsStrides[axis] = lhsStride
                lhsStride *= merged[axis].size
            }
            if !merged[axis].rhsRepeats {
                rhsStrides[axis] = rhsStride
                rhsStride *= merged[axis].size
            }
        }
        let inner = merged.removeLast()
        return .rows(
            outer: merged.map(\.size), lhsStrides: Array(lhsStrides.dropLast()),
            rhsStrides: Array(rhsStrides.dropLast()),
            inner: inner.size, lhsInner: inner.lhsRepeats ? 0 : 1, rhsInner: inner.rhsRepeats ? 0 : 1)
    }
}

/// An element function of two operands, as a type (see ``BroadcastPlan/map(_:_:_:)``).
package protocol BinaryFunction: SendableMetatype {
    associatedtype Element
    associatedtype Result
    static func apply(_ a: Element, _ b: Element) -> Result
    /// Arithmetic per element in cycles, for the chunk sizes of parallel loops (1 unless said otherwise).
    static var cycles: Double { get }
}
