import ActorFlowProto
import Foundation

/// A traced cluster step's statistics: each task's `DeviceStepStats`, named after its task.
///
/// The other tasks send theirs (serialized `StepStats`, as base64 text in their status message); the client
/// renames every device to `/job:worker/replica:0/task:N/device:CPU:0` and returns one per task, its own first.
/// Every task's absolute times are mapped onto the client's clock with its ``ClusterClockOffset`` (relative
/// times stay as measured).
enum ClusterStats {
    static func device(_ task: Int) -> String { "/job:worker/replica:0/task:\(task)/device:CPU:0" }

    static func merged(
        local: StepStats, remote statuses: [(Int, ClusterStatus)], clocks: [ClusterClockOffset]
    ) -> StepStats {
        var merged = StepStats()
        merged.devStats = local.devStats.map { stats in
            var renamed = stats
            renamed.device = device(0)
            return renamed
        }
        for (task, status) in statuses {
            guard case .ok(let bytes?) = status, let stats = try? StepStats(serializedBytes: bytes) else { continue }
            let clock = clocks.first { $0.task == task }
            for var stats in stats.devStats {
                stats.device = device(task)
                merged.devStats.append(clock.map { ClusterClock.mapped(stats, by: $0) } ?? stats)
            }
        }
        return merged
    }

    static func text(fromBytes bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func bytes(fromText text: String) -> [UInt8]? { Data(base64Encoded: text).map { [UInt8]($0) } }
}
