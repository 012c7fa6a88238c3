/// The pointer code behind ``WorkItem``: a target held as a raw address (bit 0 marking an owned reference, bit 1
/// the step's random victim order) and reached without reference counting.
///
/// Safe to use because every item runs (or is discarded) exactly once, and a borrowed target outlives its
/// items by contract (``WorkItem/init(borrowing:index:)``).
extension WorkItem {
    /// What runs the item.
    public var target: any WorkTarget { unsafe targetType.target(at: object) }

    /// Runs the item on the current thread (once: an owning item gives its reference back afterwards).
    @inlinable
    public func run(in context: inout WorkerContext) {
        unsafe targetType._runItem(at: object, index, in: &context)
        if ownsTarget { release() }
    }

    /// Drops an item that will never run: an owning item gives its reference back. Every item is either run
    /// or discarded, once (the pool runs every item it was given).
    public func discard() {
        if ownsTarget { release() }
    }

    /// `target`'s address, retained once when `retaining`, with bit 0 recording it.
    static func bits(of target: AnyObject, retaining: Bool) -> UInt {
        let object = retaining ? unsafe Unmanaged.passRetained(target) : unsafe Unmanaged.passUnretained(target)
        return UInt(bitPattern: unsafe object.toOpaque()) | (retaining ? 1 : 0)
    }

    /// The target, unretained (its address is at least 16-byte aligned, so bits 0 and 1 are free for flags).
    @usableFromInline var object: Unmanaged<AnyObject> {
        unsafe Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: objectBits & ~Self.flagBits)!)
    }

    /// Bit 0: the item owns a reference to its target. Bit 1: ``prefersRandomVictims``.
    @usableFromInline static let flagBits: UInt = 3

    /// Whether the item's step steals in random victim order (`.workStealing(numaAware: false)`): a worker that
    /// runs it searches random victims next, and what it pushes while running it carries the mark on. Items
    /// without the mark (every item made by the initializers) search in NUMA-aware order. See ``WorkScheduler``.
    public var prefersRandomVictims: Bool { objectBits & 2 != 0 }

    /// The same item with its step's victim order: random (`true`) or NUMA-aware (`false`).
    ///
    ///     pool.submit(items.map { $0.withVictimOrder(random: true) })
    public func withVictimOrder(random: Bool) -> WorkItem {
        WorkItem(objectBits: random ? objectBits | 2 : objectBits & ~2, targetType: targetType, index: index)
    }

    init(objectBits: UInt, targetType: any WorkTarget.Type, index: Int) {
        self.objectBits = objectBits
        self.targetType = targetType
        self.index = index
    }

    /// Gives back the reference an owning item holds.
    @usableFromInline func release() {
        unsafe object.release()
    }
}

extension WorkTarget {
    /// Runs item `index` of the target at `object`, which its caller keeps alive, without retaining it.
    @inlinable
    public static func _runItem(at object: Unmanaged<AnyObject>, _ index: Int, in context: inout WorkerContext) {
        unsafe object._withUnsafeGuaranteedRef { target in
            unsafe unsafeDowncast(target, to: Self.self).run(index, in: &context)
        }
    }

    /// The target at `object`, as a strong reference.
    static func target(at object: Unmanaged<AnyObject>) -> any WorkTarget {
        unsafe unsafeDowncast(object.takeUnretainedValue(), to: Self.self)
    }
}
