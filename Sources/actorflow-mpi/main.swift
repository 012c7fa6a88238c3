import ActorFlow
import ActorFlowExecutor
import ActorFlowMPI
import ActorFlowWorkloads
import Synchronization
import Foundation

// `actorflow-mpi`: ActorFlowMPI's end-to-end check and its transport benchmark, run under mpirun:
//
//     mpirun -np 2 actorflow-mpi selftest
//     mpirun -np 2 actorflow-mpi clustertest
//     mpirun --mca orte_enable_recovery 1 -np 2 actorflow-mpi killtest
//     mpirun -np 2 actorflow-mpi matmul [--size 512] [--steps 10] [--workers 1]
//     mpirun -np 2 actorflow-mpi pingpong [--bytes N] [--iterations N]
//
// (as root, or with more ranks than cores: mpirun --allow-run-as-root --oversubscribe …). Exits non-zero when a
// check fails, printing what differed.

/// A deterministic tensor of `dtype` for the self test: its values depend on `seed`.
func sample(_ dtype: DType, count: Int, seed: Int) -> NDArray {
    switch dtype {
    case .float32: NDArray((0..<count).map { Float($0 &* 3 &+ seed) / 7 })
    case .float64: NDArray((0..<count).map { Double($0 &+ seed) * 0.25 })
    case .int32: NDArray((0..<count).map { Int32(truncatingIfNeeded: $0 &* 31 &+ seed) })
    case .int64: NDArray((0..<count).map { Int64($0) << 33 | Int64(seed) })
    case .bool: NDArray((0..<count).map { ($0 + seed) % 3 == 0 })
    case .string: NDArray((0..<count).map { "s\($0 + seed)" + String(repeating: "é", count: $0 % 4) })
    }
}

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
}

func expectEqual(_ got: NDArray, _ expected: NDArray, _ what: String) throws {
    guard got == expected else {
        throw CheckFailure(description: "\(what): received \(got.debugDescription.prefix(200)), expected "
            + "\(expected.debugDescription.prefix(200))")
    }
}

/// Rank 0 sends every dtype, an empty tensor, a matrix and a 16 MiB tensor to each other rank, which checks them
/// and answers; then 64 tensors go out at once on different tags and are received in reverse order; then 16 on one
/// tag, received by 16 receives waiting at once.
func selfTest(_ cluster: MPICluster) async throws {
    let cases: [(DType, [Int])] = [
        (.float32, [3]), (.float64, [2, 2]), (.int32, [5]), (.int64, [1, 3]), (.bool, [7]), (.string, [4]),
        (.float32, [0, 3]), (.float32, []), (.float32, [4 << 20]),
    ]
    func value(_ i: Int, seed: Int) throws -> NDArray {
        let (dtype, shape) = cases[i]
        return try sample(dtype, count: shape.reduce(1, *), seed: seed).reshaped(to: shape)
    }
    if cluster.rank == 0 {
        for peer in 1..<cluster.size {
            for i in cases.indices { try await cluster.send(try value(i, seed: peer), to: peer, tag: i) }
            for i in cases.indices {
                try expectEqual(try await cluster.receive(from: peer, tag: 100 + i), try value(i, seed: peer + 1000),
                                "reply \(i) from rank \(peer)")
            }
        }
    } else {
        for i in cases.indices {
            try expectEqual(try await cluster.receive(from: 0, tag: i), try value(i, seed: cluster.rank), "case \(i)")
        }
        for i in cases.indices { try await cluster.send(try value(i, seed: cluster.rank + 1000), to: 0, tag: 100 + i) }
    }
    // Many in flight at once, received in another order than sent.
    let burst = 64
    if cluster.rank == 0 {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for peer in 1..<cluster.size {
                for tag in 0..<burst {
                    group.addTask { try await cluster.send(sample(.int64, count: tag, seed: tag), to: peer, tag: 1000 + tag) }
                }
            }
            try await group.waitForAll()
        }
    } else {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for tag in (0..<burst).reversed() {
                group.addTask {
                    try expectEqual(try await cluster.receive(from: 0, tag: 1000 + tag), sample(.int64, count: tag, seed: tag),
                                    "burst tag \(tag)")
                }
            }
            try await group.waitForAll()
        }
    }
    // Receives of one source and tag waiting together each get one whole tensor (none takes another's elements
    // for its header).
    let sameTag = 16
    if cluster.rank == 0 {
        for peer in 1..<cluster.size {
            for i in 0..<sameTag { try await cluster.send(sample(.float64, count: 1000 + i, seed: i), to: peer, tag: 2000) }
        }
    } else {
        let got = try await withThrowingTaskGroup(of: NDArray.self) { group in
            for _ in 0..<sameTag { group.addTask { try await cluster.receive(from: 0, tag: 2000) } }
            var all: [NDArray] = []
            for try await value in group { all.append(value) }
            return all
        }
        for value in got {
            let i = value.elementCount - 1000
            guard (0..<sameTag).contains(i) else { throw CheckFailure(description: "same-tag receive got \(value.elementCount) elements") }
            try expectEqual(value, sample(.float64, count: 1000 + i, seed: i), "same-tag tensor \(i)")
        }
        guard Set(got.map(\.elementCount)).count == sameTag else {
            throw CheckFailure(description: "same-tag receives got \(got.map(\.elementCount).sorted())")
        }
    }
    // Bad arguments are typed errors, and the cluster stays usable.
    do {
        try await cluster.send(NDArray(Float(1)), to: cluster.size, tag: 0)
        throw CheckFailure(description: "a send to rank \(cluster.size) did not fail")
    } catch let error as MPIError {
        guard case .invalidArgument(let text) = error, text.contains("rank \(cluster.size)") else { throw error }
    }
    do {
        _ = try await cluster.receive(from: 0, tag: -1)
        throw CheckFailure(description: "a receive with tag -1 did not fail")
    } catch let error as MPIError {
        guard case .invalidArgument(let text) = error, text.contains("tag -1") else { throw error }
    }
    print("selftest ok: rank \(cluster.rank) of \(cluster.size), \(cluster.threadLevel)")
}

