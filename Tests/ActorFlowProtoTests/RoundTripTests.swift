import ActorFlow
import ActorFlowProto
import SwiftProtobuf
import Testing

@Suite struct RoundTripTests {
    /// Serializes with sorted map keys, so equal messages give equal bytes.
    private func deterministicBytes(_ message: some SwiftProtobuf.Message) throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try message.serializedBytes(options: options)
    }

    @Test func fullyPopulatedRunMetadata() throws {
        let md = Samples.runMetadata
        let wire = try deterministicBytes(md)
        let back = try RunMetadata(serializedBytes: wire)
        #expect(back == md)
        #expect(try deterministicBytes(back) == wire)
        #expect(back.stepStats.devStats[0].nodeStats[1].allStartNanos == 1_700_000_000_000_000_123)
        #expect(back.stepStats.devStats[0].threadNames[3] == "af-w1-n0")
    }

    /// Every field of the samples is written, under TensorFlow's numbers: the samples really are fully
    /// populated, and the schema has no field missing or renumbered.
    @Test func samplesWriteEveryTensorFlowField() throws {
        #expect(distinctWireFieldNumbers(try Samples.runMetadata.serializedBytes()) == [1, 2, 3, 4, 5])
        #expect(distinctWireFieldNumbers(try Samples.nodeExecStats.serializedBytes()) == Array(1...17))
        #expect(distinctWireFieldNumbers(try Samples.nodeExecStats.memory[0].serializedBytes()) == Array(1...6))
        #expect(distinctWireFieldNumbers(try Samples.nodeExecStats.memoryStats.serializedBytes()) == Array(1...6))
        #expect(distinctWireFieldNumbers(try Samples.nodeExecStats.output[0].serializedBytes()) == [1, 3])
        #expect(distinctWireFieldNumbers(try Samples.tensorDescription.serializedBytes()) == [1, 2, 4])
        #expect(distinctWireFieldNumbers(try Samples.allocationDescription.serializedBytes()) == Array(1...6))
        #expect(distinctWireFieldNumbers(try Samples.shape.serializedBytes()) == [2])
        #expect(distinctWireFieldNumbers(try Samples.shape.dim[0].serializedBytes()) == [1, 2])
        let costNode = Samples.costGraph.node[0]
        #expect(distinctWireFieldNumbers(try costNode.serializedBytes()) == Array(1...17).filter { $0 != 13 })
        #expect(distinctWireFieldNumbers(try costNode.outputInfo[0].serializedBytes()) == [1, 2, 3, 4])
        #expect(distinctWireFieldNumbers(try Samples.costGraph.serializedBytes()) == [1, 2])
        #expect(distinctWireFieldNumbers(try Samples.graph.serializedBytes()) == [1, 3, 4])
        #expect(distinctWireFieldNumbers(try Samples.graph.node[0].serializedBytes()) == [1, 2, 3, 4, 5])
        #expect(distinctWireFieldNumbers(try Samples.runMetadata.functionGraphs[0].serializedBytes()) == [1, 2, 3])
        #expect(distinctWireFieldNumbers(try Samples.runMetadata.sessionMetadata.serializedBytes()) == [1, 2])
    }

    @Test func unknownFieldsArePreservedAtEveryLevel() throws {
        // A newer writer adds field 99 to NodeExecStats and field 50 to RunMetadata.
        var node = NodeExecStats()
        node.nodeName = "a"
        let nodeWire = try node.serializedBytes() + bytes("98 06 05")  // 99: varint 5
        let deviceWire = bytes("12") + [UInt8(nodeWire.count)] + nodeWire
        let stepWire = bytes("0A") + [UInt8(deviceWire.count)] + deviceWire
        let wire = bytes("0A") + [UInt8(stepWire.count)] + stepWire + bytes("92 03 01 7A")  // 50: bytes "z"

        let md = try RunMetadata(serializedBytes: wire)
        #expect(md.stepStats.devStats[0].nodeStats[0].nodeName == "a")
        #expect(Array(md.stepStats.devStats[0].nodeStats[0].unknownFields.data) == bytes("98 06 05"))
        #expect(Array(md.unknownFields.data) == bytes("92 03 01 7A"))
        #expect(try md.serializedBytes() == wire)
    }

    @Test func truncatedBytesAreATypedError() {
        let wire = (try? Samples.runMetadata.serializedBytes()) ?? []
        #expect(wire.count > 10)
        #expect(throws: BinaryDecodingError.self) {
            _ = try RunMetadata(serializedBytes: Array(wire.dropLast(3)))
        }
    }

    @Test func jsonUsesTensorFlowNames() throws {
        let json = try RunOptions(traceLevel: .fullTrace, timeoutInMs: 200).jsonString()
        #expect(json == #"{"traceLevel":"FULL_TRACE","timeoutInMs":"200"}"#)
        let back = try RunOptions(jsonString: #"{"trace_level":"SOFTWARE_TRACE","inter_op_thread_pool":-1}"#)
        #expect(back == RunOptions(traceLevel: .softwareTrace, interOpThreadPool: -1))
    }
}
