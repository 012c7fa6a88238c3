/// The end of a traced op's `timeline_label` when its kernel split loops into chunks:
/// `" [intra-op 2 loops, 12 chunks: w0 7, w1 5]"` — the loops (``NodeExecRecord/intraOpLoops``), their chunks,
/// and the chunks each worker ran (`off-pool` for threads that are not pool workers).
///
/// TensorFlow's `NodeExecStats` has no field for it, so it goes where an async kernel's suspension goes: after the
/// closing parenthesis, which TensorFlow's timeline reads the label up to (it contains no parenthesis itself).
/// ``StepStatsBuilder`` writes it; ``ChromeTraceExporter``, which sees only the messages, reads it back.
///
///     IntraOpSuffix(loops: 1, chunks: [WorkerChunks(worker: 0, chunks: 3)]).text   // " [intra-op 1 loop, 3 chunks: w0 3]"
///     IntraOpSuffix(in: "y = MatMul(a, b) [intra-op 1 loop, 3 chunks: w0 3]")?.totalChunks   // 3
struct IntraOpSuffix: Sendable, Equatable {
    /// The loops that split.
    var loops: Int
    /// The chunks per worker, as in ``NodeExecRecord/intraOpChunks``.
    var chunks: [WorkerChunks]

    /// How many chunks ran in all.
    var totalChunks: Int { chunks.reduce(0) { $0 + $1.chunks } }

    init(loops: Int, chunks: [WorkerChunks]) {
        self.loops = loops
        self.chunks = chunks
    }

    /// A record's suffix, or `nil` when its kernel split no loop.
    init?(_ r: NodeExecRecord) {
        guard r.intraOpLoops > 0 else { return nil }
        self.init(loops: r.intraOpLoops, chunks: r.intraOpChunks)
    }

    private static let opening = " [intra-op "

    /// The suffix as the label ends with it.
    var text: String {
        let total = totalChunks
        let workers = chunks.map { "\(Self.name(of: $0.worker)) \($0.chunks)" }.joined(separator: ", ")
        return Self.opening + "\(loops) loop\(loops == 1 ? "" : "s"), \(total) chunk\(total == 1 ? "" : "s")"
            + (workers.isEmpty ? "" : ": " + workers) + "]"
    }

    /// `"w3"`, or `"off-pool"`.
    static func name(of worker: Int32) -> String { worker == WorkerChunks.offPool ? "off-pool" : "w\(worker)" }

    /// The suffix at the end of `label`, or `nil` when it has none (or a malformed one).
    init?(in label: String) {
        guard label.hasSuffix("]"), let start = label.ranges(of: Self.opening).last else { return nil }
        let body = label[start.upperBound..<label.index(before: label.endIndex)]
        // "2 loops, 12 chunks: w0 7, w1 5"
        let (head, workers) = body.firstIndex(of: ":").map { (body[..<$0], body[body.index(after: $0)...]) }
            ?? (body, body[body.endIndex...])
        let counts = head.split(separator: ",").map { $0.split(separator: " ") }
        guard counts.count == 2, counts[0].count == 2, counts[1].count == 2, let loops = Int(counts[0][0]),
            counts[0][1].hasPrefix("loop"), counts[1][1].hasPrefix("chunk")
        else { return nil }
        var chunks: [WorkerChunks] = []
        for entry in workers.split(separator: ",") {
            let parts = entry.split(separator: " ")
            guard parts.count == 2, let count = Int(parts[1]) else { return nil }
            if parts[0] == "off-pool" {
                chunks.append(WorkerChunks(worker: WorkerChunks.offPool, chunks: count))
            } else if parts[0].first == "w", let worker = Int32(parts[0].dropFirst()) {
                chunks.append(WorkerChunks(worker: worker, chunks: count))
            } else {
                return nil
            }
        }
        self.init(loops: loops, chunks: chunks)
    }
}
