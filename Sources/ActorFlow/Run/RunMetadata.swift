import ActorFlowProto
import SwiftProtobuf

/// What a run reports besides its fetched values: TensorFlow's `RunMetadata` message.
///
/// Pass one to `Session.run(_:feeds:options:metadata:)`; a traced run (see ``RunOptions/traceLevel``) fills
/// ``stepStats`` with one ``NodeExecStats`` per executed node, grouped per device. As in TensorFlow, every
/// run clears the metadata it is given first, so the stats always describe the last run only. The message
/// uses TensorFlow's field numbers, so the bytes load in TensorFlow's tools (`RunMetadata.FromString`,
/// TensorBoard, `timeline.Timeline`):
///
///     var md = RunMetadata()
///     _ = try session.run(z, options: RunOptions(traceLevel: .fullTrace), metadata: &md)
///     for node in md.stepStats.devStats[0].nodeStats {
///         print(node.nodeName, node.allEndRelMicros)        // e.g. "MatMul 12"
///     }
///     let bytes = try md.serializedData()                   // TensorFlow's wire format
///     let again = try RunMetadata(serializedBytes: bytes)   // again == md
///
/// Fields: `stepStats`, `costGraph`, `partitionGraphs`, `functionGraphs`, `sessionMetadata`; `hasStepStats`
/// tells whether the run was traced. Every field of `Tensorflow_RunMetadata` reads and writes as on the
/// generated message, and ``message`` is that message.
///
/// ## Built when read
/// A traced step leaves plain records (times, thread, NUMA node, outputs, memory of each op); the protobuf
/// messages of ``stepStats`` and ``costGraph`` are made from them the first time any field is read, or the
/// metadata is serialized or compared, and are then the bytes an eager build at the step's end would have
/// made. A run whose metadata is never read pays for no message. Copies share what was built.
@dynamicMemberLookup
public struct RunMetadata: Sendable {
    /// Everything but the step statistics still to build.
    private var base = Tensorflow_RunMetadata()
    /// The records of the step whose statistics are not built into ``base`` yet.
    private var pending: StepStatsSource?

    public init() {}

    /// Metadata whose step statistics (and cost graph) ``source`` builds when first read.
    init(_ base: Tensorflow_RunMetadata, statsFrom source: StepStatsSource?) {
        self.base = base
        self.pending = source
    }

    /// Wraps a generated message.
    ///
    ///     let md = RunMetadata(Tensorflow_RunMetadata())
    public init(_ message: Tensorflow_RunMetadata) {
        base = message
    }

    /// The whole message, step statistics built.
    ///
    ///     let json = try md.message.jsonString()
    public var message: Tensorflow_RunMetadata {
        get {
            guard let pending else { return base }
            var built = base
            pending.fill(&built)
            return built
        }
        set {
            base = newValue
            pending = nil
        }
    }

    /// The records whose statistics are still to build, if any.
    var statsSource: StepStatsSource? { pending }

    /// Builds the step statistics into the stored message (before a write).
    private mutating func materialize() {
        guard pending != nil else { return }
        base = message
        pending = nil
    }

    /// Reads and writes any field of the generated message (`partitionGraphs`, `functionGraphs`,
    /// `sessionMetadata`, `hasCostGraph`, `unknownFields`, …).
    public subscript<T>(dynamicMember field: WritableKeyPath<Tensorflow_RunMetadata, T>) -> T {
        get { message[keyPath: field] }
        set {
            materialize()
            base[keyPath: field] = newValue
        }
    }

    /// Reads a read-only property of the generated message (`hasStepStats`, `hasCostGraph`, …).
    public subscript<T>(dynamicMember field: KeyPath<Tensorflow_RunMetadata, T>) -> T {
        message[keyPath: field]
    }

    /// Step statistics: one ``DeviceStepStats`` per device, each with one ``NodeExecStats`` per op that ran.
    ///
    ///     md.stepStats.devStats[0].nodeStats.map(\.nodeName)
    public var stepStats: StepStats {
        get { message.stepStats }
        set {
            materialize()
            base.stepStats = newValue
        }
    }

    /// Measured per-op costs, on `.hardwareTrace` and `.fullTrace` runs.
    ///
    ///     md.costGraph.node.map(\.computeTime)
    public var costGraph: CostGraphDef {
        get { message.costGraph }
        set {
            materialize()
            base.costGraph = newValue
        }
    }

    /// One graph per device partition, when ``RunOptions/outputPartitionGraphs`` asked for them.
    ///
    ///     md.partitionGraphs.map { $0.node.count }
    public var partitionGraphs: [GraphDef] {
        get { base.partitionGraphs }
        set { base.partitionGraphs = newValue }
    }

    /// The generated message's nested `FunctionGraphs`.
    public typealias FunctionGraphs = Tensorflow_RunMetadata.FunctionGraphs
}

// MARK: Message

