import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Element-wise unary ops and softmax")
struct UnaryTests {
    let runner = MiniRunner()

    private func floats(_ t: Tensor) throws -> [Float] { try runner.run(t).scalars(as: Float.self) }

    @Test func arithmeticUnaries() throws {
        let g = Graph()
        let x = g.constant([-2, 0, 3] as [Float])
        #expect(try floats(g.neg(x)) == [2, -0, -3])
        #expect(try floats(g.abs(x)) == [2, 0, 3])
        #expect(try floats(g.square(x)) == [4, 0, 9])
        #expect(try floats(g.relu(x)) == [0, 0, 3])
        let i = g.constant([-2, 5, Int32.min] as [Int32])
        #expect(try runner.run(g.abs(i)) == NDArray([2, 5, Int32.min] as [Int32]))
        #expect(try runner.run(g.neg(i)) == NDArray([2, -5, Int32.min] as [Int32]))
        #expect(try runner.run(g.relu(i)) == NDArray([0, 5, 0] as [Int32]))
    }

    @Test func floatingUnaries() throws {
        let g = Graph()
        let x = g.constant([0, 1, 4] as [Double])
        #expect(try runner.run(g.sqrt(x)) == NDArray([0, 1, 2] as [Double]))
        #expect(try runner.run(g.exp(x)).scalars(as: Double.self)[1] == 2.718281828459045)
        #expect(try runner.run(g.log(g.constant([1, 1] as [Double]))) == NDArray([0, 0] as [Double]))
        #expect(try runner.run(g.tanh(g.constant([0] as [Float]))) == NDArray([0] as [Float]))
        let s = try floats(g.sigmoid(g.constant([0, 100, -100, -1000] as [Float])))
        #expect(s[0] == 0.5 && s[1] == 1 && s[2] > 0 && s[2] < 1e-30 && s[3] == 0)
        #expect(try floats(g.log(g.constant([0] as [Float]))) == [-.infinity])
    }

    @Test func opTypesAndNames() {
        let g = Graph()
        let x = g.constant([1] as [Float])
        let ops = [g.neg(x), g.abs(x), g.square(x), g.sqrt(x), g.exp(x), g.log(x), g.relu(x), g.sigmoid(x), g.tanh(x)]
        #expect(ops.map(\.op.type) == ["Neg", "Abs", "Square", "Sqrt", "Exp", "Log", "Relu", "Sigmoid", "Tanh"])
        #expect(ops.map(\.op.name) == ops.map(\.op.type))
        #expect(g.relu(x, name: "act").op.name == "act")
    }

    @Test func floatOnlyOpsRejectIntegersAtBuildTime() {
        let g = Graph()
        let i = g.constant([4] as [Int32])
        #expect(buildError(g.sqrt(i)) == "Sqrt: dtype int32 is not supported (expected float or double)")
        #expect(buildError(g.softmax(i))?.hasPrefix("Softmax: dtype int32") == true)
        #expect(buildError(g.neg(g.constant(["a"]))) != nil)
        #expect(g.square(i).op.buildError == nil)
    }

    @Test func softmaxRowsSumToOneAndSurviveLargeLogits() throws {
        let g = Graph()
        let p = g.softmax(g.constant([[1, 2, 3], [1000, 1000, 1000], [-5, 0, 5]] as [[Float]]))
        #expect(p.shape == [3, 3])
        let v = try floats(p)
        for row in 0..<3 {
            let sum = v[(row * 3)..<(row * 3 + 3)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-6)
        }
        #expect(abs(v[0] - 0.09003057) < 1e-6 && abs(v[2] - 0.66524094) < 1e-6)
        #expect(v[3] == v[4] && abs(v[3] - 1.0 / 3) < 1e-6)
    }

    @Test func softmaxOfAScalarIsRejected() {
        let g = Graph()
        #expect(
            buildError(g.softmax(g.constant(Float(1))))?.hasPrefix("Softmax: logits must have >= 1 dimension") == true)
        let u = g.placeholder(.float32)
        let p = g.softmax(u)
        #expect(
            kernelMessage { _ = try runner.run(p, feeds: [u: NDArray(Float(1))]) }
                == "logits must have >= 1 dimension, got []")
    }
}