/// Every rank builds the same graph: `x` (fed, on the client) times one weight matrix per task, the products summed
/// on the client; a product doubled on the last task and fetched back; a custom op on the last task that fails on
/// negative input; a control edge from the last task to the client.
func clusterGraph(tasks: Int) -> (Graph, x: Tensor, z: Tensor, doubled: Tensor, checked: Tensor, after: Tensor) {
    let g = Graph()
    let x = g.placeholder(.float32, shape: [2, 4], name: "x")
    var parts: [Tensor] = []
    for task in 0..<tasks {
        parts.append(g.withDevice("/job:worker/task:\(task)") {
            let w = g.constant((0..<4).map { i in (0..<3).map { j in Float(i * 3 + j + task) / 10 } }, name: "w\(task)")
            return g.matMul(x, w, name: "part\(task)")
        })
    }
    let z = parts.dropFirst().reduce(parts[0]) { g.add($0, $1) }
    let last = "/job:worker/task:\(tasks - 1)"
    let (doubled, checked) = g.withDevice(last) { () -> (Tensor, Tensor) in
        let doubled = g.mul(parts[0], g.constant(Float(2)), name: "doubled")
        let checked = g.customOp(name: "checked", inputs: [x], outputs: [(.float32, [2, 4])]) { inputs in
            let values = try inputs[0].scalars(as: Float.self)
            if let bad = values.first(where: { $0 < 0 }) { throw KernelError("negative input \(bad)") }
            return inputs
        }[0]
        return (doubled, checked)
    }
    let after = g.withControlDependencies([checked.op]) { g.identity(z, name: "after") }
    _ = g.withDevice(last) {
        g.asyncCustomOp(name: "slow", inputs: [x], outputs: [(.float32, [2, 4])]) { inputs, ctx in
            try await ctx.sleep(for: .seconds(60))
            return inputs
        }
    }
    return (g, x, z, doubled, checked, after)
}

