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

    @Test("a task's stats move onto the client's clock by its offset: absolute times shift, relative ones stay")
    func clockMapping() throws {
        var node = NodeExecStats()
        node.nodeName = "remote"
        node.allStartMicros = 5_000_123
        node.allStartNanos = 5_000_123_456
        node.scheduledMicros = 5_000_100
        node.scheduledNanos = 5_000_100_000
        node.opStartRelMicros = 7
        node.opEndRelNanos = 9_000
        var memory = AllocatorMemoryUsed()
        var record = AllocationRecord()
        record.allocMicros = 5_000_200
        memory.allocationRecords = [record]
        node.memory = [memory]
        var remote = StepStats()
        var device = DeviceStepStats()
        device.device = "/job:localhost/replica:0/task:0/device:CPU:0"
        device.nodeStats = [node]
        remote.devStats = [device]
        let clock = ClusterClockOffset(task: 1, offsetNanos: 2_000_000, uncertaintyNanos: 15_000)
        let merged = ClusterStats.merged(
            local: StepStats(), remote: [(1, .ok(stats: try remote.serializedBytes()))], clocks: [clock])
        #expect(merged.devStats.map(\.device) == ["/job:worker/replica:0/task:1/device:CPU:0"])
        let mapped = try #require(merged.devStats.first?.nodeStats.first)
        #expect(mapped.allStartMicros == 4_998_123 && mapped.allStartNanos == 4_998_123_456)
        #expect(mapped.scheduledMicros == 4_998_100 && mapped.scheduledNanos == 4_998_100_000)
        #expect(mapped.opStartRelMicros == 7 && mapped.opEndRelNanos == 9_000)
        #expect(mapped.memory[0].allocationRecords[0].allocMicros == 4_998_200)
        // A task without an estimate keeps its own times.
        let unmapped = ClusterStats.merged(
            local: StepStats(), remote: [(2, .ok(stats: try remote.serializedBytes()))], clocks: [clock])
        #expect(unmapped.devStats.first?.nodeStats.first?.allStartNanos == 5_000_123_456)
    }

    @Test("a clock request is told apart from routes and close, and names its rounds")
    func clockRequest() {
        #expect(ClusterClock.requestedRounds(ClusterClock.request) == ClusterClock.rounds)
        #expect(ClusterClock.requestedRounds(NDArray([ClusterMessages.closeMarker])) == nil)
        #expect(ClusterClock.requestedRounds(NDArray(["step", "8"])) == nil)
    }
}
