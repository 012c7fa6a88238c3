import ActorFlowCore
import Testing

/// Unique op names and name scopes, TensorFlow's `Graph.unique_name` and `name_scope`.
@Suite("Graph naming")
struct GraphNamingTests {
    @Test func repeatedTypesGetSuffixes() {
        let g = Graph()
        #expect(g.op("Const").name == "Const")
        #expect(g.op("Const").name == "Const_1")
        #expect(g.op("Const").name == "Const_2")
        #expect(g.op("MatMul", name: "y").name == "y")
        #expect(g.op("MatMul", name: "y").name == "y_1")
        #expect(g.op("MatMul").name == "MatMul")
    }

    @Test func namesClashCaseInsensitivelyAndKeepTheirSpelling() {
        let g = Graph()
        #expect(g.op(name: "add").name == "add")
        #expect(g.op("Add").name == "Add_1")
        #expect(g.op(name: "ADD").name == "ADD_2")
        #expect(g.op(name: "Foo").name == "Foo")
        #expect(g.op(name: "foo").name == "foo_1")
        // Lookup is exact.
        #expect(throws: SessionError.self) { try g.operation(named: "Add") }
        #expect(throws: Never.self) { try g.operation(named: "Add_1") }
    }

    /// TensorFlow marks a generated `name_k` as used, and skips suffixes an explicit name already took.
    @Test func generatedSuffixesSkipNamesInUse() {
        let g = Graph()
        #expect(g.op(name: "a_1").name == "a_1")
        #expect(g.op(name: "a").name == "a")
        #expect(g.op(name: "a").name == "a_2")  // a_1 is taken
        #expect(g.op(name: "a").name == "a_3")
        #expect(g.op(name: "a_1").name == "a_1_1")
        // And the other way round: an explicit name equal to a generated one gets its own suffix.
        #expect(g.op(name: "b").name == "b")
        #expect(g.op(name: "b").name == "b_1")
        #expect(g.op(name: "b_1").name == "b_1_1")
        #expect(g.op(name: "b").name == "b_2")
        #expect(Set(g.operations.map(\.name)).count == g.version)
    }

    @Test func nameScopesPrefixAndAreMadeUnique() {
        let g = Graph()
        #expect(g.currentNameScope == "")
        let first = g.withNameScope("layer") {
            #expect(g.currentNameScope == "layer")
            return [g.op("MatMul"), g.op("MatMul"), g.op("Add", name: "out")]
        }
        #expect(first.map(\.name) == ["layer/MatMul", "layer/MatMul_1", "layer/out"])
        let second = g.withNameScope("layer") { g.op("MatMul") }
        #expect(second.name == "layer_1/MatMul")
        #expect(g.currentNameScope == "")
        #expect(g.op("MatMul").name == "MatMul")
        // Scopes create no ops.
        #expect(g.version == 5)
    }

    @Test func nestedScopes() {
        let g = Graph()
        let names = g.withNameScope("outer") {
            g.withNameScope("inner") {
                #expect(g.currentNameScope == "outer/inner")
                return g.op().name
            } + " " + g.withNameScope("inner") { g.op().name } + " " + g.op().name
        }
        #expect(names == "outer/inner/Op outer/inner_1/Op outer/Op")
        #expect(g.withNameScope("a") { g.withNameScope("a") { g.op().name } } == "a/a/Op")
    }

    @Test func scopesAndOpNamesShareOneNamespace() {
        let g = Graph()
        g.op(name: "layer")
        #expect(g.withNameScope("layer") { g.op().name } == "layer_1/Op")
        // A scope's name is taken even if no op was created in it.
        g.withNameScope("empty") {}
        #expect(g.op(name: "empty").name == "empty_1")
        // Case-insensitively, too.
        #expect(g.withNameScope("Layer") { g.currentNameScope } == "Layer_2")
    }

    @Test func withNameScopeReturnsAndRethrows() {
        struct Failure: Error {}
        let g = Graph()
        #expect(g.withNameScope("s") { 42 } == 42)
        #expect(throws: Failure.self) { try g.withNameScope("t") { throw Failure() } }
        #expect(g.currentNameScope == "")
        #expect(g.op().name == "Op")
    }

    @Test func scopesBelongToOneGraph() {
        let g = Graph()
        let h = Graph()
        let (inG, inH) = g.withNameScope("s") { (g.op().name, h.op().name) }
        #expect(inG == "s/Op" && inH == "Op")
        #expect(h.currentNameScope == "")
    }
}
