import ActorFlow
import ActorFlowProto
import Foundation
import SwiftProtobuf
import Testing

/// Golden bytes for the partition-graph subset (graph.proto, node_def.proto, attr_value.proto, tensor.proto,
/// versions.proto), worked out by hand from TensorFlow's field numbers and checked with `protoc --decode_raw`.
@Suite struct GraphDefWireTests {
    /// `y = MatMul(x, w)` with attr `T = DT_FLOAT`.
    static let matMulNode = bytes("0A 01") + ascii("y")  // 1: name
        + bytes("12 06") + ascii("MatMul")  // 2: op
        + bytes("1A 01") + ascii("x") + bytes("1A 01") + ascii("w")  // 3: input, twice
        + bytes("2A 07 0A 01") + ascii("T") + bytes("12 02 30 01")  // 5: attr entry { key "T", value { 6: 1 } }

    @Test func nodeDef() throws {
        var attr = Tensorflow_AttrValue()
        attr.type = .dtFloat
        var node = NodeDef()
        node.name = "y"
        node.op = "MatMul"
        node.input = ["x", "w"]
        node.attr = ["T": attr]
        #expect(try node.serializedBytes() == Self.matMulNode)
        #expect(try NodeDef(serializedBytes: Self.matMulNode) == node)
    }

    @Test func graphDefWithVersions() throws {
        var graph = GraphDef()
        graph.node = [try NodeDef(serializedBytes: Self.matMulNode)]
        graph.versions.producer = 1
        graph.versions.minConsumer = 0
        graph.versions.badConsumers = [2]
        // 1: node, then 4: versions { 1: 1, 3: packed [2] }
        let expected = bytes("0A 1A") + Self.matMulNode + bytes("22 05 08 01 1A 01 02")
        #expect(Self.matMulNode.count == 0x1A)
        #expect(try graph.serializedBytes() == expected)
    }

    @Test func attrValueMembers() throws {
        var value = Tensorflow_AttrValue()
        value.s = Data("ab".utf8)
        #expect(try value.serializedBytes() == bytes("12 02 61 62"))
        value.i = -1
        #expect(try value.serializedBytes() == bytes("18 FF FF FF FF FF FF FF FF FF 01"))
        value.f = 1.5  // 0x3FC00000, little-endian
        #expect(try value.serializedBytes() == bytes("25 00 00 C0 3F"))
        value.b = true
        #expect(try value.serializedBytes() == bytes("28 01"))
        value.placeholder = "T"
        #expect(try value.serializedBytes() == bytes("4A 01 54"))
        var function = Tensorflow_NameAttrList()
        function.name = "f"
        value.func = function
        #expect(try value.serializedBytes() == bytes("52 03 0A 01 66"))
        var list = Tensorflow_AttrValue.ListValue()
        list.i = [1, 2]
        value.list = list
        #expect(try value.serializedBytes() == bytes("0A 04 1A 02 01 02"))  // 1: list { 3: packed [1, 2] }
    }

    @Test func attrValueShape() throws {
        var value = Tensorflow_AttrValue()
        value.shape = TensorShapeProto(TensorShape([nil, 2]))
        // 7: shape { 2: dim { 1: -1 }, 2: dim { 1: 2 } }
        let expected = bytes("3A 11 12 0B 08 FF FF FF FF FF FF FF FF FF 01 12 02 08 02")
        #expect(try value.serializedBytes() == expected)
    }

    @Test func attrValueTensor() throws {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtFloat
        tensor.tensorShape = TensorShapeProto(TensorShape.scalar)
        tensor.floatVal = [1.5]
        var value = Tensorflow_AttrValue()
        value.tensor = tensor
        // 8: tensor { 1: DT_FLOAT, 2: scalar shape (present, empty), 5: packed [1.5] }
        let expected = bytes("42 0A 08 01 12 00 2A 04 00 00 C0 3F")
        #expect(try value.serializedBytes() == expected)
        let parsed = try Tensorflow_AttrValue(serializedBytes: expected)
        guard case .tensor(let back)? = parsed.value else {
            Issue.record("expected the tensor member of the oneof, got \(String(describing: parsed.value))")
            return
        }
        #expect(back.hasTensorShape)
        #expect(TensorShape(back.tensorShape) == TensorShape.scalar)
        #expect(back.floatVal == [1.5])
    }

    @Test func tensorContentAndTypedValues() throws {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtInt64
        tensor.versionNumber = 0
        tensor.tensorContent = Data([1, 0, 0, 0, 0, 0, 0, 0])
        tensor.int64Val = [5]
        tensor.uint64Val = [6]
        let expected =
            bytes("08 09")  // 1: DT_INT64
            + bytes("22 08 01 00 00 00 00 00 00 00")  // 4: tensor_content
            + bytes("52 01 05")  // 10: int64_val packed
            + bytes("8A 01 01 06")  // 17: uint64_val packed (two-byte tag)
        #expect(try tensor.serializedBytes() == expected)
    }

    @Test func graphDefKeepsLibraryAndNodeDebugInfoAsUnknownFields() throws {
        // TensorFlow writes `library` (GraphDef field 2) and `experimental_debug_info` (NodeDef field 6),
        // which ActorFlow does not model. Both must survive a parse and re-serialize.
        let nodeWithDebugInfo = bytes("0A 01") + ascii("n") + bytes("32 03 0A 01") + ascii("o")
        let wire = bytes("0A 08") + nodeWithDebugInfo + bytes("12 02 0A 00") + bytes("22 02 08 1B")
        let graph = try GraphDef(serializedBytes: wire)
        #expect(graph.node.map(\.name) == ["n"])
        #expect(graph.versions.producer == 27)
        #expect(Array(graph.unknownFields.data) == bytes("12 02 0A 00"))
        #expect(Array(graph.node[0].unknownFields.data) == bytes("32 03 0A 01") + ascii("o"))
        // Known fields are written in field order and unknown fields after them.
        let again = bytes("0A 08") + nodeWithDebugInfo + bytes("22 02 08 1B") + bytes("12 02 0A 00")
        #expect(try graph.serializedBytes() == again)
        #expect(try GraphDef(serializedBytes: again) == graph)
    }
}
