/// The events of one recorded step, grouped by op: what the real-graph round trip checks.
///
/// Ops are identified by `op_id` (the plan's node index), which `op_start`, `op_end`, `op_scheduled` and `alloc` all
/// carry; `op_start` and `op_end` also name the op.
struct RecordedGraphStep {
    struct Op {
        var id: String
        var starts: [RecordedEvent] = []
        var ends: [RecordedEvent] = []
        var scheduled: [RecordedEvent] = []
        var allocations: [RecordedEvent] = []

        var start: RecordedEvent? { starts.count == 1 ? starts[0] : nil }
        var end: RecordedEvent? { ends.count == 1 ? ends[0] : nil }
        var name: String? { start?.fields["op_name"] }
    }

    /// Every `actorflow:step_begin` / `actorflow:step_end`.
    var begins: [RecordedEvent] = []
    var ends: [RecordedEvent] = []
    /// The ops by `op_id`.
    var ops: [String: Op] = [:]
    /// Every `actorflow:free` (frees name the allocation, not the op, and may come after `step_end`).
    var frees: [RecordedEvent] = []

    init(_ events: [RecordedEvent]) {
        for event in events {
            let id = event.fields["op_id"] ?? ""
            switch event.name {
            case "actorflow:step_begin": begins.append(event)
            case "actorflow:step_end": ends.append(event)
            case "actorflow:op_start": ops[id, default: Op(id: id)].starts.append(event)
            case "actorflow:op_end": ops[id, default: Op(id: id)].ends.append(event)
            case "actorflow:op_scheduled": ops[id, default: Op(id: id)].scheduled.append(event)
            case "actorflow:alloc": ops[id, default: Op(id: id)].allocations.append(event)
            case "actorflow:free": frees.append(event)
            default: break
            }
        }
    }

    /// The ops by the name their `op_start` gave (ops without exactly one `op_start` are left out).
    var opsByName: [String: Op] {
        Dictionary(ops.values.compactMap { op in op.name.map { ($0, op) } }, uniquingKeysWith: { first, _ in first })
    }
}

extension RecordedEvent {
    /// An integer field (nil when absent or not a number).
    func integer(_ field: String) -> Int? {
        fields[field].flatMap { Int($0) }
    }
}
