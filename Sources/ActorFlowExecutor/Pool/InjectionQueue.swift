@_spi(ActorFlowInternal) import ActorFlowCore
import Synchronization

/// A locked FIFO of work items: a NUMA node's queue for work submitted from outside the pool, and the
/// one shared queue of the `.globalQueue` policy.
///
/// Once closed (at shutdown) it refuses new items, so nothing can be left behind by workers that have
/// ended. An atomic count lets searching workers skip an empty queue without taking the lock.
final class InjectionQueue: Sendable {
    private struct Storage {
        var items: [WorkItem?] = []
        var head = 0
        var closed = false

        var count: Int { items.count - head }

        mutating func append(_ item: WorkItem) { items.append(item) }

        mutating func popFirst() -> WorkItem? {
            guard head < items.count else { return nil }
            let item = items[head]
            items[head] = nil
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    private let storage = Locked(Storage())
    private let itemCount = Atomic<Int>(0)

    /// Whether the queue looks empty (relaxed: may be stale).
    @inline(__always)
    var isEmpty: Bool { itemCount.load(ordering: .relaxed) == 0 }

    /// Appends `items`; returns `false` (appending nothing) once the queue is closed.
    func push<Items: Collection<WorkItem>>(contentsOf items: Items) -> Bool {
        storage.withLock { storage in
            guard !storage.closed else { return false }
            for item in items { storage.append(item) }
            itemCount.add(items.count, ordering: .sequentiallyConsistent)
            return true
        }
    }

    /// Appends one item; returns `false` once the queue is closed.
    func push(_ item: WorkItem) -> Bool {
        push(contentsOf: CollectionOfOne(item))
    }

    /// Takes the oldest item, and hands up to `extra` more to `overflow` (the caller's own deque) while it
    /// holds the lock, so a worker takes a batch for one lock round trip.
    func pop(takingUpTo extra: Int = 0, into overflow: (WorkItem) -> Void = { _ in }) -> WorkItem? {
        guard !isEmpty else { return nil }
        return storage.withLock { storage in
            guard let first = storage.popFirst() else { return nil }
            var taken = 1
            let more = min(extra, storage.count / 2)
            for _ in 0..<more {
                guard let item = storage.popFirst() else { break }
                overflow(item)
                taken += 1
            }
            itemCount.subtract(taken, ordering: .relaxed)
            return first
        }
    }

    /// Refuses further items; items already queued stay and will be run.
    func close() {
        storage.withLock { $0.closed = true }
    }
}
