import ActorFlowCore
import ActorFlowTestSupport
import Testing

@Suite("Operation")
struct OperationTests {
    let g = Graph()

    @Test func outputs() {
        let x = g.addOperation(
            type: "Split", name: "x", outputs: [(.float32, [2]), (.int64, [nil]), (.string, .unknown)],
            kernel: passThrough)
        #expect(x.outputCount == 3)
        #expect(x.outputs.map(\.name) == ["x:0", "x:1", "x:2"])
        #expect(x.outputs == [x.output(0), x.output(1), x.output(2)])
        #expect(x.output(1) == Tensor(op: x, index: 1))
        #expect(x.output(1).dtype == .int64 && x.output(1).shape == [nil])
        #expect(x.outputDTypes == [.float32, .int64, .string])
        #expect(x.outputShapes == [[2], [nil], .unknown])
        #expect(x.output(0).description == "Tensor(\"x:0\", shape=(2,), dtype=float)")
        #expect(x.output(1).description == "Tensor(\"x:1\", shape=(?,), dtype=int64)")
        #expect(x.output(2).description == "Tensor(\"x:2\", shape=<unknown>, dtype=string)")
        #expect(g.op(outputs: 0).outputs.isEmpty)
    }

    @Test func storedProperties() {
        let p = g.op(name: "p")
        let v = g.addOperation(
            type: "VariableV2", name: "v", inputs: [p.output(0)], attributes: ["dtype": .dtype(.float32)],
            outputs: [(.float32, .scalar)], isStateful: true, kernel: passThrough)
        #expect(v.type == "VariableV2" && v.isStateful && !p.isStateful)
        #expect(v.attributes == ["dtype": .dtype(.float32)])
        #expect(v.inputs == [p.output(0)])
        #expect(v.kernel.isExpensive == false)
        #expect(Kernel { _ in [] }.isExpensive)
        #expect(v.description == "Operation(\"v\", type: VariableV2)")
    }

    @Test func attributeDescriptions() throws {
        #expect(AttributeValue.int(3).description == "3")
        #expect(AttributeValue.ints([1, 2]).description == "[1, 2]")
        #expect(AttributeValue.float(0.5).description == "0.5")
        #expect(AttributeValue.bool(true).description == "true")
        #expect(AttributeValue.string("SAME").description == "\"SAME\"")
        #expect(AttributeValue.dtype(.int32).description == "int32")
        #expect(AttributeValue.shape([nil, 3]).description == "(?, 3)")
        #expect(AttributeValue.tensor(NDArray([1, 2] as [Int32])).description == "NDArray(int32, shape (2,)) [1, 2]")
    }

    @Test func timelineLabel() {
        let a = g.op(name: "a", outputs: 2)
        let ctl = g.op("NoOp", name: "ctl")
        let y = g.op("Add", name: "y", inputs: [a.output(0), a.output(1)], controlInputs: [ctl])
        #expect(y.timelineLabel == "y = Add(a, a:1, ^ctl)")
        #expect(a.timelineLabel == "a = Op()")
        let z = g.withNameScope("s") { g.op("Mul", inputs: [y.output(0), y.output(0)]) }
        #expect(z.timelineLabel == "s/Mul = Mul(y, y)")
    }

    @Test func equalityAndHashingAreByIdentity() {
        let h = Graph()
        let a = g.op(name: "same")
        let b = h.op(name: "same")
        #expect(a == a && a != b)
        #expect(a.hashValue == a.hashValue)
        #expect(Set([a, b, a]).count == 2)
        #expect(Tensor(op: a, index: 0) != Tensor(op: b, index: 0))
        #expect(Tensor(op: a, index: 0) != Tensor(op: a, index: 1))
        #expect(Set([a.output(0), Tensor(op: a, index: 0)]).count == 1)
    }

    @Test func sparseTensorGroupsThreeTensors() {
        let i = g.addOperation(type: "I", outputs: [(.int64, [nil, 2])], kernel: passThrough)
        let v = g.addOperation(type: "V", outputs: [(.string, [nil])], kernel: passThrough)
        let s = g.addOperation(type: "S", outputs: [(.int64, [2])], kernel: passThrough)
        let sp = SparseTensor(indices: i.output(0), values: v.output(0), denseShape: s.output(0))
        #expect(sp.dtype == .string)
        #expect(sp.description == "SparseTensor(indices=I:0, values=V:0, dense_shape=S:0)")
        #expect(sp == SparseTensor(indices: i.output(0), values: v.output(0), denseShape: s.output(0)))
    }

    /// Dropping the end of a long chain must not recurse once per op: on a 512 KiB stack a recursive
    /// release of a million ops overflows.
    @Test func releasingAMillionOpChainDoesNotOverflowTheStack() async {
        let count = 1_000_000
        let (lastName, firstFreed) = await blocking(stackSize: 512 << 10) { () -> (String, Bool) in
            weak var first: Operation?
            var lastName = ""
            do {
                let g = Graph()
                var previous = g.op("Start")
                first = previous
                for _ in 1..<count {
                    previous = g.op("Step", inputs: [previous.output(0)])
                }
                lastName = previous.name
            }
            return (lastName, first == nil)
        }
        #expect(lastName == "Step_\(count - 2)")
        #expect(firstFreed)
    }
}