/// Rank 0 runs the graph of ``clusterGraph(tasks:)`` across the ranks and checks every result against the same
/// graph run in one process; the other ranks serve.
func clusterTest(_ cluster: MPICluster) throws {
    let (g, x, z, doubled, checked, after) = clusterGraph(tasks: cluster.size)
    guard cluster.rank == 0 else {
        try cluster.serve(g)
        print("clustertest ok: rank \(cluster.rank) served")
        return
    }
    let input = try NDArray(shape: [2, 4], scalars: (0..<8).map { Float($0) })
    let local = Session(graph: g)
    let expected = try local.run([z, doubled, after], feeds: [x: input])
    let session = Session(graph: g, options: SessionOptions(cluster: cluster))
    defer { session.close() }
    let got = try session.run([z, doubled, after], feeds: [x: input])
    try expectEqual(got[0], expected[0], "z")
    try expectEqual(got[1], expected[1], "doubled")
    try expectEqual(got[2], expected[2], "after")
    // A traced step returns one DeviceStepStats per task, each with the ops that ran there.
    var md = RunMetadata()
    let tracedStart = Int64(Date().timeIntervalSince1970 * 1e9)
    _ = try session.run(fetch: .tensor(z), feeds: [x: input], options: RunOptions(traceLevel: .softwareTrace),
                        metadata: &md)
    let tracedEnd = Int64(Date().timeIntervalSince1970 * 1e9)
    // Every other task's clock was estimated at the first step. The ranks share this host's clock, so each
    // estimate is 0 within its uncertainty (plus each process's reading of the epoch, well under 50 µs), and every
    // op of the traced step, mapped onto rank 0's clock, started inside the step as rank 0 timed it.
    let clocks = session.clusterClockOffsets
    guard clocks.map(\.task) == Array(1..<cluster.size) else {
        throw CheckFailure(description: "clock estimates \(clocks), expected one per task 1..<\(cluster.size)")
    }
    for clock in clocks where clock.uncertaintyNanos <= 0 || clock.uncertaintyNanos > 1_000_000_000
        || abs(clock.offsetNanos) > clock.uncertaintyNanos + 50_000
    {
        throw CheckFailure(description: "an implausible clock estimate on one host: \(clock)")
    }
    let slack = 1_000_000 + (clocks.map(\.uncertaintyNanos).max() ?? 0)
    for stats in md.stepStats.devStats {
        for node in stats.nodeStats where node.allStartNanos < tracedStart - slack || node.allStartNanos > tracedEnd + slack {
            throw CheckFailure(
                description: "\(stats.device) \(node.nodeName) started at \(node.allStartNanos), outside the step [\(tracedStart), \(tracedEnd)]")
        }
    }
    let devices = md.stepStats.devStats.map(\.device)
    let expectedDevices = (0..<cluster.size).map { "/job:worker/replica:0/task:\($0)/device:CPU:0" }
    guard devices == expectedDevices else {
        throw CheckFailure(description: "traced step devices \(devices), expected \(expectedDevices)")
    }
    for (task, stats) in md.stepStats.devStats.enumerated() where !stats.nodeStats.contains(where: { $0.nodeName == "part\(task)" }) {
        throw CheckFailure(description: "task \(task)'s stats lack part\(task): \(stats.nodeStats.map(\.nodeName))")
    }
    // An op failing on another task fails the step, naming the op and the task; the session stays usable.
    let negative = try NDArray(shape: [2, 4], scalars: (0..<8).map { Float($0) - 4 })
    do {
        _ = try session.run(after, feeds: [x: negative])
        throw CheckFailure(description: "a failing remote op did not fail the step")
    } catch let error as SessionError {
        guard case .opFailed("checked", let underlying) = error, let remote = underlying as? RemoteTaskError,
            remote.task == cluster.size - 1, remote.message.contains("negative input -4")
        else { throw CheckFailure(description: "unexpected error for a failing remote op: \(error)") }
    }
    try expectEqual(try session.run(checked, feeds: [x: input]), input, "checked after a failure")
    // A deadline stops the step on every task: a kernel sleeping on the last task is cancelled there, and the
    // run returns the deadline, not after the kernel's minute.
    let started = ContinuousClock.now
    do {
        _ = try session.run(fetch: .name("slow:0"), feeds: [x: input], options: RunOptions(timeoutInMs: 300))
        throw CheckFailure(description: "a step past its deadline did not fail")
    } catch let error as SessionError {
        guard case .deadlineExceeded(300) = error else {
            throw CheckFailure(description: "unexpected error for a step past its deadline: \(error)")
        }
    }
    guard ContinuousClock.now - started < .seconds(30) else {
        throw CheckFailure(description: "the timed-out step took \(ContinuousClock.now - started)")
    }
    try expectEqual(try session.run(z, feeds: [x: input]), expected[0], "z after a deadline")
    // Placement errors are typed and name the op.
    let g2 = Graph()
    let far = g2.withDevice("/job:worker/task:\(cluster.size)") { g2.constant(Float(1), name: "far") }
    do {
        _ = try Session(graph: g2, options: SessionOptions(cluster: cluster)).run(far)
        throw CheckFailure(description: "an op on a missing task ran")
    } catch let error as SessionError {
        guard case .invalidGraph("far", let reason) = error, reason.contains("task \(cluster.size)") else {
            throw CheckFailure(description: "unexpected error for an op on a missing task: \(error)")
        }
    }
    // Steps from several threads at once give each its own values.
    let results = Mutex<[Int: NDArray]>([:])
    DispatchQueue.concurrentPerform(iterations: 6) { i in
        let feed = (try? NDArray(shape: [2, 4], scalars: (0..<8).map { Float($0 * i) })) ?? input
        if let value = try? session.run(z, feeds: [x: feed]) { results.withLock { $0[i] = value } }
    }
    for i in 0..<6 {
        let feed = try NDArray(shape: [2, 4], scalars: (0..<8).map { Float($0 * i) })
        try expectEqual(results.withLock { $0[i] } ?? NDArray(Float(0)), try local.run(z, feeds: [x: feed]), "concurrent step \(i)")
    }
    print("clustertest ok: rank 0 ran \(cluster.size) tasks; clocks \(clocks.map(\.description).joined(separator: ", "))")
}

