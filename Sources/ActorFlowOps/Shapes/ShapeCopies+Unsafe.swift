// The output buffers of the shape kernels that only move elements (transpose, concat, fill), written in chunks
// over the kernel's loops. Each output is allocated once; a chunk assigns only the elements it owns, and the loop
// returns only after every chunk did.

import ActorFlowCore

/// An array of `count` elements that `write` sets through a pointer the chunks of one parallel loop share, each
/// chunk assigning (`pointer[i] = v`, `update(from:count:)`; never `initialize`) only the elements it owns.
///
/// Trivial element types (every dtype but `string`) start uninitialized, which assignment may fill, so nothing is
/// written twice. Strings start as `count` copies of `placeholder`, so the array is whole even when `write` stops
/// part-way (a cancelled step) and every assignment releases what it replaces.
func preallocatedArray<T>(
    count: Int, placeholder: @autoclosure () -> T, _ write: (SharedPointer<T>) throws -> Void
) rethrows -> [T] {
    guard count > 0 else { return [] }
    guard _isPOD(T.self) else {
        var out = [T](repeating: placeholder(), count: count)
        try unsafe out.withUnsafeMutableBufferPointer { buffer in try unsafe write(SharedPointer(buffer.baseAddress!)) }
        return out
    }
    return try unsafe [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        try unsafe write(SharedPointer(buffer.baseAddress!))
        initialized = count
    }
}

/// What copying `elements` elements of `T` costs: a load and a store each, plus a cycle for the address arithmetic
/// of a strided or gathered read.
func copyCost<T>(_: T.Type, elements: Int) -> ParallelCost {
    let bytes = Double(MemoryLayout<T>.stride * elements)
    return ParallelCost(bytesLoaded: bytes, bytesStored: bytes, computeCycles: Double(elements))
}

enum FillLoops {
    /// `count` copies of `value`, written in chunks over `loops` when `count` is large.
    static func fill<T: Sendable>(_ value: T, count: Int, loops: KernelLoops) throws -> [T] {
        // A string fill is one retain per element and `[T](repeating:count:)` already does only that.
        guard count > 0, _isPOD(T.self) else { return [T](repeating: value, count: count) }
        let cost = ParallelCost(bytesLoaded: 0, bytesStored: Double(MemoryLayout<T>.stride), computeCycles: 0)
        return try unsafe [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            unsafe HugePages.advise(buffer)
            let output = unsafe SharedPointer(buffer.baseAddress!)
            let grain = HugePages.grain(cost.grain(for: count), writing: count, T.self)
            try loops.parallelFor(0..<count, grain: grain) { chunk in
                unsafe (output.base + chunk.lowerBound).initialize(repeating: value, count: chunk.count)
            }
            initialized = count
        }
    }
}

enum ConcatLoops {
    /// The concatenation of `parts` (part `p` made of `outer` consecutive blocks of `blocks[p]` elements): output
    /// row `o` is block `o` of every part in turn.
    ///
    /// The work is every part's elements, part after part (`count` in all), split into chunks over `loops` when
    /// the output is large: a chunk reads a stretch of one part or more sequentially and writes it, block by
    /// block, to that part's columns of the output rows. Splitting elements rather than output rows keeps a
    /// concat along axis 0, whose output is a single row, splittable; it is a copy, so the bits are the same.
    ///
    /// - Precondition: `count > 0`, `count` is `outer` times the sum of `blocks`, and `parts[p].count` is
    ///   `outer * blocks[p]`.
    static func concat<T: Sendable>(
        _ parts: [[T]], blocks: [Int], outer: Int, count: Int, loops: KernelLoops
    ) throws -> [T] {
        let rowLength = count / outer
        precondition(count > 0 && rowLength * outer == count, "ConcatLoops: rows do not tile the output")
        // Where part `p`'s elements start in the split order (`count` after the last part), and where its block
        // starts in an output row.
        var starts = [0]
        var columns: [Int] = []
        for (p, block) in blocks.enumerated() {
            precondition(parts[p].count == outer * block, "ConcatLoops: part \(p) does not match its blocks")
            columns.append(p == 0 ? 0 : columns[p - 1] + blocks[p - 1])
            starts.append(starts[p] + outer * block)
        }
        let (partStarts, partColumns) = (starts, columns)
        return try preallocatedArray(count: count, placeholder: parts.first { !$0.isEmpty }![0]) { output in
            try loops.parallelFor(0..<count, cost: copyCost(T.self, elements: 1)) { chunk in
                // The last part starting at or before the chunk (empty parts in between are skipped below).
                var (p, high) = (0, blocks.count - 1)
                while p < high {
                    let middle = (p + high + 1) / 2
                    if partStarts[middle] <= chunk.lowerBound { p = middle } else { high = middle - 1 }
                }
                var position = chunk.lowerBound
                while position < chunk.upperBound {
                    let end = Swift.min(partStarts[p + 1], chunk.upperBound)
                    if end > position {
                        let (block, column) = (blocks[p], partColumns[p])
                        unsafe parts[p].withUnsafeBufferPointer { source in
                            // Part elements `position - start ..< end - start`, one output row's block at a time.
                            var e = position - partStarts[p]
                            let last = end - partStarts[p]
                            while e < last {
                                let (row, offset) = e.quotientAndRemainder(dividingBy: block)
                                let n = Swift.min(block - offset, last - e)
                                unsafe (output.base + row * rowLength + column + offset)
                                    .update(from: source.baseAddress! + e, count: n)
                                e += n
                            }
                        }
                    }
                    position = end
                    p += 1
                }
            }
        }
    }
}

