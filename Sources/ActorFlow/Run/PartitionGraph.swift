import ActorFlowProto
import ActorFlowTracing
import Foundation

/// The `GraphDef`s of what a plan runs, one per device, for `RunMetadata.partitionGraphs`
/// (`RunOptions.outputPartitionGraphs`), split the way TensorFlow's graph partitioner splits a graph.
///
/// Every op runs on the device its placement names (``Graph/withDevice(_:_:)``), the client's when it has none.
/// Fed tensors appear on the client as `_Arg` nodes named `_arg_<op>_<output>_<position>` and fetched tensors
/// as `_Retval` nodes named `_retval_<op>_<output>_<position>`. Each tensor that crosses from one device to
/// another leaves through a `_Send` and arrives through a `_Recv` (one pair per tensor and receiving device),
/// both named `<producer>/_<n>` and carrying TensorFlow's attributes (`tensor_name` = `edge_<n>_<producer>`,
/// `send_device`, `send_device_incarnation`, `recv_device`, `client_terminated`, and `T` or `tensor_type`). A
/// control edge across devices sends an empty float constant made after the controlling op, as TensorFlow
/// does. The client's graph comes first, then the others by device name.
enum PartitionGraph {
    /// The devices of a session without a cluster: everything on the local task.
    static let localClient = (job: "localhost", task: 0)

    static func graphDefs(
        of plan: ExecutionPlan, client: (job: String, task: Int) = localClient
    ) -> [Tensorflow_GraphDef] {
        var builder = Builder(client: client)
        return builder.build(plan)
    }

    private struct Builder {
        let client: (job: String, task: Int)
        let clientDevice: String
        var graphs: [String: Tensorflow_GraphDef] = [:]
        /// `_Recv` node names by (source reference, receiving device).
        var received: [String: String] = [:]
        var nameCounter = 0
        var edgeCounter = 0

        init(client: (job: String, task: Int)) {
            self.client = client
            self.clientDevice = DeviceSpec().fullName(clientJob: client.job, clientTask: client.task)
            graphs[clientDevice] = Tensorflow_GraphDef()
        }

        /// The full name of the device `op` runs on.
        func placeDevice(_ op: GraphOperation) -> String {
            op.deviceSpec.fullName(clientJob: client.job, clientTask: client.task)
        }

        mutating func build(_ plan: ExecutionPlan) -> [Tensorflow_GraphDef] {
            func reference(_ t: Tensor) -> String { t.index == 0 ? t.op.name : t.name }
            var argName: [Tensor: String] = [:]
            for (position, t) in plan.feedTensors.sorted(by: { $0.name < $1.name }).enumerated() {
                let name = "_arg_\(t.op.name)_\(t.index)_\(position)"
                append(node(name, "_Arg", device: clientDevice, attributes: ["T": dtype(t.op.outputDTypes[t.index]), "index": integer(Int64(position))]),
                       to: clientDevice)
                argName[t] = name
            }
            for planNode in plan.nodes.sorted(by: { $0.op.id < $1.op.id }) {   // creation order: topological
                let op = planNode.op
                let device = placeDevice(op)
                var inputs: [String] = []
                for t in op.inputs {
                    let source = argName[t].map { ($0, clientDevice) } ?? (reference(t), placeDevice(t.op))
                    inputs.append(
                        source.1 == device
                            ? source.0
                            : transfer(source.0, producer: argName[t] ?? t.op.name, dtype: t.op.outputDTypes[t.index],
                                       from: source.1, to: device))
                }
                for control in op.controlInputs {
                    let from = placeDevice(control)
                    inputs.append("^" + (from == device ? control.name : controlTransfer(control, from: from, to: device)))
                }
                var def = node(op.name, op.type, device: device)
                def.input = inputs
                append(def, to: device)
            }
            for (position, t) in plan.fetchTensors.sorted(by: { $0.name < $1.name }).enumerated() {
                let source = argName[t].map { ($0, clientDevice) } ?? (reference(t), placeDevice(t.op))
                let input =
                    source.1 == clientDevice
                    ? source.0
                    : transfer(source.0, producer: t.op.name, dtype: t.op.outputDTypes[t.index], from: source.1,
                               to: clientDevice)
                var def = node(
                    "_retval_\(t.op.name)_\(t.index)_\(position)", "_Retval", device: clientDevice,
                    attributes: ["T": dtype(t.op.outputDTypes[t.index]), "index": integer(Int64(position))])
                def.input = [input]
                append(def, to: clientDevice)
            }
            let others = graphs.keys.filter { $0 != clientDevice }.sorted()
            return ([clientDevice] + others).compactMap { graphs[$0] }
        }

        /// The `_Recv` on `to` that delivers `source` (a tensor reference) from `from`, made with its `_Send` the
        /// first time.
        mutating func transfer(_ source: String, producer: String, dtype type: DType, from: String, to: String)
            -> String
        {
            let key = source + "\u{0}" + to
            if let name = received[key] { return name }
            let tensorName = "edge_\(edgeCounter)_\(producer)"
            edgeCounter += 1
            let shared: [String: Tensorflow_AttrValue] = [
                "tensor_name": string(tensorName), "send_device": string(from), "recv_device": string(to),
                "send_device_incarnation": integer(1), "client_terminated": boolean(false),
            ]
            var send = node(newName(producer), "_Send", device: from, attributes: shared.merging(["T": dtype(type)]) { a, _ in a })
            send.input = [source]
            append(send, to: from)
            let recvName = newName(producer)
            append(
                node(recvName, "_Recv", device: to, attributes: shared.merging(["tensor_type": dtype(type)]) { a, _ in a }),
                to: to)
            received[key] = recvName
            return recvName
        }

        /// A control edge from `control` across devices: an empty float constant made after it, sent over.
        mutating func controlTransfer(_ control: GraphOperation, from: String, to: String) -> String {
            let key = "^" + control.name + "\u{0}" + to
            if let name = received[key] { return name }
            var dummy = node(newName(control.name), "Const", device: from, attributes: ["dtype": dtype(.float32)])
            dummy.input = ["^" + control.name]
            append(dummy, to: from)
            let name = transfer(dummy.name, producer: control.name, dtype: .float32, from: from, to: to)
            received[key] = name
            return name
        }

        /// TensorFlow's partitioner names: `<prefix>/_<n>`, one counter for the whole split.
        mutating func newName(_ prefix: String) -> String {
            defer { nameCounter += 1 }
            return "\(prefix)/_\(nameCounter)"
        }

        mutating func append(_ node: Tensorflow_NodeDef, to device: String) {
            graphs[device, default: Tensorflow_GraphDef()].node.append(node)
        }

        func node(_ name: String, _ op: String, device: String, attributes: [String: Tensorflow_AttrValue] = [:])
            -> Tensorflow_NodeDef
        {
            var def = Tensorflow_NodeDef()
            def.name = name
            def.op = op
            def.device = device
            def.attr = attributes
            return def
        }

        func dtype(_ type: DType) -> Tensorflow_AttrValue {
            var value = Tensorflow_AttrValue()
            value.type = Tensorflow_DataType(type)
            return value
        }

        func string(_ text: String) -> Tensorflow_AttrValue {
            var value = Tensorflow_AttrValue()
            value.s = Data(text.utf8)
            return value
        }

        func integer(_ n: Int64) -> Tensorflow_AttrValue {
            var value = Tensorflow_AttrValue()
            value.i = n
            return value
        }

        func boolean(_ flag: Bool) -> Tensorflow_AttrValue {
            var value = Tensorflow_AttrValue()
            value.b = flag
            return value
        }
    }
}
