import ActorFlowCore
import ActorFlowTestSupport
import Testing

@Suite("Graph concurrency")
struct GraphConcurrencyTests {
    @Test func concurrentOpCreationYieldsUniqueNamesAndConsistentIDs() async throws {
        let g = Graph()
        let threads = 8
        let perThread = 500
        let created = await blockingTogether(threads) { _ in
            (0..<perThread).map { _ in g.op("Op") }
        }
        let all = created.flatMap { $0 }
        #expect(g.version == threads * perThread)
        #expect(Set(all.map(\.name)) == Set(["Op"] + (1..<(threads * perThread)).map { "Op_\($0)" }))
        #expect(Set(all.map(\.id)) == Set(0..<(threads * perThread)))
        // Creation order, ids and lookups agree.
        let ops = g.operations
        #expect(ops.indices.allSatisfy { ops[$0].id == $0 })
        for op in all {
            #expect(try g.operation(named: op.name) === op)
        }
        // Each thread saw its own ops in increasing id order.
        for mine in created {
            #expect(zip(mine, mine.dropFirst()).allSatisfy { $0.id < $1.id })
        }
    }

    @Test func concurrentScopesAreMadeUniqueToo() async {
        let g = Graph()
        let names = await blockingTogether(8) { _ in
            (0..<50).map { _ in g.withNameScope("layer") { g.op().name } }
        }
        let all = names.flatMap { $0 }
        #expect(Set(all) == Set(["layer/Op"] + (1..<400).map { "layer_\($0)/Op" }))
    }

    /// Name and control scopes are task-local: a thread inside a scope does not affect another thread.
    @Test func scopesDoNotLeakBetweenThreads() async {
        let g = Graph()
        let control = g.op(name: "control")
        let entered = Signal()
        let otherDone = Signal()
        let results = await blockingTogether(2) { i -> (String, [Operation]) in
            if i == 0 {
                return g.withNameScope("scoped") {
                    g.withControlDependencies([control]) {
                        entered.raise()
                        otherDone.wait()
                        let op = g.op()
                        return (op.name, op.controlInputs)
                    }
                }
            } else {
                entered.wait()
                let op = g.op()
                otherDone.raise()
                return (op.name, op.controlInputs)
            }
        }
        #expect(results[0].0 == "scoped/Op" && results[0].1 == [control])
        #expect(results[1].0 == "Op" && results[1].1.isEmpty)
        #expect(g.currentNameScope == "")
    }
}
