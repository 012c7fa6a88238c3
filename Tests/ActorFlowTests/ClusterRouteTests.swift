@_spi(ActorFlowInternal) import ActorFlowCore
@testable import ActorFlow
import Testing

/// How a cluster step is split into per-task routes, and routes as messages (the MPI tests run them for real).
@Suite("Cluster routes")
struct ClusterRouteTests {
    @Test("each crossing tensor, control edge and remote feed is one numbered edge with both ends recorded")
    func split() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let y = g.withDevice("/job:worker/task:1") { g.mul(x, x, name: "y") }
        let z = g.withControlDependencies([y.op]) { g.add(y, g.constant(Float(1), name: "one"), name: "z") }
        let plan = try ExecutionPlan(fed: [x], fetches: [z], targets: [])
        let routes = try ClusterRoute.split(plan, step: 7, clusterSize: 2)
        let client = try #require(routes[0]), worker = try #require(routes[1])
        #expect(Set(client.targets) == ["one", "z"])
        #expect(worker.targets == ["y"])
        #expect(client.feedSends.map(\.name) == ["x:0"] && worker.feeds.map(\.name) == ["x:0"])
        // y's value and y's control token go to the client: two edges, received there.
        #expect(Set(worker.sends.map(\.output)) == [0, -1])
        #expect(Set(client.receives.map(\.index)) == Set(worker.sends.map(\.index)))
        #expect(client.tag(3) != ClusterRoute(step: 8).tag(3))
        var bounded = worker
        bounded.timeoutInMs = 250
        #expect(try ClusterRoute(message: bounded.message) == bounded)
    }

    @Test("ops on a task the cluster lacks or on another job are invalid, naming the op")
    func placementErrors() throws {
        let g = Graph()
        let far = g.withDevice("/task:5") { g.constant(Float(1), name: "far") }
        let other = g.withDevice("/job:ps/task:0") { g.constant(Float(1), name: "other") }
        for (t, reason) in [(far, "placed on task 5, but the cluster has 2 tasks"), (other, "placed on job 'ps'")] {
            let plan = try ExecutionPlan(fed: [], fetches: [t], targets: [])
            #expect {
                _ = try ClusterRoute.split(plan, step: 1, clusterSize: 2)
            } throws: { error in
                guard case SessionError.invalidGraph(let op, let text) = error else { return false }
                return op == t.op.name && text.contains(reason)
            }
        }
        #expect(throws: SessionError.self) { try ClusterRoute(message: NDArray(["nonsense"])) }
    }
}
