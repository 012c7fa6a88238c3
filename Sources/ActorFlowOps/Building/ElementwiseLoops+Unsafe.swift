// The element-wise loops over buffer pointers. Initializing the output in place instead of `append`ing lets
// the compiler vectorize them: a 2^20-element float add took 1.2 ms with `append` and 0.09-0.13 ms here
// (release, one thread). Every index below is < `count` for the output and inside its operand for the
// inputs: the plan's strides and sizes were derived from the operands' dimensions in `BroadcastPlan.init`.

import ActorFlowCore

/// An element function of one operand, as a type (see ``mapElements(_:_:loops:)``).
package protocol UnaryFunction: SendableMetatype {
    associatedtype Element
    associatedtype Result
    static func apply(_ x: Element) -> Result
    /// Arithmetic per element in cycles, for the chunk sizes of parallel loops (1 unless said otherwise).
    static var cycles: Double { get }
}

extension UnaryFunction {
    package static var cycles: Double { 1 }
}

extension BinaryFunction {
    package static var cycles: Double { 1 }
}

/// A buffer's address shared by the chunks of one parallel loop: each chunk reads anything but writes only the
/// indices of its own chunk, and the loop returns only after every chunk did.
@safe package struct SharedPointer<T>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<T>

    package init(_ base: UnsafeMutablePointer<T>) { unsafe self.base = base }
}

/// A read-only buffer's address shared by the chunks of one parallel loop.
@safe package struct SharedConstPointer<T>: @unchecked Sendable {
    package let base: UnsafePointer<T>

    package init(_ base: UnsafePointer<T>) { unsafe self.base = base }
}

/// What one element of a loop reading `operands` arrays of `Element` and writing one of `Result` costs.
package func elementCost<Element, Result>(
    reading operands: Int, _: Element.Type, writing _: Result.Type, cycles: Double
) -> ParallelCost {
    ParallelCost(
        bytesLoaded: Double(operands * MemoryLayout<Element>.size), bytesStored: Double(MemoryLayout<Result>.size),
        computeCycles: cycles)
}

/// `F.apply(x[i])` for every element, split into chunks over `loops` when `x` is large.
///
/// Like ``BroadcastPlan/map(_:_:_:loops:)``, the function is a type so each (function, dtype) pair is specialized.
package func mapElements<F: UnaryFunction>(
    _ x: [F.Element], _ function: F.Type, loops: KernelLoops = .serial
) throws -> [F.Result] {
    let cost = elementCost(reading: 1, F.Element.self, writing: F.Result.self, cycles: F.cycles)
    return try unsafe x.withUnsafeBufferPointer { a in
        try unsafe [F.Result](unsafeUninitializedCapacity: a.count) { out, initialized in
            guard a.count > 0 else { return }
            unsafe HugePages.advise(out)
            let input = unsafe SharedConstPointer(a.baseAddress!)
            let output = unsafe SharedPointer(out.baseAddress!)
            let grain = HugePages.grain(cost.grain(for: a.count), writing: a.count, F.Result.self)
            try loops.parallelFor(0..<a.count, grain: grain) { chunk in
                for i in chunk { unsafe (output.base + i).initialize(to: F.apply(input.base[i])) }
            }
            initialized = a.count
        }
    }
}

/// `F.apply(lhs[i], rhs[i])` for operands of one shape: the fast path of the binary ops, with no broadcast plan
/// to build, split into chunks over `loops` when the operands are large.
///
/// - Precondition: `lhs.count == rhs.count`.
package func mapPairs<F: BinaryFunction>(
    _ lhs: [F.Element], _ rhs: [F.Element], _ function: F.Type, loops: KernelLoops = .serial
) throws -> [F.Result] {
    precondition(lhs.count == rhs.count, "mapPairs: operand sizes differ")
    if lhs.count == 1 { return [F.apply(lhs[0], rhs[0])] }
    let cost = elementCost(reading: 2, F.Element.self, writing: F.Result.self, cycles: F.cycles)
    return try unsafe lhs.withUnsafeBufferPointer { a in
        try unsafe rhs.withUnsafeBufferPointer { b in
            try unsafe [F.Result](unsafeUninitializedCapacity: a.count) { out, initialized in
                guard a.count > 0 else { return }
                unsafe HugePages.advise(out)
                let x = unsafe SharedConstPointer(a.baseAddress!)
                let y = unsafe SharedConstPointer(b.baseAddress!)
                let output = unsafe SharedPointer(out.baseAddress!)
                let grain = HugePages.grain(cost.grain(for: a.count), writing: a.count, F.Result.self)
                try loops.parallelFor(0..<a.count, grain: grain) { chunk in
                    for i in chunk { unsafe (output.base + i).initialize(to: F.apply(x.base[i], y.base[i])) }
                }
                initialized = a.count
            }
        }
    }
}

