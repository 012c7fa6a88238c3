import ActorFlowProto

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
/// tells whether the run was traced.
public typealias RunMetadata = Tensorflow_RunMetadata

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
