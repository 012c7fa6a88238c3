extension NDArray {
    /// Whether `self` and `other` use the same element buffer (one was forwarded, not copied: what
    /// `Identity` or `Reshape` outputs share with their input). Empty arrays never share.
    ///
    ///     let a = NDArray([1, 2] as [Float])
    ///     a.sharesStorage(with: a)                           // true
    ///     a.sharesStorage(with: NDArray([1, 2] as [Float]))  // false
    public func sharesStorage(with other: NDArray) -> Bool {
        guard elementCount > 0, other.elementCount > 0 else { return false }
        func same<T>(_ a: [T], _ b: [T]) -> Bool {
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
        }
        switch (storage, other.storage) {
        case (.float32(let a), .float32(let b)): return same(a, b)
        case (.float64(let a), .float64(let b)): return same(a, b)
        case (.int32(let a), .int32(let b)): return same(a, b)
        case (.int64(let a), .int64(let b)): return same(a, b)
        case (.bool(let a), .bool(let b)): return same(a, b)
        case (.string(let a), .string(let b)): return same(a, b)
        default: return false
        }
    }
}
