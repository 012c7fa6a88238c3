import ActorFlowWorkloads

extension Workload {
    /// What `--size` counts for this workload, for help and error messages.
    var sizeMeaning: String {
        switch self {
        case .chain, .fanout, .random: "nodes"
        case .wavefront: "the grid's side"
        case .tree: "the tree's depth"
        case .tiledMatMul: "the matrices' side"
        case .mlp: "the batch's rows"
        case .mapReduce: "4096-element chunks"
        case .addChain: "scalar adds"
        case .ioMix: "128×128 tiles read from .npy files"
        }
    }

    /// The largest `--size` the command line accepts: about ten million nodes for the scheduling shapes and a few
    /// hundred megabytes of tensors for the compute shapes, so a mistyped size fails at once instead of
    /// exhausting the machine's memory.
    var maximumSize: Int {
        switch self {
        case .chain, .fanout, .random: 10_000_000
        case .wavefront: 3_162  // 3162² ≈ 10⁷ nodes
        case .tree: 23  // 2²³ − 1 ≈ 8.4 · 10⁶ nodes
        case .tiledMatMul: 2_048  // 32³ tile products of 16 KiB each in flight at worst
        case .mlp: 65_536  // 65 536 × 512 floats per hidden layer: 128 MiB
        case .mapReduce: 16_384  // 16 384 × 16 KiB of constants: 256 MiB
        case .addChain: 10_000_000
        case .ioMix: 4_096  // 4096 files of 64 KiB: 256 MiB on disk and in memory
        }
    }

    /// Checks a requested size: at least 1, at most ``maximumSize``.
    ///
    /// - Throws: ``CommandLineError`` naming the size, the workload and the allowed range.
    func validate(size: Int) throws(CommandLineError) {
        guard size >= 1, size <= maximumSize else {
            throw CommandLineError(
                "--size \(size) is out of range for \(rawValue) (\(sizeMeaning)): use 1 to \(maximumSize)")
        }
    }
}
