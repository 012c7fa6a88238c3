/// One value per chunk of a ``KernelContext/parallelReduce(_:grain:initial:_:combine:)``, written by whichever
/// thread ran the chunk and read by the caller once every chunk returned.
///
/// Safe to share because each slot has one writer (the chunk's runner, once), the writes happen before the runner
/// reports the chunk finished (a releasing atomic add the caller acquires), and the caller reads only afterwards.
final class ChunkResults<Value: Sendable>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = UnsafeMutablePointer<Value?>.allocate(capacity: count)
        unsafe slots.initialize(repeating: nil, count: count)
    }

    deinit {
        unsafe slots.deinitialize(count: count)
        unsafe slots.deallocate()
    }

    /// Stores chunk `index`'s value (once, from the thread that ran the chunk).
    func store(_ value: Value, at index: Int) {
        precondition(index >= 0 && index < count)
        unsafe (slots + index).pointee = value
    }

    /// Chunk `index`'s value (after every chunk finished).
    func take(_ index: Int) -> Value {
        precondition(index >= 0 && index < count)
        guard let value = unsafe slots[index].take() else { preconditionFailure("chunk \(index) has no value") }
        return value
    }
}
