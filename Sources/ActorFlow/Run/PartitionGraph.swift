import ActorFlowProto

/// The `GraphDef` of what a plan runs, for `RunMetadata.partitionGraphs` (`RunOptions.outputPartitionGraphs`).
///
/// As in TensorFlow, fed tensors appear as `_Arg` nodes named `_arg_<op>_<output>_<position>` and fetched
/// tensors as `_Retval` nodes named `_retval_<op>_<output>_<position>`; every node is placed on the CPU device.
enum PartitionGraph {
    static func graphDef(of plan: ExecutionPlan) -> Tensorflow_GraphDef {
        let device = "/job:localhost/replica:0/task:0/device:CPU:0"
        var graph = Tensorflow_GraphDef()
        func reference(_ t: Tensor) -> String { t.index == 0 ? t.op.name : t.name }
        let feeds = plan.feedTensors.sorted { $0.name < $1.name }
        var argName: [Tensor: String] = [:]
        for (position, t) in feeds.enumerated() {
            var node = Tensorflow_NodeDef()
            node.name = "_arg_\(t.op.name)_\(t.index)_\(position)"
            node.op = "_Arg"
            node.device = device
            argName[t] = node.name
            graph.node.append(node)
        }
        for planNode in plan.nodes {
            var node = Tensorflow_NodeDef()
            node.name = planNode.op.name
            node.op = planNode.op.type
            node.device = device
            node.input = planNode.op.inputs.map { argName[$0] ?? reference($0) }
                + planNode.op.controlInputs.map { "^" + $0.name }
            graph.node.append(node)
        }
        for (position, t) in plan.fetchTensors.sorted(by: { $0.name < $1.name }).enumerated() {
            var node = Tensorflow_NodeDef()
            node.name = "_retval_\(t.op.name)_\(t.index)_\(position)"
            node.op = "_Retval"
            node.device = device
            node.input = [reference(t)]
            graph.node.append(node)
        }
        return graph
    }
}
