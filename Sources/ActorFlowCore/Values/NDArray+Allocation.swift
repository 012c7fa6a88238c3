extension NDArray {
    /// The NUMA node of the worker whose op created this value's buffer on a traced step; `nil` for buffers made
    /// anywhere else (untraced steps, constants, values built by hand). Forwarded values (`Identity`,
    /// `Reshape`, ``reshaped(to:)``) report the original buffer's node.
    ///
    ///     var md = RunMetadata()
    ///     let traced = try session.run(z, options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
    ///     traced.numaNode                  // 0: the node of the worker that ran z's op
    ///     try session.run(z).numaNode      // nil: untraced steps do not track buffers
    public var numaNode: Int? { allocation?.numaNode }

    /// The process-unique id of this value's tracked buffer, as step statistics
    /// (`allocation_description.allocation_id`) and LTTng `alloc`/`free` events report it; `nil` when the
    /// buffer is not tracked (see ``numaNode``). Values sharing a buffer share the id.
    ///
    ///     let traced = try session.run(z, options: RunOptions(traceLevel: .softwareTrace))
    ///     traced.allocationID                                  // e.g. 42
    ///     try traced.reshaped(to: [-1]).allocationID           // the same (the buffer is shared)
    public var allocationID: Int? { allocation?.id }

    /// Elements and shape are equal; where the buffers came from does not matter.
    public static func == (lhs: NDArray, rhs: NDArray) -> Bool {
        lhs.dimensions == rhs.dimensions && lhs.storage == rhs.storage
    }

    /// Whether this value holds the only reference to its tracked buffer (`false` when it has none).
    mutating func holdsOnlyReferenceToAllocation() -> Bool {
        isKnownUniquelyReferenced(&allocation)
    }
}

extension NDArray.Storage {
    /// The address of the first element, as an integer (0 when empty): equal for values that share a buffer.
    var bufferAddress: UInt {
        func address<T>(_ values: [T]) -> UInt {
            values.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        }
        switch self {
        case .float32(let v): return address(v)
        case .float64(let v): return address(v)
        case .int32(let v): return address(v)
        case .int64(let v): return address(v)
        case .bool(let v): return address(v)
        case .string(let v): return address(v)
        }
    }
}
