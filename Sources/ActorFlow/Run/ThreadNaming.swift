import ActorFlowExecutor
import ActorFlowTracing

/// Names for the threads that appear in a step's records (`DeviceStepStats.thread_names`).
enum ThreadNaming {
    /// Pool workers are named as their threads are (`af-w<i>-n<node>`); other threads by role.
    static func names(for records: NodeRecordTable, policy: SchedulingPolicy) -> [UInt32: String] {
        var names: [UInt32: String] = [:]
        var last: UInt32?
        for r in records where r.didRun && r.threadID != last {
            last = r.threadID
            guard names[r.threadID] == nil else { continue }
            if r.worker >= 0 {
                names[r.threadID] = "af-w\(r.worker)-n\(r.numaNode)"
            } else {
                names[r.threadID] = policy == .swiftDefault ? "swift-\(r.threadID)" : "caller-\(r.threadID)"
            }
        }
        return names
    }
}
