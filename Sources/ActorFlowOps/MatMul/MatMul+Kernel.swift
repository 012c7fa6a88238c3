import ActorFlowCore

// The matrix-multiply inner loops over buffer pointers.
//
// The algorithm is the GotoBLAS/BLIS blocking, in portable Swift SIMD:
// - C (m×n) is computed in column blocks of `nc` and depth blocks of `kc`; for each, the (kc×nc) block
//   of op(B) is packed into panels `lanes` wide (zero-padded), so the micro-kernel reads it sequentially.
// - Row blocks of `mc` rows of op(A) are packed into panels of 4 rows, interleaved by depth.
// - The micro-kernel keeps a 4×lanes tile of C in SIMD registers for the whole depth block: per step it
//   loads one lane vector of B, broadcasts 4 values of A and does 4 multiply-adds.
// Packing also absorbs the transpose flags, so all four combinations run the same inner loop.
// - Where the CPU has AVX2 and FMA, float tiles are 6×16 (panels of 6 rows of A, two B panels) and run the fused
//   multiply-add kernel of CActorFlowKernels instead (_UnsafeFusedMicroKernel.swift), edge tiles included.
// Bounds: every pointer offset below stays inside the buffer it was derived from; the comments on
// `packA`/`packB`/`microKernel` state the ranges.

/// An element type with a SIMD vector for the matrix-multiply micro-kernel.
package protocol MatMulScalar: NumericScalar, SIMDScalar, Hashable, Codable, BitwiseCopyable {
    associatedtype Lanes: SIMD where Lanes.Scalar == Self
    /// `acc + a * b` lane-wise (wrapping for integers; no FMA, which baseline x86-64 lacks).
    static func multiplyAdd(_ acc: Lanes, _ a: Self, _ b: Lanes) -> Lanes
    /// `x + y` lane-wise.
    static func addLanes(_ x: Lanes, _ y: Lanes) -> Lanes
    /// Whether a fused multiply-add kernel for 6×(2·lanes) tiles runs on this CPU (_UnsafeFusedMicroKernel.swift).
    static var hasWideTile: Bool { get }
    /// That kernel (call only when ``hasWideTile``).
    static func wideTile(
        depth: Int, a: UnsafePointer<Self>, b0: UnsafePointer<Self>, b1: UnsafePointer<Self>,
        c: UnsafeMutablePointer<Self>, ldc: Int, rows: Int, columns: Int, accumulate: Bool)
}

extension Float: MatMulScalar {
    package typealias Lanes = SIMD8<Float>
    @inline(__always) package static func multiplyAdd(_ acc: Lanes, _ a: Float, _ b: Lanes) -> Lanes { acc + a * b }
    @inline(__always) package static func addLanes(_ x: Lanes, _ y: Lanes) -> Lanes { x + y }
}

extension Double: MatMulScalar {
    package typealias Lanes = SIMD4<Double>
    @inline(__always) package static func multiplyAdd(_ acc: Lanes, _ a: Double, _ b: Lanes) -> Lanes { acc + a * b }
    @inline(__always) package static func addLanes(_ x: Lanes, _ y: Lanes) -> Lanes { x + y }
}

extension Int32: MatMulScalar {
    package typealias Lanes = SIMD8<Int32>
    @inline(__always) package static func multiplyAdd(_ acc: Lanes, _ a: Int32, _ b: Lanes) -> Lanes { acc &+ a &* b }
    @inline(__always) package static func addLanes(_ x: Lanes, _ y: Lanes) -> Lanes { x &+ y }
}

extension Int64: MatMulScalar {
    package typealias Lanes = SIMD4<Int64>
    @inline(__always) package static func multiplyAdd(_ acc: Lanes, _ a: Int64, _ b: Lanes) -> Lanes { acc &+ a &* b }
    @inline(__always) package static func addLanes(_ x: Lanes, _ y: Lanes) -> Lanes { x &+ y }
}

/// The shape of one product `C = op(A) · op(B)`: op(A) is m×k, op(B) is k×n, all row-major.
package struct MatMulProblem: Sendable {
    package var m: Int
    package var n: Int
    package var k: Int
    package var transposeA: Bool
    package var transposeB: Bool

    package init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
    }
}