extension BroadcastPlan {
    /// `F.apply(lhs[i], rhs[j])` for every output element, in row-major output order, split into chunks over
    /// `loops` when the output is large (chunks of whole rows for a row-wise broadcast).
    ///
    /// The element function is a type rather than a closure so that every (function, dtype) pair is a
    /// specialization with the function inlined into each loop: closure arguments were inlined or not
    /// depending on the caller's size, costing up to 4× on a 2^20-element add.
    ///
    /// - Precondition: `lhs` and `rhs` have the element counts of the dimensions the plan was made for.
    package func map<F: BinaryFunction>(
        _ lhs: [F.Element], _ rhs: [F.Element], _ function: F.Type, loops: KernelLoops = .serial
    ) throws -> [F.Result] {
        // The loops below trust these counts; a mismatch is a kernel bug, never a user error.
        precondition(lhs.count == lhsCount && rhs.count == rhsCount, "BroadcastPlan: operand sizes do not match")
        guard count > 0 else { return [] }
        let cost = elementCost(reading: 2, F.Element.self, writing: F.Result.self, cycles: F.cycles)
        return try unsafe lhs.withUnsafeBufferPointer { a in
            try unsafe rhs.withUnsafeBufferPointer { b in
                try unsafe [F.Result](unsafeUninitializedCapacity: count) { out, initialized in
                    unsafe HugePages.advise(out)
                    let output = unsafe SharedPointer(out.baseAddress!)
                    let x = unsafe SharedConstPointer(a.baseAddress!)
                    let y = unsafe SharedConstPointer(b.baseAddress!)
                    if case .rows(_, _, _, let inner, _, _) = layout {
                        let rows = count / inner
                        let rowCost = ParallelCost(
                            bytesLoaded: cost.bytesLoaded * Double(inner),
                            bytesStored: cost.bytesStored * Double(inner),
                            computeCycles: cost.computeCycles * Double(inner))
                        let rowGrain = HugePages.grain(rowCost.grain(for: rows) * inner, writing: count, F.Result.self)
                        try loops.parallelFor(0..<rows, grain: (rowGrain + inner - 1) / inner) { chunk in
                            let elements = (chunk.lowerBound * inner)..<(chunk.upperBound * inner)
                            unsafe fill(output.base, x.base, y.base, F.self, elements: elements)
                        }
                    } else {
                        let grain = HugePages.grain(cost.grain(for: count), writing: count, F.Result.self)
                        try loops.parallelFor(0..<count, grain: grain) { chunk in
                            unsafe fill(output.base, x.base, y.base, F.self, elements: chunk)
                        }
                    }
                    initialized = count
                }
            }
        }
    }

    /// Writes output elements `elements` (whole rows for the `.rows` layout).
    private func fill<F: BinaryFunction>(
        _ out: UnsafeMutablePointer<F.Result>, _ a: UnsafePointer<F.Element>, _ b: UnsafePointer<F.Element>,
        _ function: F.Type, elements: Range<Int>
    ) {
        switch layout {
        case .elementwise:
            for i in elements { unsafe (out + i).initialize(to: F.apply(a[i], b[i])) }
        case .lhsScalar:
            let x = unsafe a[0]
            for i in elements { unsafe (out + i).initialize(to: F.apply(x, b[i])) }
        case .rhsScalar:
            let y = unsafe b[0]
            for i in elements { unsafe (out + i).initialize(to: F.apply(a[i], y)) }
        case .rows(let outer, let lhsStrides, let rhsStrides, let inner, let lhsInner, let rhsInner):
            // The odometer over the outer axes, started at the chunk's first row.
            var index = [Int](repeating: 0, count: outer.count)
            var lhsOffset = 0
            var rhsOffset = 0
            var row = elements.lowerBound / inner
            for axis in outer.indices.reversed() {
                index[axis] = row % outer[axis]
                row /= outer[axis]
                lhsOffset += index[axis] * lhsStrides[axis]
                rhsOffset += index[axis] * rhsStrides[axis]
            }
            var o = unsafe out + elements.lowerBound
            for _ in 0..<(elements.count / inner) {
                let ra = unsafe a + lhsOffset
                let rb = unsafe b + rhsOffset
                if lhsInner == 0 {
                    let x = unsafe ra[0]
                    for i in 0..<inner { unsafe (o + i).initialize(to: F.apply(x, rb[i])) }
                } else if rhsInner == 0 {
                    let y = unsafe rb[0]
                    for i in 0..<inner { unsafe (o + i).initialize(to: F.apply(ra[i], y)) }
                } else {
                    for i in 0..<inner { unsafe (o + i).initialize(to: F.apply(ra[i], rb[i])) }
                }
                unsafe o += inner
                // Advance the odometer over the outer axes.
                var axis = outer.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    lhsOffset += lhsStrides[axis]
                    rhsOffset += rhsStrides[axis]
                    if index[axis] < outer[axis] { break }
                    lhsOffset -= lhsStrides[axis] * outer[axis]
                    rhsOffset -= rhsStrides[axis] * outer[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}

/// `transform(x[i])` for every element, split into chunks over `loops` when `x` is large (each element reading
/// `A`, writing `B` and costing `cycles`): the closure form of ``mapElements(_:_:loops:)`` for conversions.
package func parallelMap<A: Sendable, B>(
    _ x: [A], cycles: Double = 1, loops: KernelLoops, _ transform: @Sendable (A) -> B
) throws -> [B] {
    let cost = elementCost(reading: 1, A.self, writing: B.self, cycles: cycles)
    return try unsafe x.withUnsafeBufferPointer { a in
        try unsafe [B](unsafeUninitializedCapacity: a.count) { out, initialized in
            guard a.count > 0 else { return }
            unsafe HugePages.advise(out)
            let input = unsafe SharedConstPointer(a.baseAddress!)
            let output = unsafe SharedPointer(out.baseAddress!)
            let grain = HugePages.grain(cost.grain(for: a.count), writing: a.count, B.self)
            try loops.parallelFor(0..<a.count, grain: grain) { chunk in
                for i in chunk { unsafe (output.base + i).initialize(to: transform(input.base[i])) }
            }
            initialized = a.count
        }
    }
}
