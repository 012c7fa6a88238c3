import ActorFlow
import ActorFlowMPI
import Foundation

/// A rank killed in the middle of a cluster step: `mpirun --mca orte_enable_recovery 1 -np N actorflow-mpi killtest`
/// (without recovery, mpirun ends every rank when one dies). The last task's op kills its own process when its input
/// is negative; with 3 ranks or more task 1 relays its output to rank 0, so task 1 is left waiting for the dead task
/// too. Rank 0 checks that the step fails within a bounded time with a typed error naming the op and the dead task,
/// that a later step needing it fails at once, and that a step on rank 0 alone still runs.
func killTest(_ cluster: MPICluster) throws {
    let g = Graph()
    let x = g.placeholder(.float32, shape: [2], name: "x")
    let dying = cluster.size - 1
    let fragile = g.withDevice("/job:worker/task:\(dying)") {
        g.customOp(name: "fragile", inputs: [x], outputs: [(.float32, [2])]) { inputs in
            if try inputs[0].scalars(as: Float.self)[0] < 0 {
                Thread.sleep(forTimeInterval: 0.2)        // mid-step: rank 0 is waiting for this op's output
                kill(getpid(), SIGKILL)
            }
            return inputs
        }[0]
    }
    let relayed = dying > 1 ? g.withDevice("/job:worker/task:1") { g.identity(fragile, name: "relay") } : fragile
    let z = g.add(relayed, g.constant([1, 1] as [Float]), name: "z")
    let alone = g.mul(x, g.constant(Float(3)), name: "alone")
    guard cluster.rank == 0 else {
        try cluster.serve(g)
        print("killtest: rank \(cluster.rank) served")
        return
    }
    let session = Session(graph: g, options: SessionOptions(cluster: cluster))
    defer { session.close() }
    try expectEqual(try session.run(z, feeds: [x: NDArray([1, 2] as [Float])]), NDArray([2, 3] as [Float]), "z before")

    func expectDeath(_ what: String, within limit: TimeInterval) throws -> TimeInterval {
        let start = Date()
        do {
            _ = try session.run(z, feeds: [x: NDArray([-1, 0] as [Float])])
            throw CheckFailure(description: "\(what): the step succeeded")
        } catch let error as SessionError {
            let elapsed = Date().timeIntervalSince(start)
            guard case .opFailed("fragile", let underlying) = error, let remote = underlying as? RemoteTaskError,
                remote.task == dying
            else { throw CheckFailure(description: "\(what): unexpected error \(error)") }
            guard elapsed < limit else { throw CheckFailure(description: "\(what): took \(elapsed) s, limit \(limit) s") }
            return elapsed
        }
    }
    let died = try expectDeath("the step whose task dies", within: 20)
    let again = try expectDeath("a later step on the dead task", within: 1)
    try expectEqual(try session.run(alone, feeds: [x: NDArray([1, 2] as [Float])]), NDArray([3, 6] as [Float]), "alone")
    print("killtest ok: the step failed after \(String(format: "%.2f", died)) s, a later one after "
        + "\(String(format: "%.3f", again)) s; rank 0 alone still runs")
}
