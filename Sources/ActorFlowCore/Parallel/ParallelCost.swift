/// What one element of a loop costs, for sizing the chunks of ``KernelContext/parallelFor(_:cost:_:)``: bytes
/// read, bytes written and arithmetic, as Eigen's `TensorOpCost` describes an expression.
///
/// A loop is split only when its whole cost is worth waking another worker for (about 60 µs of work), and then
/// into chunks of about 15 µs each, so small tensors stay on one thread and graphs of small ops are not slowed.
///
///     // c[i] = a[i] + b[i] over Float: two 4-byte loads, one 4-byte store, one add
///     let cost = ParallelCost(bytesLoaded: 8, bytesStored: 4, computeCycles: 1)
///     cost.grain(for: 1_000)        // 1000: one chunk, not worth splitting
///     cost.grain(for: 16_777_216)   // 10000 elements per chunk (5 cycles each)
public struct ParallelCost: Sendable, Hashable {
    /// Bytes each element reads.
    public var bytesLoaded: Double
    /// Bytes each element writes.
    public var bytesStored: Double
    /// Arithmetic per element, in cycles (about 1 per add or multiply, 10–40 for `exp`, `log`, division).
    public var computeCycles: Double

    public init(bytesLoaded: Double, bytesStored: Double, computeCycles: Double) {
        self.bytesLoaded = bytesLoaded
        self.bytesStored = bytesStored
        self.computeCycles = computeCycles
    }

    /// Cycles per byte moved (Eigen's load and store costs for a streaming loop, rounded).
    static let cyclesPerByteLoaded = 0.25
    static let cyclesPerByteStored = 0.5
    /// Below this total a loop is not split: about 60 µs at 3 GHz, the time a parked worker takes to wake and
    /// steal, so splitting less would not pay.
    package static let minimumParallelCycles = 200_000.0
    /// The target cost of one chunk (about 15 µs): large enough that claiming one (an atomic add) is noise,
    /// small enough that the last chunk does not keep the others waiting long.
    package static let targetChunkCycles = 50_000.0

    /// The estimated cycles for one element.
    public var cyclesPerElement: Double {
        max(bytesLoaded * Self.cyclesPerByteLoaded + bytesStored * Self.cyclesPerByteStored + computeCycles, 1e-3)
    }

    /// Elements per chunk for a loop of `count` elements: `count` itself (one chunk) when the loop is too cheap to
    /// split, otherwise about ``targetChunkCycles`` worth. It depends only on `count` and the cost, never on how many
    /// workers there are, so a reduction chunked by it adds in the same order on any pool.
    public func grain(for count: Int) -> Int {
        let perElement = cyclesPerElement
        guard count > 1, Double(count) * perElement >= Self.minimumParallelCycles else { return max(count, 1) }
        return max(1, Int((Self.targetChunkCycles / perElement).rounded(.up)))
    }
}
