import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Variables")
struct VariableTests {
    let runner = MiniRunner()

    @Test func namesAndCollections() {
        let g = Graph()
        let cnt = g.variable(initialValue: NDArray(Float(0)), name: "cnt")
        #expect(cnt.name == "cnt" && cnt.op.type == "VariableV2" && cnt.op.isStateful)
        #expect(cnt.dtype == .float32 && cnt.shape == .scalar && cnt.value == cnt.op.output(0))
        #expect(cnt.initialValue.op.name == "cnt/initial_value")
        #expect(cnt.initializer.name == "cnt/Assign" && cnt.initializer.type == "Assign")
        let scoped = g.withNameScope("layer") { g.variable(initialValue: [[1, 2]] as [[Float]], name: "w") }
        #expect(scoped.name == "layer/w" && scoped.initializer.name == "layer/w/Assign" && scoped.shape == [1, 2])
        let anonymous = g.variable(initialValue: g.zeros(shape: [3]))
        #expect(anonymous.name == "Variable" && anonymous.initializer.name == "Variable/Assign")
        #expect(g.variable(initialValue: Int32(1)).name == "Variable_1")
        #expect(g.globalVariables().map(\.name) == ["cnt", "layer/w", "Variable", "Variable_1"])
        #expect(g.globalVariables()[1] == scoped)
        let initAll = g.globalVariablesInitializer()
        #expect(initAll.name == "init" && initAll.controlInputs.count == 4)
        #expect(cnt.description == "<Variable 'cnt:0' shape=() dtype=float>")
    }

    @Test func uninitializedReadFailsWithTensorFlowWording() {
        let g = Graph()
        let cnt = g.variable(initialValue: NDArray(Float(0)), name: "cnt")
        #expect(kernelMessage { _ = try runner.run(cnt.value) } == "Attempting to use uninitialized value cnt")
        let inc = g.assignAdd(cnt, g.constant(Float(1)))
        #expect(kernelMessage { _ = try runner.run(inc) } == "Attempting to use uninitialized value cnt")
    }

    @Test func initializeAssignAndAccumulate() throws {
        let g = Graph()
        let cnt = g.variable(initialValue: NDArray(Float(0)), name: "cnt")
        let inc = g.assignAdd(cnt, g.constant(Float(1)))
        let dec = g.assignSub(cnt, g.constant(Float(0.5)))
        #expect(inc.op.type == "AssignAdd" && inc.op.isStateful && inc.shape == .scalar)
        try runner.run(g.globalVariablesInitializer())
        #expect(try runner.run(cnt.value) == NDArray(Float(0)))
        #expect(try runner.run(inc) == NDArray(Float(1)))
        #expect(try runner.run(inc) == NDArray(Float(2)))
        #expect(try runner.run(dec) == NDArray(Float(1.5)))
        #expect(try runner.run(g.assign(cnt, g.constant(Float(10)))) == NDArray(Float(10)))
        #expect(try runner.run(cnt.value) == NDArray(Float(10)))
        // A second state (another session) has its own values.
        #expect(kernelMessage { _ = try MiniRunner().run(cnt.value) } == "Attempting to use uninitialized value cnt")
    }

    @Test func tensorInitialValueIsComputedWhenTheInitializerRuns() throws {
        let g = Graph()
        let x = g.placeholder(.int64, shape: [2], name: "x")
        let v = g.variable(initialValue: g.mul(x, x), name: "sq")
        #expect(v.shape == [2] && v.dtype == .int64)
        try runner.run(v.initializer, feeds: [x: NDArray([3, 4] as [Int64])])
        #expect(try runner.run(v.value) == NDArray([9, 16] as [Int64]))
    }

    @Test func shapeAndDTypeChecks() {
        let g = Graph()
        let v = g.variable(initialValue: [1, 2] as [Float], name: "v")
        #expect(
            buildError(g.assign(v, g.constant([1, 2, 3] as [Float])))?.hasPrefix("Assign: shapes must be equal") == true
        )
        #expect(
            buildError(g.assignAdd(v, g.constant([1, 2] as [Int32])))?.contains("does not match type float") == true)
        #expect(
            buildError(g.assignAdd(g.variable(initialValue: ["s"]), g.constant(["t"])))?.contains("not supported")
                == true)
        let p = g.placeholder(.float32)
        let assign = g.assign(v, p)
        let add = g.assignAdd(v, p)
        #expect(
            kernelMessage { _ = try runner.run(assign, feeds: [p: NDArray([1, 2, 3] as [Float])]) }
                == "Assign requires shapes of both tensors to match. lhs shape= [2] rhs shape= [3]")
        #expect(throws: Never.self) { try runner.run(v.initializer) }
        #expect(
            kernelMessage { _ = try runner.run(add, feeds: [p: NDArray(Float(1))]) }
                == "Cannot update variable with shape [2] using a Tensor with shape [], shapes must be equal.")
    }

    @Test func concurrentAssignAddsAreAtomic() async throws {
        let g = Graph()
        let cnt = g.variable(initialValue: NDArray(Int64(0)), name: "cnt")
        let inc = g.assignAdd(cnt, g.constant(Int64(1)))
        let state = SessionState()
        let one = NDArray(Int64(1))
        func runInc() throws {
            _ = try inc.op.kernel.compute(
                KernelContext(op: inc.op, inputs: [one], state: state, stepID: 0, cancellation: StepCancellation()))
        }
        _ = try cnt.initializer.kernel.compute(
            KernelContext(
                op: cnt.initializer, inputs: [NDArray(Int64(0))], state: state, stepID: 0,
                cancellation: StepCancellation()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<250 { try runInc() } } }
            try await group.waitForAll()
        }
        #expect(state.variableValue(cnt.op.id) == NDArray(Int64(2000)))
    }
}
