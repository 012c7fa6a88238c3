import ActorFlowCore
import Testing

@Suite("Graph lookup and bookkeeping")
struct GraphLookupTests {
    let g = Graph()

    /// TensorFlow's wording, typo included.
    static let malformedReason =
        "looks a like a Tensor name, but is not a valid one. "
        + "Tensor names must be of the form \"<op_name>:<output_index>\"."

    @Test func tensorNamed() throws {
        let x = g.op(name: "x", outputs: 2)
        let scoped = g.withNameScope("layer") { g.op("MatMul") }
        #expect(try g.tensor(named: "x:0") == x.output(0))
        #expect(try g.tensor(named: "x:1") == x.output(1))
        #expect(try g.tensor(named: "layer/MatMul:0") == scoped.output(0))
        #expect(try g.operation(named: "x") === x)
        #expect(try g.operation(named: "layer/MatMul") === scoped)
    }

    @Test(arguments: ["a:b:c", "x", ":0", "x:", "x:-1", "x:one", "x:0:0", ""])
    func malformedTensorNames(_ name: String) {
        g.op(name: "x")
        let error = unknownTensor { try g.tensor(named: name) }
        #expect(error?.name == name)
        #expect(error?.reason == "The name '\(name)' \(Self.malformedReason)")
    }

    @Test func missingOperation() {
        g.op(name: "x")
        let error = unknownTensor { try g.tensor(named: "nope:0") }
        #expect(error?.name == "nope:0")
        #expect(error?.reason == "The operation, 'nope', does not exist in the graph.")
        #expect(
            "\(SessionError.unknownTensor(name: error?.name ?? "", reason: error?.reason ?? ""))"
                == "The name 'nope:0' refers to a Tensor which does not exist. "
                + "The operation, 'nope', does not exist in the graph."
        )
    }

    @Test func outputIndexOutOfRange() {
        g.op(name: "x", outputs: 2)
        g.op(name: "none", outputs: 0)
        let error = unknownTensor { try g.tensor(named: "x:2") }
        #expect(error?.name == "x:2")
        #expect(error?.reason == "The operation, 'x', exists but only has 2 outputs.")
        #expect(
            unknownTensor { try g.tensor(named: "none:0") }?.reason
                == "The operation, 'none', exists but only has 0 outputs."
        )
    }

    @Test func operationNamed() {
        g.op(name: "x")
        do {
            _ = try g.operation(named: "y")
            Issue.record("no op is named y")
        } catch {
            guard case .unknownOperation(let name) = error else {
                Issue.record("expected unknownOperation, got \(error)")
                return
            }
            #expect(name == "y")
            #expect(error.description == "The name 'y' refers to an Operation not in the graph.")
        }
        // A tensor name is not an op name.
        #expect(throws: SessionError.self) { try g.operation(named: "x:0") }
    }

    @Test func feedingAndFetchingRestrictions() {
        let x = g.op(name: "x", outputs: 2)
        let y = g.op(name: "y")
        #expect(g.isFeedable(x.output(0)) && g.isFeedable(x.output(1)) && g.isFetchable(x))
        g.preventFeeding(x.output(1))
        g.preventFetching(y)
        g.preventFetching(y)
        #expect(g.isFeedable(x.output(0)))
        #expect(!g.isFeedable(x.output(1)))
        #expect(g.isFetchable(x))
        #expect(!g.isFetchable(y))
        #expect(g.isFeedable(y.output(0)))
    }

    @Test func collections() {
        let a = g.op(name: "a")
        let b = g.op(name: "b")
        g.addToCollection("train_op", b)
        g.addToCollection("train_op", a)
        g.addToCollection("summaries", a)
        #expect(g.collection("train_op") == [b, a])
        #expect(g.collection("summaries") == [a])
        #expect(g.collection("missing").isEmpty)
    }

    @Test func versionAndEmptiness() {
        #expect(g.isEmpty && g.version == 0 && g.operations.isEmpty)
        let a = g.op()
        let b = g.op()
        #expect(!g.isEmpty && g.version == 2)
        #expect(g.operations == [a, b])
        #expect(a.id == 0 && b.id == 1)
        #expect(a.graphID == g.id && g.contains(a))
        #expect(g.description == "Graph(id: \(g.id), operations: 2)")
    }

    @Test func graphsHaveDistinctIDs() {
        let h = Graph()
        #expect(g.id != h.id)
        #expect(!h.contains(g.op()))
    }

    @Test func inputsFromAnotherGraphMakeTheOpInvalid() {
        let h = Graph()
        let foreign = h.op(name: "far", outputs: 2)
        let local = g.op(name: "near")
        #expect(local.buildError == nil)
        #expect(g.op(inputs: [local.output(0), foreign.output(1)]).buildError == "input far:1 is from another graph")
        #expect(g.op(controlInputs: [foreign]).buildError == "control input far is from another graph")
        // A control scope of this graph naming a foreign op does the same.
        let scoped = g.withControlDependencies([foreign]) { g.op() }
        #expect(scoped.buildError == "control input far is from another graph")
        // An explicit build error wins.
        let explicit = g.addOperation(
            type: "Bad", inputs: [foreign.output(0)], outputs: [], buildError: "shapes must agree", kernel: passThrough)
        #expect(explicit.buildError == "shapes must agree")
        // The op is still added, under a unique name.
        #expect(g.version == 5 && explicit.name == "Bad")
    }
}
