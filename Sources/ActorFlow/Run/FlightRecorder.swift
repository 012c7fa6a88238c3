@_spi(ActorFlowInternal) import ActorFlowCore

/// The step statistics of a session's last steps, kept whatever their `RunOptions` asked for (see
/// ``SessionOptions/flightRecorderSteps``) and read with ``Session/flightRecord()``.
///
/// Workers write a step's records into the step's own storage without locks, as for any traced step; the
/// recorder takes the finished step's records once per step, under a lock held for a few stores, and builds no
/// message: each entry is a ``RunMetadata`` whose step statistics are built when read.
final class FlightRecorder: Sendable {
    /// How many steps are kept.
    let capacity: Int
    private let ring: Locked<Ring>

    private struct Ring {
        var entries: [RunMetadata]
        /// Where the next step goes once the ring is full (its oldest entry).
        var next = 0
    }

    init(capacity: Int) {
        precondition(capacity > 0, "a flight recorder keeps at least one step")
        self.capacity = capacity
        var entries: [RunMetadata] = []
        entries.reserveCapacity(capacity)
        ring = Locked(Ring(entries: entries))
    }

    /// Keeps one finished step, dropping the oldest when the ring is full.
    func record(_ metadata: RunMetadata) {
        // The dropped entry is released after the lock (it may hold the last reference to many records).
        let dropped: RunMetadata? = ring.withLock { ring in
            if ring.entries.count < capacity {
                ring.entries.append(metadata)
                return nil
            }
            let oldest = ring.entries[ring.next]
            ring.entries[ring.next] = metadata
            ring.next = (ring.next + 1) % capacity
            return oldest
        }
        _ = consume dropped
    }

    /// The kept steps, oldest first.
    func steps() -> [RunMetadata] {
        ring.withLock { ring in Array(ring.entries[ring.next...] + ring.entries[..<ring.next]) }
    }
}
