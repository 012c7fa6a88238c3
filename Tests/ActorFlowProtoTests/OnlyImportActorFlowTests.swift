// This file imports nothing but ActorFlow (and Testing): it checks that user code written against the
// public face alone can build, trace-configure, serialize and parse the TensorFlow messages. With
// MemberImportVisibility on, imports are per file, so a missing re-export fails this file's build.
import ActorFlow
import Testing

@Suite struct OnlyImportActorFlowTests {
    @Test func userCodeWithOnlyImportActorFlow() throws {
        var md = RunMetadata()
        let opts = RunOptions(traceLevel: .fullTrace)
        #expect(opts.traceLevel == .fullTrace)

        var node = NodeExecStats()
        node.nodeName = "y"
        node.allStartMicros = 10
        node.output = [NodeOutput()]
        node.memory = [AllocatorMemoryUsed()]
        node.memory[0].allocationRecords = [AllocationRecord()]
        node.memoryStats = MemoryStats()
        node.referencedTensor = [AllocationDescription()]
        node.output[0].tensorDescription = TensorDescription(NDArray([1, 2] as [Int64]))
        var device = DeviceStepStats()
        device.nodeStats = [node]
        md.stepStats = StepStats()
        md.stepStats.devStats = [device]
        md.costGraph = CostGraphDef()
        md.partitionGraphs = [GraphDef()]
        md.partitionGraphs[0].node = [NodeDef()]
        #expect(md.stepStats.devStats[0].nodeStats.map(\.nodeName) == ["y"])

        let bytes = try md.serializedData()
        let back = try RunMetadata(serializedBytes: bytes)
        #expect(back == md)
        #expect(RunOptions(timeoutInMs: 200).timeoutInMs == 200)
        #expect(TensorShapeProto(TensorShape([nil])).dim.map(\.size) == [-1])
        #expect(Tensorflow_DataType(DType.bool) == .dtBool)

        let options: RunOptions = .init()
        #expect(options == RunOptions())
        #expect(throws: BinaryDecodingError.self) { _ = try RunMetadata(serializedBytes: [UInt8]([0x0A, 0x05])) }
    }
}
