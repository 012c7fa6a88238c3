import ActorFlowCore

// The reduction's parallel split over its leading kept axes: chunks of those positions, each reducing its own
// input block into its own slice of the output, which only that chunk writes.

enum ReductionBlocks {
    /// Reduces `x`, made of `blocks` equal consecutive input blocks each giving `outCount / blocks` outputs, by
    /// calling `reduceBlock(x, blockStart, &blockOutputs)` for each block (with `blockOutputs` set to `identity`),
    /// in chunks over `loops`; returns the outputs in block order.
    static func split<T: Sendable>(
        _ x: [T], blocks: Int, outCount: Int, identity: T, cost: ParallelCost, loops: KernelLoops,
        _ reduceBlock: @Sendable ([T], Int, inout [T]) -> Void
    ) throws -> [T] {
        let inBlock = x.count / blocks
        let outBlock = outCount / blocks
        return try unsafe [T](unsafeUninitializedCapacity: outCount) { buffer, initialized in
            let out = unsafe SharedPointer(buffer.baseAddress!)
            try loops.parallelFor(0..<blocks, cost: cost) { chunk in
                var local = [T](repeating: identity, count: outBlock)
                for block in chunk {
                    for i in 0..<outBlock { local[i] = identity }
                    reduceBlock(x, block * inBlock, &local)
                    unsafe local.withUnsafeBufferPointer { source in
                        _ = unsafe UnsafeMutableBufferPointer(start: out.base + block * outBlock, count: outBlock)
                            .initialize(fromContentsOf: source)
                    }
                }
            }
            initialized = outCount
        }
    }
}
