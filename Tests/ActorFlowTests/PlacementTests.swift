import ActorFlow
import ActorFlowProto
import Foundation
import Testing

/// Placement (`withDevice`, `Operation.device`, `DeviceSpec`) and the partition graphs a placed step reports: one
/// per task, joined by TensorFlow's `_Send`/`_Recv` pairs.
@Suite("Placement and partition graphs")
struct PlacementTests {
    static let client = "/job:localhost/replica:0/task:0/device:CPU:0"
    static let worker1 = "/job:worker/replica:0/task:1/device:CPU:0"

    /// A string attribute's text ("" when absent).
    static func text(_ value: Tensorflow_AttrValue?) -> String {
        String(decoding: value?.s ?? Data(), as: UTF8.self)
    }

    @Test("device strings parse in TensorFlow's syntax, print canonically and merge part by part")
    func deviceSpecs() throws {
        #expect(try DeviceSpec(parsing: "/job:worker/replica:0/task:1/device:CPU:0").description
            == "/job:worker/replica:0/task:1/device:CPU:0")
        #expect(try DeviceSpec(parsing: "/job:worker/task:1/cpu:0").description == "/job:worker/task:1/device:CPU:0")
        #expect(try DeviceSpec(parsing: "/task:3").task == 3)
        #expect(try DeviceSpec(parsing: "").isEmpty)
        #expect(try DeviceSpec(parsing: "/device:cpu:0").deviceType == "CPU")
        let outer = try DeviceSpec(parsing: "/job:worker/task:1")
        #expect(outer.merged(with: try DeviceSpec(parsing: "/task:2")).description == "/job:worker/task:2")
        #expect(DeviceSpec(task: 2).fullName(clientJob: "localhost", clientTask: 0) == "/job:localhost/replica:0/task:2/device:CPU:0")
        let bad: [(String, String)] = [
            ("/gpu:0", "device type GPU is not available"),
            ("/device:CPU:1", "one CPU device, CPU:0, not CPU:1"),
            ("/task:-1", "the task must be a non-negative integer"),
            ("/task:x", "the task must be a non-negative integer"),
            ("/job:a/job:b", "the job is given twice"),
            ("job:worker", "starts with '/'"),
            ("/host:1", "'host:1' is not one of"),
            ("/job:", "'' is not a job name"),
        ]
        for (string, reason) in bad {
            #expect {
                _ = try DeviceSpec(parsing: string)
            } throws: { error in
                "\(error)".contains("invalid device '\(string)'") && "\(error)".contains(reason)
            }
        }
    }

    @Test("withDevice places the ops built inside; nested blocks merge; outside, ops stay unplaced")
    func withDevice() {
        let g = Graph()
        let a = g.constant(Float(1), name: "a")
        let (b, c) = g.withDevice("/job:worker/task:1") { () -> (Tensor, Tensor) in
            let b = g.identity(a, name: "b")
            let c = g.withDevice("/task:2") { g.identity(b, name: "c") }
            return (b, c)
        }
        #expect(a.op.device == "")
        #expect(b.op.device == "/job:worker/task:1")
        #expect(c.op.device == "/job:worker/task:2")
        #expect(g.withDevice("/task:4") { g.currentDevice } == "/task:4")
        #expect(g.currentDevice == "")
    }

    @Test("an invalid device makes the ops inside invalid, naming the op and the string; the session stays usable")
    func invalidDevice() throws {
        let g = Graph()
        let a = g.constant(Float(2), name: "a")
        let onGPU = g.withDevice("/gpu:0") { g.identity(a, name: "onGPU") }
        let session = Session(graph: g)
        #expect {
            _ = try session.run(onGPU)
        } throws: { error in
            let text = "\(error)"
            return text.contains("onGPU") && text.contains("invalid device '/gpu:0'")
        }
        #expect(try session.run(a).scalar(as: Float.self) == 2)
    }

    /// x (fed, client) → y = x·w on task 1 → z = y + 1 on the client, fetched; `w` on task 1 too.
    static func placedModel() -> (Graph, x: Tensor, z: Tensor) {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [1, 2], name: "x")
        let y = g.withDevice("/job:worker/task:1") { () -> Tensor in
            let w = g.constant([[1, 2], [3, 4]] as [[Float]], name: "w")
            return g.matMul(x, w, name: "y")
        }
        let z = g.add(y, g.constant(Float(1), name: "one"), name: "z")
        return (g, x, z)
    }

    @Test("a step over two tasks reports two partition graphs joined by _Send/_Recv with TensorFlow's attributes")
    func partitionGraphs() throws {
        let (g, x, z) = Self.placedModel()
        var md = RunMetadata()
        let result = try Session(graph: g).run(
            z, feeds: [x: [[1, 1]] as [[Float]]], options: RunOptions(outputPartitionGraphs: true), metadata: &md)
        #expect(try result.scalars(as: Float.self) == [5, 7])
        try #require(md.partitionGraphs.count == 2)
        let client = md.partitionGraphs[0].node, worker = md.partitionGraphs[1].node
        #expect(Set(client.map(\.device)) == [Self.client])
        #expect(Set(worker.map(\.device)) == [Self.worker1])
        #expect(Set(client.map(\.op)) == ["_Arg", "_Send", "_Recv", "Const", "Add", "_Retval"])
        #expect(Set(worker.map(\.op)) == ["_Recv", "Const", "MatMul", "_Send"])
        // x crosses to task 1, y comes back.
        let sendX = try #require(client.first { $0.op == "_Send" })
        let recvX = try #require(worker.first { $0.op == "_Recv" })
        #expect(sendX.input == ["_arg_x_0_0"])
        #expect(sendX.attr["tensor_name"] == recvX.attr["tensor_name"])
        #expect(Self.text(sendX.attr["tensor_name"]).hasPrefix("edge_"))
        #expect(Self.text(sendX.attr["send_device"]) == Self.client)
        #expect(Self.text(sendX.attr["recv_device"]) == Self.worker1)
        #expect(sendX.attr["client_terminated"]?.b == false)
        let sendType = sendX.attr["T"].map(\.type), recvType = recvX.attr["tensor_type"].map(\.type)
        #expect(sendType == .dtFloat)
        #expect(recvType == .dtFloat)
        #expect(worker.first { $0.name == "y" }?.input == [recvX.name, "w"])
        let sendY = try #require(worker.first { $0.op == "_Send" })
        #expect(sendY.input == ["y"])
        let recvY = try #require(client.first { $0.op == "_Recv" })
        #expect(client.first { $0.name == "z" }?.input == [recvY.name, "one"])
        #expect(client.first { $0.op == "_Retval" }?.input == ["z"])
    }

    @Test("a tensor used twice on another task crosses once; a control edge crosses as an empty constant")
    func sharedTransfersAndControlEdges() throws {
        let g = Graph()
        let a = g.constant(Float(3), name: "a")
        let b = g.withDevice("/task:1") { () -> Tensor in
            let twice = g.add(a, a, name: "twice")
            return g.withControlDependencies([twice.op]) { g.mul(twice, a, name: "b") }
        }
        let c = g.withControlDependencies([b.op]) { g.identity(a, name: "c") }
        var md = RunMetadata()
        let values = try Session(graph: g).run(
            [b, c], options: RunOptions(outputPartitionGraphs: true), metadata: &md)
        #expect(try values.map { try $0.scalar(as: Float.self) } == [18, 3])
        try #require(md.partitionGraphs.count == 2)
        let client = md.partitionGraphs[0].node, worker = md.partitionGraphs[1].node
        // a reaches task 1 through one pair, used by twice (twice) and b.
        let recvs = worker.filter { $0.op == "_Recv" }
        #expect(recvs.count == 1)
        #expect(worker.first { $0.name == "twice" }?.input == [recvs[0].name, recvs[0].name])
        // c waits for b through a constant made after b on task 1, sent to the client.
        let dummy = try #require(worker.first { $0.op == "Const" && $0.input == ["^b"] })
        let controlSend = try #require(worker.first { $0.op == "_Send" && $0.input == [dummy.name] })
        let controlRecv = try #require(
            client.first { $0.op == "_Recv" && $0.attr["tensor_name"] == controlSend.attr["tensor_name"] })
        #expect(client.first { $0.name == "c" }?.input.contains("^" + controlRecv.name) == true)
    }

    @Test("unplaced steps keep their one local partition")
    func unplacedStep() throws {
        let g = Graph()
        let a = g.constant(Float(1), name: "a")
        var md = RunMetadata()
        _ = try Session(graph: g).run(a, options: RunOptions(outputPartitionGraphs: true), metadata: &md)
        #expect(md.partitionGraphs.count == 1)
        #expect(md.partitionGraphs[0].node.map(\.op) == ["Const", "_Retval"])
        #expect(md.partitionGraphs[0].node.allSatisfy { $0.device == Self.client })
    }
}