/// The tiled matmul workload with its output rows spread over the ranks, timed on rank 0 and checked against the
/// same graph in one process (which is also timed, with the same worker count, while the other ranks wait).
func matmul(_ cluster: MPICluster, size: Int, steps: Int, workers: Int) throws {
    let built = Workload.tiledMatMul.build(size: size, tasks: cluster.size)
    let pool = WorkStealingExecutor(workers: workers)
    defer { pool.shutdown() }
    guard cluster.rank == 0 else {
        try cluster.serve(built.graph, options: SessionOptions(executor: pool))
        return
    }
    func median(_ session: Session) throws -> (Double, [NDArray]) {
        var times: [Double] = []
        var values: [NDArray] = []
        for _ in 0..<(steps + 1) {
            let start = ContinuousClock.now
            values = try session.run(built.fetches)
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
        }
        let sorted = times.dropFirst().sorted()
        return (sorted[sorted.count / 2], values)
    }
    let local = Session(graph: built.graph, options: SessionOptions(executor: pool))
    let (alone, expected) = try median(local)
    local.close()
    let session = Session(graph: built.graph, options: SessionOptions(executor: pool, cluster: cluster))
    defer { session.close() }
    let (spread, got) = try median(session)
    for (i, (a, b)) in zip(got, expected).enumerated() { try expectEqual(a, b, "output tile \(i)") }
    print(String(format: "actorflow-mpi matmul size=%d ranks=%d workers_per_rank=%d one_process_ms=%.2f cluster_ms=%.2f speedup=%.2f",
                 size, cluster.size, workers, alone, spread, alone / spread))
}

/// Round trips between ranks 0 and 1: the one-way time of a `bytes`-sized tensor (half a round trip), and for
/// large tensors the bandwidth.
func pingPong(_ cluster: MPICluster, bytes: Int, iterations: Int) async throws {
    guard cluster.size >= 2 else { throw CheckFailure(description: "pingpong needs 2 ranks") }
    guard cluster.rank < 2 else { return }
    let value = NDArray([Float](repeating: 1, count: max(bytes / 4, 1)))
    let peer = 1 - cluster.rank
    var timedStart = ContinuousClock.now
    for round in 0..<(iterations + 10) {
        let start = ContinuousClock.now
        if cluster.rank == 0 {
            try await cluster.send(value, to: peer, tag: 1)
            _ = try await cluster.receive(from: peer, tag: 1)
        } else {
            let got = try await cluster.receive(from: peer, tag: 1)
            try await cluster.send(got, to: peer, tag: 1)
        }
        if round == 10 { timedStart = start }   // after 10 rounds of warm-up
    }
    if cluster.rank == 0 {
        let elapsed = ContinuousClock.now - timedStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let oneWay = seconds / Double(iterations) / 2
        let sent = value.byteCount
        print(String(format: "actorflow-mpi pingpong bytes=%d one_way_us=%.2f bandwidth_MBps=%.1f",
                     sent, oneWay * 1e6, Double(sent) / oneWay / 1e6))
    }
}

func option(_ name: String, default fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let value = Int(args[i + 1]) else { return fallback }
    return value
}

let command = CommandLine.arguments.dropFirst().first ?? "selftest"
let cluster: MPICluster
do {
    cluster = try MPICluster()
} catch {
    FileHandle.standardError.write(Data("actorflow-mpi: \(error)\n".utf8))
    exit(2)
}
var status: Int32 = 0
do {
    switch command {
    case "selftest": try await selfTest(cluster)
    case "clustertest": try clusterTest(cluster)
    case "killtest": try killTest(cluster)
    case "matmul":
        try matmul(cluster, size: option("--size", default: 512), steps: option("--steps", default: 10),
                   workers: option("--workers", default: 1))
    case "pingpong": try await pingPong(cluster, bytes: option("--bytes", default: 8), iterations: option("--iterations", default: 1000))
    default: throw CheckFailure(description: "unknown command '\(command)' (selftest, clustertest, matmul, pingpong)")
    }
} catch {
    FileHandle.standardError.write(Data("actorflow-mpi rank \(cluster.rank): \(error)\n".utf8))
    status = 1
}
cluster.finalize()
exit(status)
