import ActorFlowProto
@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowTracing

/// How one task's clock relates to the client's (task 0's), as a cluster session estimated it when its first step
/// started: the times in that task's step statistics are mapped onto the client's clock with it.
///
/// The estimate is the classic ping-pong one (Cristian's algorithm): the client reads its clock, the task answers
/// with its own, the client reads its clock again; the task's reading lies inside the round trip, so the true
/// offset is within ``uncertaintyNanos`` (half the round trip) of ``offsetNanos`` (the task's reading minus the
/// round trip's midpoint). Of several rounds the one with the shortest round trip is kept.
///
///     let session = Session(graph: g, options: SessionOptions(cluster: cluster))
///     _ = try session.run(z)
///     for clock in session.clusterClockOffsets {
///         print("task \(clock.task): \(clock.offsetNanos) ± \(clock.uncertaintyNanos) ns")   // e.g. "task 1: 312 ± 21450 ns"
///     }
///
/// Tasks on one host share the kernel's clock, so their offsets are 0 within the uncertainty; across hosts the
/// offset is whatever their clocks differ by (NTP or PTP keep it small, not zero).
public struct ClusterClockOffset: Sendable, Equatable, CustomStringConvertible {
    /// The task (MPI rank) whose clock this is.
    public let task: Int
    /// The task's clock minus the client's, in nanoseconds: subtract it from the task's times to get the client's.
    public let offsetNanos: Int64
    /// Half the shortest round trip: the true offset is within ± this of ``offsetNanos``.
    public let uncertaintyNanos: Int64

    public init(task: Int, offsetNanos: Int64, uncertaintyNanos: Int64) {
        self.task = task
        self.offsetNanos = offsetNanos
        self.uncertaintyNanos = uncertaintyNanos
    }

    public var description: String { "task \(task): \(offsetNanos) ± \(uncertaintyNanos) ns" }
}

/// The ping-pong exchange behind ``ClusterClockOffset``, on the cluster's clock tag. Times are the step
/// statistics' own: Unix-epoch nanoseconds from ``TraceClock``.
enum ClusterClock {
    /// Round trips per task; the shortest is kept.
    static let rounds = 8

    static func now() -> Int64 { TraceClock.epochNanos(TraceClock.now()) }

    /// The client's side, with one task that is in ``answer(rounds:_:)``.
    static func estimate(task: Int, _ transport: any ClusterTransport) async throws(SessionError) -> ClusterClockOffset {
        var best = ClusterClockOffset(task: task, offsetNanos: 0, uncertaintyNanos: .max)
        for _ in 0..<rounds {
            let sent = now()
            try await ClusterBridge.send(NDArray(sent), to: task, tag: ClusterMessages.clockTag, transport)
            let reply = try await ClusterBridge.receive(from: task, tag: ClusterMessages.clockTag, transport)
            let received = now()
            guard case .int64(let values) = reply.storage, values.count == 1 else {
                throw .cluster(reason: "task \(task) answered a clock reading with \(reply.debugDescription.prefix(80))")
            }
            let halfTrip = (received - sent) / 2
            if halfTrip < best.uncertaintyNanos {
                best = ClusterClockOffset(task: task, offsetNanos: values[0] - (sent + halfTrip), uncertaintyNanos: halfTrip)
            }
        }
        return best
    }

    /// A serving task's side: answers each of the client's `rounds` readings with its own clock.
    static func answer(rounds: Int, _ transport: any ClusterTransport) async throws(SessionError) {
        for _ in 0..<rounds {
            _ = try await ClusterBridge.receive(from: 0, tag: ClusterMessages.clockTag, transport)
            try await ClusterBridge.send(NDArray(now()), to: 0, tag: ClusterMessages.clockTag, transport)
        }
    }

    /// The request that puts a serving task into ``answer(rounds:_:)``, on the control tag.
    static var request: NDArray { NDArray([ClusterMessages.clockMarker, "\(rounds)"]) }

    /// The rounds a control message asks for, or `nil` when it is not a clock request.
    static func requestedRounds(_ message: NDArray) -> Int? {
        guard message.dtype == .string, message.dimensions == [2], case .string(let s) = message.storage,
            s[0] == ClusterMessages.clockMarker
        else { return nil }
        return Int(s[1])
    }

    /// `stats` with every absolute time moved from the task's clock onto the client's (relative times stay).
    static func mapped(_ stats: DeviceStepStats, by clock: ClusterClockOffset) -> DeviceStepStats {
        let nanos = clock.offsetNanos
        let micros = nanos / 1000
        var mapped = stats
        for i in mapped.nodeStats.indices {
            mapped.nodeStats[i].allStartMicros -= micros
            mapped.nodeStats[i].allStartNanos -= nanos
            if mapped.nodeStats[i].scheduledMicros != 0 { mapped.nodeStats[i].scheduledMicros -= micros }
            if mapped.nodeStats[i].scheduledNanos != 0 { mapped.nodeStats[i].scheduledNanos -= nanos }
            for m in mapped.nodeStats[i].memory.indices {
                for r in mapped.nodeStats[i].memory[m].allocationRecords.indices {
                    mapped.nodeStats[i].memory[m].allocationRecords[r].allocMicros -= micros
                }
            }
        }
        return mapped
    }
}