extension TransposeRule {
    /// The transpose when the output's last axis reads the input along one stride (sequentially when it is the
    /// input's last axis): output rows of `outDims.last` elements, split into chunks of rows over ``loops``, each
    /// chunk starting the odometer over the outer axes at its first row.
    func rows<T>(_ x: [T], _ outDims: [Int], _ strides: [Int]) throws -> [T] {
        let last = outDims.count - 1
        let inner = outDims[last]
        let innerStride = strides[last]
        let outer = Array(outDims.dropLast())
        let outerStrides = Array(strides.dropLast())
        let rowCount = x.count / inner
        return try unsafe x.withUnsafeBufferPointer { input in
            let source = unsafe SharedConstPointer(input.baseAddress!)
            return try preallocatedArray(count: x.count, placeholder: x[0]) { output in
                try loops.parallelFor(0..<rowCount, cost: copyCost(T.self, elements: inner)) { chunk in
                    var position = Odometer(sizes: outer, strides: outerStrides, start: chunk.lowerBound)
                    var o = unsafe output.base + chunk.lowerBound * inner
                    for _ in chunk {
                        let offset = position.offset
                        for i in 0..<inner { unsafe o[i] = source.base[offset + i * innerStride] }
                        unsafe o += inner
                        position.advance()
                    }
                }
            }
        }
    }

    /// The transpose when the output's last axis does not read the input sequentially: output axis `q` reads
    /// it sequentially (input stride 1), so (q, last) is copied in 8×8 tiles that keep both the reads and the
    /// writes within a few cache lines; the remaining axes are walked by an odometer. Tiles of 8: with
    /// power-of-two strides every line of a tile maps to one L1 set (8-way), so 16 or 32 thrash
    /// (1024×1024 float: 2.9 ms with 32, 1.6-1.9 ms with 8, 3.3 ms untiled).
    ///
    /// The unit of work is one strip of 8 rows of a (q, last) plane, all its columns: chunks are ranges of strips
    /// in (plane, strip) order, each starting the odometer over the other axes at its first plane.
    func tiled<T>(_ x: [T], _ outDims: [Int], _ strides: [Int], _ q: Int) throws -> [T] {
        let tile = 8
        let last = outDims.count - 1
        var outputStrides = [Int](repeating: 1, count: outDims.count)
        for axis in outDims.indices.dropLast().reversed() {
            outputStrides[axis] = outputStrides[axis + 1] * outDims[axis + 1]
        }
        let outStrides = outputStrides
        let others = outDims.indices.filter { $0 != q && $0 != last }
        let (planeSizes, planeInStrides, planeOutStrides) = (
            others.map { outDims[$0] }, others.map { strides[$0] }, others.map { outStrides[$0] }
        )
        let (rows, columns, columnStride, rowStride) = (outDims[q], outDims[last], strides[last], outStrides[q])
        let strips = (rows + tile - 1) / tile
        let units = x.count / (rows * columns) * strips
        let cost = copyCost(T.self, elements: Swift.min(tile, rows) * columns)
        return try unsafe x.withUnsafeBufferPointer { input in
            let source = unsafe SharedConstPointer(input.baseAddress!)
            return try preallocatedArray(count: x.count, placeholder: x[0]) { output in
                try loops.parallelFor(0..<units, cost: cost) { chunk in
                    // The other axes walked in step, for the input's offsets and the output's.
                    var inPlane = Odometer(sizes: planeSizes, strides: planeInStrides, start: chunk.lowerBound / strips)
                    var outPlane = Odometer(sizes: planeSizes, strides: planeOutStrides, start: chunk.lowerBound / strips)
                    var strip = chunk.lowerBound % strips
                    for _ in chunk {
                        let (inBase, outBase) = (inPlane.offset, outPlane.offset)
                        let i0 = strip * tile
                        let i1 = Swift.min(i0 + tile, rows)
                        for j0 in stride(from: 0, to: columns, by: tile) {
                            for i in i0..<i1 {
                                for j in j0..<Swift.min(j0 + tile, columns) {
                                    unsafe output.base[outBase + i * rowStride + j] =
                                        source.base[inBase + i + j * columnStride]
                                }
                            }
                        }
                        strip += 1
                        if strip < strips { continue }
                        strip = 0
                        inPlane.advance()
                        outPlane.advance()
                    }
                }
            }
        }
    }
}
