import ActorFlowProto

/// The instants of one `NodeExecStats`, as Unix-epoch nanoseconds.
///
/// Reads the `*_nanos` fields when `all_start_nanos` is set (ActorFlow and TensorFlow ≥ 1.15 fill them) and
/// falls back to the `*_micros` fields × 1000 otherwise, so stats written by older producers still line up.
struct NodeTiming: Sendable, Equatable {
    /// When the node became ready, or `nil` when the producer did not record it.
    var scheduled: Int64?
    /// The executor began processing the node.
    var allStart: Int64
    /// Just before the kernel ran.
    var opStart: Int64
    /// Just after the kernel returned.
    var opEnd: Int64
    /// After the outputs were delivered.
    var allEnd: Int64

    init(_ stats: Tensorflow_NodeExecStats) {
        if stats.allStartNanos != 0 {
            allStart = stats.allStartNanos
            opStart = allStart &+ stats.opStartRelNanos
            opEnd = allStart &+ stats.opEndRelNanos
            allEnd = allStart &+ stats.allEndRelNanos
        } else {
            allStart = stats.allStartMicros &* 1000
            opStart = allStart &+ stats.opStartRelMicros &* 1000
            opEnd = allStart &+ stats.opEndRelMicros &* 1000
            allEnd = allStart &+ stats.allEndRelMicros &* 1000
        }
        if stats.scheduledNanos != 0 {
            scheduled = stats.scheduledNanos
        } else if stats.scheduledMicros != 0 {
            scheduled = stats.scheduledMicros &* 1000
        } else {
            scheduled = nil
        }
    }

    /// The kernel's time: `op_end_rel − op_start_rel`.
    var opNanos: Int64 { opEnd &- opStart }
    /// The whole firing: `all_end_rel`.
    var allNanos: Int64 { allEnd &- allStart }
    /// How long the node waited between becoming ready and being processed.
    var queuedNanos: Int64? { scheduled.map { allStart &- $0 } }
    /// The earliest instant the record mentions.
    var earliest: Int64 { min(allStart, scheduled ?? allStart) }
}
