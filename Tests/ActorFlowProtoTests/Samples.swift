import ActorFlow
import ActorFlowProto
import Foundation

/// Messages with every field set to a value other than its default, for round-trip tests.
enum Samples {
    static var shape: TensorShapeProto {
        var dim = TensorShapeProto.Dim()
        dim.size = 2
        dim.name = "batch"
        var shape = TensorShapeProto()
        shape.dim = [dim]
        return shape
    }

    static var allocationDescription: AllocationDescription {
        var a = AllocationDescription()
        a.requestedBytes = 8
        a.allocatedBytes = 16
        a.allocatorName = "cpu"
        a.allocationID = 42
        a.hasSingleReference_p = true
        a.ptr = 0xDEAD_BEEF
        return a
    }

    static var tensorDescription: TensorDescription {
        var d = TensorDescription()
        d.dtype = .dtFloat
        d.shape = shape
        d.allocationDescription = allocationDescription
        return d
    }

    static var nodeExecStats: NodeExecStats {
        var record = AllocationRecord()
        record.allocMicros = 1_700_000_000_000_001
        record.allocBytes = -8
        var used = AllocatorMemoryUsed()
        used.allocatorName = "cpu"
        used.totalBytes = 8
        used.peakBytes = 8
        used.liveBytes = 4
        used.allocationRecords = [record]
        used.allocatorBytesInUse = 1 << 20
        var output = NodeOutput()
        output.slot = 1
        output.tensorDescription = tensorDescription
        var memory = MemoryStats()
        memory.tempMemorySize = 1
        memory.persistentMemorySize = 2
        memory.persistentTensorAllocIds = [3, 4]
        memory.deviceTempMemorySize = 5
        memory.devicePersistentMemorySize = 6
        memory.devicePersistentTensorAllocIds = [7]

        var node = NodeExecStats()
        node.nodeName = "y"
        node.allStartMicros = 1_700_000_000_000_000
        node.opStartRelMicros = 1
        node.opEndRelMicros = 5
        node.allEndRelMicros = 6
        node.memory = [used]
        node.output = [output]
        node.timelineLabel = "y = MatMul(x, w)"
        node.scheduledMicros = 1_699_999_999_999_999
        node.threadID = 3
        node.referencedTensor = [allocationDescription]
        node.memoryStats = memory
        node.allStartNanos = 1_700_000_000_000_000_123
        node.opStartRelNanos = 1_001
        node.opEndRelNanos = 5_002
        node.allEndRelNanos = 6_003
        node.scheduledNanos = 1_699_999_999_999_999_000
        return node
    }

    static var costGraph: CostGraphDef {
        var input = CostGraphDef.Node.InputInfo()
        input.precedingNode = 1
        input.precedingPort = 2
        var output = CostGraphDef.Node.OutputInfo()
        output.size = 8
        output.aliasInputPort = -1
        output.shape = shape
        output.dtype = .dtDouble
        var node = CostGraphDef.Node()
        node.name = "y"
        node.device = "/device:CPU:0"
        node.id = 2
        node.inputInfo = [input]
        node.outputInfo = [output]
        node.temporaryMemorySize = 1
        node.persistentMemorySize = 2
        node.hostTempMemorySize = 3
        node.deviceTempMemorySize = 4
        node.devicePersistentMemorySize = 5
        node.computeCost = 6
        node.computeTime = 7
        node.memoryTime = 8
        node.isFinal = true
        node.controlInput = [0]
        node.inaccurate = true
        var cost = CostGraphDef.AggregatedCost()
        cost.cost = 1.25
        cost.dimension = "time"
        var graph = CostGraphDef()
        graph.node = [node]
        graph.cost = [cost]
        return graph
    }

    static var graph: GraphDef {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtFloat
        tensor.tensorShape = shape
        tensor.floatVal = [1, 2]
        var value = Tensorflow_AttrValue()
        value.tensor = tensor
        var dtype = Tensorflow_AttrValue()
        dtype.type = .dtFloat
        var node = NodeDef()
        node.name = "c"
        node.op = "Const"
        node.input = ["^a"]
        node.device = "/job:localhost/replica:0/task:0/device:CPU:0"
        node.attr = ["value": value, "dtype": dtype]
        var graph = GraphDef()
        graph.node = [node]
        graph.versions.producer = 2_000
        graph.versions.minConsumer = 12
        graph.versions.badConsumers = [13]
        graph.version = 1
        return graph
    }

    static var runMetadata: RunMetadata {
        var device = DeviceStepStats()
        device.device = "/job:localhost/replica:0/task:0/device:CPU:0"
        device.nodeStats = [nodeExecStats, nodeExecStats]
        device.threadNames = [1: "af-w0-n0", 3: "af-w1-n0"]
        var functions = RunMetadata.FunctionGraphs()
        functions.partitionGraphs = [graph]
        functions.preOptimizationGraph = graph
        functions.postOptimizationGraph = graph
        var md = RunMetadata()
        md.stepStats.devStats = [device]
        md.costGraph = costGraph
        md.partitionGraphs = [graph, graph]
        md.functionGraphs = [functions]
        md.sessionMetadata.name = "session"
        md.sessionMetadata.version = 7
        return md
    }
}
