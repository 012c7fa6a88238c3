import ActorFlowTracing
import Testing

/// The door in this very process, which no session records: the provider is registered with lttng-ust, every
/// event is disabled, and firing each one is a harmless no-op.
@Suite("Tracepoints with no recording session")
struct TracepointsWithoutSessionTests {
    @Test("the provider registers with lttng-ust at process start")
    func providerRegistered() {
        #expect(Tracepoints.isProviderRegistered)
    }

    @Test("no event is enabled and every call returns without effect")
    func everyCallIsANoOp() {
        // A machine-wide root session recording actorflow:* would enable them here too; the test machines run none.
        #expect(Tracepoints.Event.allCases.filter { Tracepoints.isEnabled($0) } == [])
        #expect(!Tracepoints.anyEnabled)

        let name = InternedCString("layer/op")
        let type = InternedCString("MatMul")
        Tracepoints.stepBegin(stepID: 1, nodeCount: 2)
        Tracepoints.opScheduled(stepID: 1, opID: 0)
        Tracepoints.opStart(stepID: 1, opID: 0, name: name, type: type, worker: -1, numaNode: -1)
        Tracepoints.alloc(stepID: 1, opID: 0, bytes: 16, allocationID: 9, numaNode: -1)
        Tracepoints.opSuspend(stepID: 1, opID: 0, name: name, worker: -1, numaNode: -1)
        Tracepoints.opResume(stepID: 1, opID: 0, name: name, worker: 1, numaNode: -1)
        Tracepoints.opEnd(stepID: 1, opID: 0, name: name, worker: -1, numaNode: -1, outputBytes: 16)
        Tracepoints.steal(thief: 1, victim: 0, sameNode: false)
        Tracepoints.workerPark(worker: 1)
        Tracepoints.workerWake(worker: 1)
        Tracepoints.free(allocationID: 9, bytes: 16)
        // Out-of-range values are accepted (they would wrap to the field width if recorded).
        Tracepoints.stepEnd(stepID: -1, status: .deadlineExceeded)
        Tracepoints.opScheduled(stepID: .max, opID: .min)

        #expect(!Tracepoints.anyEnabled)
        #expect(name.string == "layer/op")
    }

    @Test("event names are the provider's", arguments: Tracepoints.Event.allCases)
    func lttngNames(event: Tracepoints.Event) {
        #expect(event.lttngName == "actorflow:\(event.rawValue)")
        #expect(event.rawValue == event.rawValue.lowercased())
    }

    @Test("a missing lttng tool fails with the command that installs it")
    func missingToolsAreNamed() throws {
        let error = try #require(throws: MissingToolError.self) {
            try TracingTools.locate(searchPath: ["/nonexistent-actorflow-bin"])
        }
        #expect(error.tool == "lttng")
        #expect(error.description.contains("make test"))
        #expect(error.description.contains("scripts/setup.sh"))
        #expect(error.description.contains("lttng-tools"))
    }
}
