import ActorFlowCore
import Testing

@Suite("Graph control dependencies")
struct GraphControlDependencyTests {
    let g = Graph()

    @Test func scopeAddsControlInputs() {
        let c1 = g.op(name: "c1")
        let inside = g.withControlDependencies([c1]) { g.op() }
        #expect(inside.controlInputs == [c1])
        #expect(g.op().controlInputs.isEmpty)
    }

    @Test func nestedScopesAccumulateInOrder() {
        let c1 = g.op(name: "c1")
        let c2 = g.op(name: "c2")
        let (inner, outer) = g.withControlDependencies([c1]) {
            (g.withControlDependencies([c2]) { g.op() }, g.op())
        }
        #expect(inner.controlInputs == [c1, c2])
        #expect(outer.controlInputs == [c1])
    }

    @Test func controlInputsAreDeduplicated() {
        let c1 = g.op(name: "c1")
        let c2 = g.op(name: "c2")
        let op = g.withControlDependencies([c1, c1]) {
            g.withControlDependencies([c1, c2]) { g.op(controlInputs: [c2, c1, c2]) }
        }
        #expect(op.controlInputs == [c1, c2])
        #expect(g.op(controlInputs: [c2, c2, c1]).controlInputs == [c2, c1])
    }

    @Test func explicitControlInputsFollowTheScopes() {
        let c1 = g.op(name: "c1")
        let c2 = g.op(name: "c2")
        #expect(g.withControlDependencies([c1]) { g.op(controlInputs: [c2]) }.controlInputs == [c1, c2])
    }

    /// TensorFlow does not add a control edge from an op the new op already consumes.
    @Test func consumedOpsAreNotControlInputs() {
        let producer = g.op(name: "p", outputs: 2)
        let other = g.op(name: "o")
        let consumer = g.withControlDependencies([producer, other]) { g.op(inputs: [producer.output(1)]) }
        #expect(consumer.controlInputs == [other])
        let explicit = g.op(inputs: [producer.output(0)], controlInputs: [producer, other])
        #expect(explicit.controlInputs == [other])
    }

    @Test func scopesBelongToOneGraph() {
        let h = Graph()
        let c1 = g.op(name: "c1")
        #expect(g.withControlDependencies([c1]) { h.op() }.controlInputs.isEmpty)
    }

    @Test func withControlDependenciesReturnsAndRethrows() {
        struct Failure: Error {}
        let c1 = g.op(name: "c1")
        #expect(g.withControlDependencies([c1]) { "x" } == "x")
        #expect(throws: Failure.self) { try g.withControlDependencies([c1]) { throw Failure() } }
        #expect(g.op().controlInputs.isEmpty)
    }

    @Test func nameScopeAndControlScopeCombine() {
        let c1 = g.op(name: "c1")
        let op = g.withControlDependencies([c1]) { g.withNameScope("s") { g.op() } }
        #expect(op.name == "s/Op" && op.controlInputs == [c1])
    }
}