/// `RunMetadata` is a protobuf message of its own: `serializedData()`, `serializedBytes()`,
/// `init(serializedBytes:)`, `jsonString()`, `textFormatString()` and `==` act on the built message, so its bytes
/// are `Tensorflow_RunMetadata`'s.
extension RunMetadata: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase,
    SwiftProtobuf._ProtoNameProviding
{
    public static var protoMessageName: String { Tensorflow_RunMetadata.protoMessageName }
    public static var _protobuf_nameMap: SwiftProtobuf._NameMap { Tensorflow_RunMetadata._protobuf_nameMap }

    public var unknownFields: SwiftProtobuf.UnknownStorage {
        get { message.unknownFields }
        set {
            materialize()
            base.unknownFields = newValue
        }
    }

    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        materialize()
        try base.decodeMessage(decoder: &decoder)
    }

    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        try message.traverse(visitor: &visitor)
    }

    public static func == (lhs: RunMetadata, rhs: RunMetadata) -> Bool {
        lhs.message == rhs.message
    }
}

/// Everything recorded during one step, one ``DeviceStepStats`` per device (`devStats`).
///
///     let devices = md.stepStats.devStats.map(\.device)   // ["/job:localhost/replica:0/task:0/device:CPU:0"]
public typealias StepStats = Tensorflow_StepStats

/// The records of one device: its full name (`device`), one ``NodeExecStats`` per executed node in
/// completion order (`nodeStats`), and the names of the threads that ran them (`threadNames`, keyed by
/// ``NodeExecStats/threadID``).
///
///     for node in dev.nodeStats { print(dev.threadNames[node.threadID] ?? "?", node.nodeName) }
public typealias DeviceStepStats = Tensorflow_DeviceStepStats

/// The record of one execution of one node, with TensorFlow's field names.
///
/// Times come in microseconds and, with the same instants, in nanoseconds: `allStartMicros`/`allStartNanos`
/// and `scheduledMicros`/`scheduledNanos` are absolute (since the Unix epoch); `opStartRelMicros`,
/// `opEndRelMicros` and `allEndRelMicros` (and their `…Nanos` twins) are relative to `allStartMicros`.
/// `threadID` names the thread that ran the node, `timelineLabel` reads `"name = Op(input, ...)"`,
/// `output` describes each produced tensor, and `memory`/`memoryStats` the allocations.
///
///     let wall = node.allEndRelMicros                      // time from start to done, µs
///     let kernel = node.opEndRelMicros - node.opStartRelMicros
public typealias NodeExecStats = Tensorflow_NodeExecStats

/// How much one allocator was used while one node ran (`allocatorName`, `totalBytes`, `peakBytes`,
/// `liveBytes`, `allocationRecords`, `allocatorBytesInUse`): every `NDArray` buffer the node's kernel allocated,
/// temporaries included (Tracing/README.md, "RunMetadata fields").
public typealias AllocatorMemoryUsed = Tensorflow_AllocatorMemoryUsed

/// One allocation (positive `allocBytes`) or deallocation (negative) at `allocMicros`.
public typealias AllocationRecord = Tensorflow_AllocationRecord

/// One output of a node: its `slot` and a ``TensorDescription`` of the produced tensor.
public typealias NodeOutput = Tensorflow_NodeOutput

/// A node kernel's temporary and persistent memory (`tempMemorySize`, `persistentMemorySize`,
/// `persistentTensorAllocIds`).
public typealias MemoryStats = Tensorflow_MemoryStats

/// The type, shape and allocation of one tensor (`dtype`, `shape`, `allocationDescription`).
///
///     let d = TensorDescription(NDArray([1, 2, 3] as [Float]))
///     d.dtype                                   // .dtFloat
///     d.shape.dim.map(\.size)                   // [3]
///     d.allocationDescription.requestedBytes    // 12
public typealias TensorDescription = Tensorflow_TensorDescription

/// Where and how a tensor's buffer was allocated (`requestedBytes`, `allocatedBytes`, `allocatorName`,
/// `allocationID`, `hasSingleReference_p`, `ptr`).
public typealias AllocationDescription = Tensorflow_AllocationDescription

/// A static shape in TensorFlow's wire form: `dim` (each with `size`, `-1` when unknown) and `unknownRank`.
///
///     TensorShapeProto(TensorShape([nil, 2])).dim.map(\.size)   // [-1, 2]
public typealias TensorShapeProto = Tensorflow_TensorShapeProto

/// Node costs of a graph, filled on cost-model steps (`node`, `cost`).
public typealias CostGraphDef = Tensorflow_CostGraphDef

/// A graph in TensorFlow's wire form; ``RunMetadata/partitionGraphs`` holds one per device partition.
///
///     for graph in md.partitionGraphs { print(graph.node.map(\.op)) }   // ["_Arg", "MatMul", "_Retval"]
public typealias GraphDef = Tensorflow_GraphDef

/// One node of a ``GraphDef``: `name`, `op`, `input` (`"node:output"`, then `"^node"` for control inputs),
/// `device` and `attr`.
public typealias NodeDef = Tensorflow_NodeDef
