extension NDArray {
    /// For a one-element value: replaces its element `x` by `combine(x, y)`, `y` being `other`'s one element, and
    /// returns `true`; returns `false` and changes nothing when either value has another element count or a dtype
    /// other than `T`.
    ///
    /// When this value holds the only reference to its buffer, the element is written in place: the kernel
    /// allocates nothing and the result keeps the buffer's tracked allocation (TensorFlow's `forward_input`).
    /// Otherwise the write goes to a fresh buffer, tracked as the calling op's allocation on traced steps.
    ///
    ///     var sum = ctx.takeInput(0)                     // the producer's buffer, handed to this op alone
    ///     _ = sum.combineOnlyElement(Float.self, with: ctx.input(1)) { $0 + $1 }
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    @_specialize(exported: true, where T == Int32)
    @_specialize(exported: true, where T == Int64)
    package mutating func combineOnlyElement<T: NDArrayScalar>(
        _ type: T.Type, with other: NDArray, _ combine: (T, T) throws(KernelError) -> T
    ) throws(KernelError) -> Bool {
        guard storage.count == 1, other.storage.count == 1, var values = T.extract(from: storage),
            let y = T.extract(from: other.storage)?[0]
        else { return false }
        // Drop this value's reference so that `values` may be the buffer's only one.
        storage = .bool([])
        let before = values.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        values[0] = try combine(values[0], y)
        let after = values.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        storage = T.makeStorage(values)
        if after != before { allocation = AllocationScope.track(storage) }
        return true
    }
}
