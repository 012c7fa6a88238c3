import ActorFlowCore

/// The reductions over axes and their kernel.
package enum ReductionOperator: String, Sendable, CaseIterable {
    case sum = "Sum"
    case mean = "Mean"
    case max = "Max"
    case min = "Min"
    case prod = "Prod"

    /// The TensorFlow op type (also the default op name).
    package var opType: String { rawValue }

    /// Reduces `x` over `axes` (`nil`: every axis; negative axes count from the end).
    ///
    /// Empty reductions give the identity: 0 for sum, 1 for prod, −∞ (or the smallest integer) for max,
    /// +∞ (or the largest integer) for min, NaN for a floating-point mean.
    ///
    /// - Throws: ``KernelError`` for an axis out of range, a repeated axis, a non-arithmetic dtype, or the
    ///   mean of zero integers (an integer division by zero).
    ///
    /// Large inputs are split into chunks over `loops` (the kernel's `parallelFor`): over the leading kept axes
    /// when there are some (every output element then adds in the same order as on one thread, so the bits do not
    /// depend on the split), otherwise — a reduction to one value — into chunks whose partial results are combined
    /// in chunk order. Those chunks depend only on the input's size, so the result is the same on any number of
    /// workers; it may differ in the last bits from the unsplit loop, which adds in another order.
    package func apply(_ x: NDArray, axes: [Int]?, keepDims: Bool, loops: KernelLoops = .serial) throws -> NDArray {
        let reduced = try ReductionOperator.reducedAxes(axes, rank: x.rank)
        return try x.visitNumeric(
            Visitor(op: self, dimensions: x.dimensions, reduced: reduced, keepDims: keepDims, loops: loops),
            op: opType)
    }

    /// One flag per axis of a rank-`rank` input: whether it is reduced.
    package static func reducedAxes(_ axes: [Int]?, rank: Int) throws(KernelError) -> [Bool] {
        guard let axes else { return [Bool](repeating: true, count: rank) }
        var flags = [Bool](repeating: false, count: rank)
        for axis in axes {
            guard let a = OpValidation.normalizedAxis(axis, rank: rank) else {
                throw KernelError("Invalid reduction dimension (\(axis) for input with \(rank) dimension(s)")
            }
            guard !flags[a] else {
                throw KernelError("Invalid reduction arguments: Axes contains duplicate dimension: \(a)")
            }
            flags[a] = true
        }
        return flags
    }

    private struct Visitor: NumericVisitor {
        let op: ReductionOperator
        let dimensions: [Int]
        let reduced: [Bool]
        let keepDims: Bool
        let loops: KernelLoops

        func visit<T: NumericScalar>(_ x: [T]) throws -> NDArray {
            var outDims: [Int] = []
            for (axis, d) in dimensions.enumerated() {
                if !reduced[axis] { outDims.append(d) } else if keepDims { outDims.append(1) }
            }
            // An empty input may have huge dimensions (2^40 × 2^40 × 0): its counts are checked, not multiplied, and
            // its output (of identities) may be too large to allocate.
            if x.isEmpty, let oom = checkedAllocation(outDims, T.dtype) { throw KernelError(oom) }
            let outCount = outDims.checkedElementCount ?? 0
            let reducedCount = zip(dimensions, reduced).filter(\.1).map(\.0).checkedElementCount ?? .max
            var out: [T]
            switch op {
            case .sum: out = try reduce(x, identity: .zero, Add<T>.self, outCount: outCount)
            case .prod: out = try reduce(x, identity: .one, Multiply<T>.self, outCount: outCount)
            case .max: out = try reduce(x, identity: T.lowest, Maximum<T>.self, outCount: outCount)
            case .min: out = try reduce(x, identity: T.highest, Minimum<T>.self, outCount: outCount)
            case .mean:
                out = try reduce(x, identity: .zero, Add<T>.self, outCount: outCount)
                if T.isInteger && reducedCount == 0 && !out.isEmpty {
                    throw KernelError("Mean of zero \(T.dtype) elements is an integer division by zero")
                }
                if !out.isEmpty {
                    let n = T.fromCount(reducedCount)
                    for i in out.indices { out[i] = T.divide(out[i], n) }
                }
            }
            return NDArray(values: out, dimensions: outDims)
        }

        /// Combines every input element into its output slot, walking the input in order; an empty input gives
        /// `outCount` identities.
        ///
        /// Size-1 axes are dropped and adjacent axes reduced (or kept) alike are merged, so the input becomes
        /// alternating runs; the last run is walked by an inner loop, the others by an odometer that moves the
        /// output offset along kept runs only. A reduced inner run is combined in sixteen lanes (``ReductionRun``;
        /// floating-point sums are reassociated, as TensorFlow's tree reductions are).
        private func reduce<T: Sendable, F: BinaryFunction>(
            _ x: [T], identity: T, _ function: F.Type, outCount: Int
        ) throws -> [T] where F.Element == T, F.Result == T {
            if x.isEmpty { return [T](repeating: identity, count: outCount) }
            var runs: [(size: Int, isReduced: Bool)] = []
            for (d, r) in zip(dimensions, reduced) where d != 1 {
                if let last = runs.last, last.isReduced == r {
                    runs[runs.count - 1].size *= d
                } else {
                    runs.append((d, r))
                }
            }
            if outCount == 0 { return [] }
            guard runs.count > 0 else { return [x[0]] }
            let cost = ParallelCost(
                bytesLoaded: Double(MemoryLayout<T>.size), bytesStored: 0, computeCycles: F.cycles)
            if runs.count == 1 && runs[0].isReduced {
                // Everything reduced: partial results of fixed chunks, combined in chunk order.
                let total = try loops.parallelReduce(0..<x.count, grain: cost.grain(for: x.count), initial: identity) {
                    chunk in ReductionRun.combine(x, chunk.lowerBound, chunk.count, identity, F.self)
                } combine: { F.apply($0, $1) }
                return [total]
            }
            if !runs[0].isReduced && runs.count > 1 && loops.parallelism > 1 {
                // A leading kept run: each of its positions reduces its own block into its own outputs.
                let blocks = runs[0].size
                let sub = Array(runs.dropFirst())
                let blockCost = ParallelCost(
                    bytesLoaded: cost.bytesLoaded * Double(x.count / blocks), bytesStored: 0,
                    computeCycles: cost.computeCycles * Double(x.count / blocks))
                return try ReductionBlocks.split(
                    x, blocks: blocks, outCount: outCount, identity: identity, cost: blockCost, loops: loops
                ) { x, start, out in
                    Self.reduceBlock(x, from: start, runs: sub, identity: identity, into: &out, F.self)
                }
            }
            var out = [T](repeating: identity, count: outCount)
            Self.reduceBlock(x, from: 0, runs: runs, identity: identity, into: &out, F.self)
            return out
        }

        /// Combines the input elements `start ..< start + (product of run sizes)` into `out`, walking them in order.
        private static func reduceBlock<T, F: BinaryFunction>(
            _ x: [T], from start: Int, runs: [(size: Int, isReduced: Bool)], identity: T, into out: inout [T],
            _ function: F.Type
        ) where F.Element == T, F.Result == T {
            guard let inner = runs.last else { return }
            let end = start + runs.reduce(1) { $0 * $1.size }
            // Output strides of the outer runs (0 along reduced runs).
            let outer = runs.dropLast().map(\.size)
            var strides = [Int](repeating: 0, count: outer.count)
            var stride = inner.isReduced ? 1 : inner.size
            for i in outer.indices.reversed() where !runs[i].isReduced {
                strides[i] = stride
                stride *= runs[i].size
            }
            // Where each input run's results go: the walk over the outer runs, moving along kept ones only.
            var target = Odometer(sizes: outer, strides: strides)
            var position = start
            while position < end {
                let offset = target.offset
                if inner.isReduced {
                    out[offset] = F.apply(out[offset], ReductionRun.combine(x, position, inner.size, identity, F.self))
                } else {
                    for i in 0..<inner.size { out[offset + i] = F.apply(out[offset + i], x[position + i]) }
                }
                position += inner.size
                target.advance()
            }
        }
    }
}