package enum MatMulKernel {
    /// Rows of the portable micro-tile.
    static let rowsPerTile = 4
    /// Rows of the fused multiply-add micro-tile.
    package static let wideTileRows = 6
    /// Depth of a packed block: an A panel and a kc×(2·lanes) B panel stay in L1.
    static let depthBlock = 256
    /// Rows of a packed A block (kept in L2): a multiple of both tile heights.
    static let rowBlock = 96
    /// Columns of a packed B block.
    static let columnBlock = 512
    /// Below this many multiply-adds, packing costs more than it saves.
    static let smallProblem = 32 * 32 * 32

    /// `op(A) · op(B)` as a row-major m×n array. `a` and `b` must hold m·k and k·n elements.
    ///
    /// Large products are split over `loops` (the kernel's `parallelFor`): op(B) is packed once, block by block in
    /// parallel, then chunks of row blocks of C are computed on several workers, each packing its own rows of
    /// op(A). Every element of C adds the same products in the same order however the rows are split, so the
    /// result's bits do not depend on the number of workers.
    package static func multiply<T: MatMulScalar>(
        _ a: [T], _ b: [T], _ p: MatMulProblem, loops: KernelLoops = .serial
    ) throws -> [T] {
        precondition(a.count == p.m * p.k && b.count == p.k * p.n, "MatMulKernel: operand sizes do not match")
        guard p.m > 0, p.n > 0, p.k > 0, p.m * p.n * p.k > smallProblem else {
            var c = [T](repeating: .zero, count: p.m * p.n)
            multiplySmall(a, b, &c, p)
            return c
        }
        let lanes = T.Lanes.scalarCount
        let tileRows = T.hasWideTile ? wideTileRows : rowsPerTile
        let kc = Swift.min(depthBlock, p.k)
        let mc = Swift.min(rowBlock, roundUp(p.m, tileRows))
        let nc = Swift.min(columnBlock, roundUp(p.n, lanes))
        // C is not zeroed first: the first depth block stores its tiles rather than adding to them, so the pages of C
        // are first touched by the workers that compute them, in parallel (no serial memset, no page faults on the
        // firing thread alone).
        var c = unwritten(T.self, count: p.m * p.n)
        // All of op(B), packed: the block of columns j0..<j0+nc and depths p0..<p0+kc starts at
        // k·j0 + p0·roundUp(nCount, lanes) (every column block but the last is nc wide, a multiple of lanes).
        // packB writes every element, zero padding included.
        var packedB = unwritten(T.self, count: p.k * roundUp(p.n, lanes))
        var failure: (any Error)?
        let columnBlocks = (p.n + nc - 1) / nc
        let depthBlocks = (p.k + kc - 1) / kc
        unsafe a.withUnsafeBufferPointer { a in
            unsafe b.withUnsafeBufferPointer { b in
                unsafe c.withUnsafeMutableBufferPointer { c in
                    unsafe packedB.withUnsafeMutableBufferPointer { packedB in
                        let sa = unsafe SharedConstPointer(a.baseAddress!)
                        let sb = unsafe SharedConstPointer(b.baseAddress!)
                        let sc = unsafe SharedPointer(c.baseAddress!)
                        let spb = unsafe SharedPointer(packedB.baseAddress!)
                        let (aCount, bCount, cCount, pbCount) = (a.count, b.count, c.count, packedB.count)
                        do {
                            // A block costs about half a cycle per element (vector loads and stores of rows that
                            // stream from memory), so only a large B is packed by several workers.
                            try loops.parallelFor(
                                0..<(columnBlocks * depthBlocks),
                                cost: ParallelCost(bytesLoaded: 0, bytesStored: 0, computeCycles: 0.5 * Double(kc * nc))
                            ) { blocks in
                                for block in blocks {
                                    let j0 = (block / depthBlocks) * nc
                                    let p0 = (block % depthBlocks) * kc
                                    let nCount = Swift.min(nc, p.n - j0)
                                    let kCount = Swift.min(kc, p.k - p0)
                                    let offset = p.k * j0 + p0 * roundUp(nCount, lanes)
                                    unsafe packB(
                                        UnsafeBufferPointer(start: sb.base, count: bCount),
                                        into: UnsafeMutableBufferPointer(
                                            start: spb.base + offset, count: pbCount - offset),
                                        p, rows: p0..<(p0 + kCount), columns: j0..<(j0 + nCount))
                                }
                            }
                            // Rows of C in chunks of whole micro-tiles, at most two chunks per worker, of equal
                            // size (row blocks would leave one worker a block more than the other): few chunks,
                            // since each streams all of packed B once, yet a late worker still finds work. A
                            // product too small to pay for waking a worker (the cost model's threshold, at the
                            // kernel's multiply-adds per cycle) stays one chunk.
                            let rowTiles = (p.m + tileRows - 1) / tileRows
                            let chunks = 2 * loops.parallelism
                            let macsPerCycle: Double = T.hasWideTile ? 16 : 4
                            let tileCost = ParallelCost(
                                bytesLoaded: 0, bytesStored: 0,
                                computeCycles: Double(tileRows * p.n * p.k) / macsPerCycle)
                            let grain = Swift.max(tileCost.grain(for: rowTiles), (rowTiles + chunks - 1) / chunks)
                            try loops.parallelFor(0..<rowTiles, grain: grain) { chunk in
                                var packedA = [T](repeating: .zero, count: mc * kc)
                                unsafe packedA.withUnsafeMutableBufferPointer { packedA in
                                    unsafe blocked(
                                        UnsafeBufferPointer(start: sa.base, count: aCount),
                                        UnsafeBufferPointer(start: spb.base, count: pbCount),
                                        UnsafeMutableBufferPointer(start: sc.base, count: cCount), packedA, p,
                                        rows: (chunk.lowerBound * tileRows)..<Swift.min(p.m, chunk.upperBound * tileRows),
                                        kc: kc, mc: mc, nc: nc)
                                }
                            }
                        } catch {
                            failure = error
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return c
    }

    private static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }

    /// An array of `count` elements whose values are whatever its memory held: for buffers the caller writes in
    /// full before reading (C and packed B above). Element types are bitwise-copyable numbers, so any bits are a
    /// value and nothing needs releasing.
    private static func unwritten<T: MatMulScalar>(_: T.Type, count: Int) -> [T] {
        unsafe [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            unsafe HugePages.advise(buffer)
            initialized = count
        }
    }

    /// The blocked loops for rows `rows` of C: column block, depth block, row block, then micro-tiles, reading
    /// op(B) already packed (see ``multiply(_:_:_:loops:)`` for its layout).
    @inline(__always)
    private static func blocked<T: MatMulScalar>(
        _ a: UnsafeBufferPointer<T>, _ packedB: UnsafeBufferPointer<T>, _ c: UnsafeMutableBufferPointer<T>,
        _ packedA: UnsafeMutableBufferPointer<T>, _ p: MatMulProblem, rows: Range<Int>, kc: Int, mc: Int, nc: Int
    ) {
        let lanes = T.Lanes.scalarCount
        let wideTiles = T.hasWideTile
        let tileRows = wideTiles ? wideTileRows : rowsPerTile
        for j0 in stride(from: 0, to: p.n, by: nc) {
            let nCount = Swift.min(nc, p.n - j0)
            for p0 in stride(from: 0, to: p.k, by: kc) {
                let kCount = Swift.min(kc, p.k - p0)
                let bBlock = unsafe packedB.baseAddress! + p.k * j0 + p0 * roundUp(nCount, lanes)
                for i0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mc) {
                    let mCount = Swift.min(mc, rows.upperBound - i0)
                    // A literal tile height, so the packing loop is unrolled for it.
                    if wideTiles {
                        unsafe packA(
                            a, into: packedA, p, rows: i0..<(i0 + mCount), depth: p0..<(p0 + kCount),
                            tileRows: wideTileRows)
                    } else {
                        unsafe packA(
                            a, into: packedA, p, rows: i0..<(i0 + mCount), depth: p0..<(p0 + kCount),
                            tileRows: rowsPerTile)
                    }
                    if wideTiles {
                        // Two B panels per tile (the second is the first again past the last column: its
                        // products are computed and dropped).
                        for jr in stride(from: 0, to: nCount, by: 2 * lanes) {
                            let b0 = unsafe bBlock + jr * kCount
                            let b1 = jr + lanes < nCount ? unsafe b0 + lanes * kCount : unsafe b0
                            for ir in stride(from: 0, to: mCount, by: tileRows) {
                                unsafe T.wideTile(
                                    depth: kCount, a: UnsafePointer(packedA.baseAddress! + ir * kCount), b0: b0,
                                    b1: b1, c: c.baseAddress! + (i0 + ir) * p.n + j0 + jr, ldc: p.n,
                                    rows: Swift.min(tileRows, mCount - ir), columns: Swift.min(2 * lanes, nCount - jr),
                                    accumulate: p0 > 0)
                            }
                        }
                        continue
                    }
                    for jr in stride(from: 0, to: nCount, by: lanes) {
                        for ir in stride(from: 0, to: mCount, by: tileRows) {
                            unsafe microKernel(
                                depth: kCount, a: packedA.baseAddress! + ir * kCount, b: bBlock + jr * kCount,
                                c: c.baseAddress! + (i0 + ir) * p.n + j0 + jr, ldc: p.n,
                                rows: Swift.min(tileRows, mCount - ir), columns: Swift.min(lanes, nCount - jr),
                                accumulate: p0 > 0)
                        }
                    }
                }
            }
        }
    }

    /// Packs op(A)[rows, depth] as panels of `tileRows` rows: panel q holds, for each depth step, the values
    /// A[q·tileRows ..< (q+1)·tileRows, step] (zero past the last row). Writes
    /// `roundUp(rows.count, tileRows) · depth.count` elements, which `packedA` holds by construction (`mc` is a
    /// multiple of `tileRows`).
    @inline(__always)
    private static func packA<T: MatMulScalar>(
        _ a: UnsafeBufferPointer<T>, into packed: UnsafeMutableBufferPointer<T>, _ p: MatMulProblem,
        rows: Range<Int>, depth: Range<Int>, tileRows: Int
    ) {
        var out = 0
        for panel in stride(from: rows.lowerBound, to: rows.upperBound, by: tileRows) {
            let live = Swift.min(tileRows, rows.upperBound - panel)
            if live == tileRows {
                // A whole panel: `tileRows` pointers walking their rows (or one walking a column of A stored
                // transposed), no per-element test.
                if p.transposeA {
                    var source = unsafe a.baseAddress! + depth.lowerBound * p.m + panel
                    for _ in depth {
                        for r in 0..<tileRows { unsafe packed[out + r] = source[r] }
                        unsafe source += p.m
                        out += tileRows
                    }
                } else {
                    let source = unsafe a.baseAddress! + panel * p.k
                    for step in depth {
                        for r in 0..<tileRows { unsafe packed[out + r] = source[r * p.k + step] }
                        out += tileRows
                    }
                }
                continue
            }
            for step in depth {
                for r in 0..<tileRows {
                    if r < live {
                        let i = panel + r
                        unsafe packed[out + r] = p.transposeA ? a[step * p.m + i] : a[i * p.k + step]
                    } else {
                        unsafe packed[out + r] = .zero
                    }
                }
                out += tileRows
            }
        }
    }

    /// Packs op(B)[rows, columns] as panels `lanes` wide: panel q holds, for each row, the values
    /// B[row, q·lanes ..< q·lanes+lanes] (zero past the last column). Writes
    /// `rows.count · roundUp(columns.count, lanes)` elements, which `packedB` holds by construction.
    @inline(__always)
    private static func packB<T: MatMulScalar>(
        _ b: UnsafeBufferPointer<T>, into packed: UnsafeMutableBufferPointer<T>, _ p: MatMulProblem,
        rows: Range<Int>, columns: Range<Int>
    ) {
        let lanes = T.Lanes.scalarCount
        var out = 0
        for panel in stride(from: columns.lowerBound, to: columns.upperBound, by: lanes) {
            let live = Swift.min(lanes, columns.upperBound - panel)
            for row in rows {
                if !p.transposeB && live == lanes {
                    // One vector load and store (a copy call per row costs more than the copy).
                    let vector = unsafe UnsafeRawPointer(b.baseAddress! + row * p.n + panel).loadUnaligned(
                        as: T.Lanes.self)
                    unsafe UnsafeMutableRawPointer(packed.baseAddress! + out).storeBytes(of: vector, as: T.Lanes.self)
                } else {
                    for l in 0..<lanes {
                        let j = panel + l
                        unsafe packed[out + l] = l >= live ? .zero : p.transposeB ? b[j * p.k + row] : b[row * p.n + j]
                    }
                }
                out += lanes
            }
        }
    }

    /// C[0..<rows, 0..<columns] += Apanel · Bpanel over `depth` steps (`=` when not `accumulate`: the first depth
    /// block). `a` points at `4 · depth` packed values, `b` at `lanes · depth`, `c` at the tile's top-left element
    /// of a matrix with row stride `ldc`; only the `rows × columns` live part of the tile is written.
    @inline(__always)
    private static func microKernel<T: MatMulScalar>(
        depth: Int, a: UnsafePointer<T>, b: UnsafePointer<T>, c: UnsafeMutablePointer<T>, ldc: Int,
        rows: Int, columns: Int, accumulate: Bool
    ) {
        let lanes = T.Lanes.scalarCount
        var c0 = T.Lanes()
        var c1 = T.Lanes()
        var c2 = T.Lanes()
        var c3 = T.Lanes()
        var ap = unsafe a
        var bp = unsafe UnsafeRawPointer(b)
        for _ in 0..<depth {
            let bv = unsafe bp.loadUnaligned(as: T.Lanes.self)
            c0 = T.multiplyAdd(c0, unsafe ap[0], bv)
            c1 = T.multiplyAdd(c1, unsafe ap[1], bv)
            c2 = T.multiplyAdd(c2, unsafe ap[2], bv)
            c3 = T.multiplyAdd(c3, unsafe ap[3], bv)
            unsafe ap += rowsPerTile
            unsafe bp += lanes * MemoryLayout<T>.stride
        }
        if rows == rowsPerTile && columns == lanes {
            unsafe store(c0, c, accumulate)
            unsafe store(c1, c + ldc, accumulate)
            unsafe store(c2, c + 2 * ldc, accumulate)
            unsafe store(c3, c + 3 * ldc, accumulate)
        } else {
            unsafe storePartial(c0, c, columns, accumulate)
            if rows > 1 { unsafe storePartial(c1, c + ldc, columns, accumulate) }
            if rows > 2 { unsafe storePartial(c2, c + 2 * ldc, columns, accumulate) }
            if rows > 3 { unsafe storePartial(c3, c + 3 * ldc, columns, accumulate) }
        }
    }

    /// `destination[l] += value[l]` (or `=`) for the first `columns` lanes (a tile at the right or bottom edge).
    @inline(__always)
    private static func storePartial<T: MatMulScalar>(
        _ value: T.Lanes, _ destination: UnsafeMutablePointer<T>, _ columns: Int, _ accumulate: Bool
    ) {
        for l in 0..<columns {
            unsafe destination[l] = accumulate ? T.add(destination[l], value[l]) : value[l]
        }
    }

    /// `*destination += value` (or `=`) for one full row of a tile.
    @inline(__always)
    private static func store<T: MatMulScalar>(
        _ value: T.Lanes, _ destination: UnsafeMutablePointer<T>, _ accumulate: Bool
    ) {
        let raw = UnsafeMutableRawPointer(destination)
        let sum = accumulate ? T.addLanes(unsafe raw.loadUnaligned(as: T.Lanes.self), value) : value
        unsafe raw.storeBytes(of: sum, as: T.Lanes.self)
    }

    /// The i-k-j loop for small problems, in safe Swift.
    private static func multiplySmall<T: MatMulScalar>(_ a: [T], _ b: [T], _ c: inout [T], _ p: MatMulProblem) {
        for i in 0..<p.m {
            for step in 0..<p.k {
                let x = p.transposeA ? a[step * p.m + i] : a[i * p.k + step]
                if p.transposeB {
                    for j in 0..<p.n { c[i * p.n + j] = T.add(c[i * p.n + j], T.multiply(x, b[j * p.k + step])) }
                } else {
                    for j in 0..<p.n { c[i * p.n + j] = T.add(c[i * p.n + j], T.multiply(x, b[step * p.n + j])) }
                }
            }
        }
    }
}
