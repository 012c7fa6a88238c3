import struct Foundation.Data
import Testing

@testable import ActorFlow

/// Step statistics are built from a step's records when the metadata is first read, not when the step ends; what
/// is built must be, byte for byte, what the eager build at the step's end made. Bytes are compared with map
/// entries in key order: protobuf leaves the wire order of a map (`thread_names`) to the encoder, and two equal
/// Swift dictionaries may iterate in different orders.
@Suite("Step statistics built when read")
struct LazyStepStatsTests {
    /// A graph whose ops allocate outputs and temporaries, forward a buffer and record nothing (`NoOp`).
    static func model() -> (Graph, x: Tensor, fetches: [Tensor], target: ActorFlowCore.Operation) {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let w = g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]], name: "w")
        let y = g.matMul(x, w, name: "y")
        let z = g.add(y, g.constant([1, 1, 1] as [Float], name: "b"), name: "z")
        let temp = g.customOp(name: "temp", inputs: [z], outputs: [(.float32, TensorShape([nil, 3]))]) { inputs in
            let scratch = NDArray([Float](repeating: 2, count: 4096))   // a temporary
            _ = scratch
            return [inputs[0]]                                          // forwarded
        }[0]
        let r = g.reshape(temp, g.constant([-1] as [Int32]), name: "r")
        let done = g.group([r.op], name: "done")
        return (g, x, [z, r], done)
    }

    static let keyOrder = {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return options
    }()

    @Test(
        "lazily built metadata has the eager build's bytes for the same records, first and reused",
        arguments: [RunOptions.TraceLevel.softwareTrace, .hardwareTrace, .fullTrace])
    func lazyEqualsEager(level: RunOptions.TraceLevel) throws {
        let (g, x, fetches, done) = Self.model()
        let session = Session(graph: g)
        var md = RunMetadata()
        for run in 0..<3 {
            _ = try session.run(
                fetches, done, feeds: [x: [[Float(run), 1], [2, 3]] as [[Float]]],
                options: RunOptions(traceLevel: level), metadata: &md)
            let source = try #require(md.statsSource, "a traced run leaves its records, not messages")
            let eager = try source.eagerMetadata().serializedBytes(options: Self.keyOrder) as [UInt8]
            #expect(try md.serializedBytes(options: Self.keyOrder) == eager)
            #expect(md.stepStats.devStats[0].nodeStats.count == 8)
            // Built once: reading again, or a copy, gives the same messages.
            let copy = md
            #expect(copy == md)
            #expect(try copy.serializedBytes(options: Self.keyOrder) == eager)
        }
    }

    @Test("writing a field keeps the step statistics; writing them replaces them")
    func writesAfterLazyStats() throws {
        let (g, x, fetches, _) = Self.model()
        let session = Session(graph: g)
        var md = RunMetadata()
        _ = try session.run(fetches, feeds: [x: [[1, 1]] as [[Float]]], options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
        let names = Set(md.stepStats.devStats[0].nodeStats.map(\.nodeName))
        var edited = md
        edited.partitionGraphs = [GraphDef()]
        #expect(edited.statsSource != nil, "partition graphs are not step statistics: nothing is built")
        #expect(Set(edited.stepStats.devStats[0].nodeStats.map(\.nodeName)) == names)
        edited.sessionMetadata.name = "edited"
        #expect(edited.statsSource == nil, "another write builds the statistics into the message")
        #expect(Set(edited.stepStats.devStats[0].nodeStats.map(\.nodeName)) == names)
        #expect(edited.partitionGraphs.count == 1 && edited.sessionMetadata.name == "edited")
        edited.stepStats = StepStats()
        #expect(edited.stepStats.devStats.isEmpty)
        #expect(md.stepStats.devStats[0].nodeStats.count == names.count, "the original is unchanged")
        let decoded = try RunMetadata(serializedBytes: try md.serializedData())
        #expect(decoded == md)
    }

    @Test("an untraced run leaves nothing to build")
    func untraced() throws {
        let (g, x, fetches, _) = Self.model()
        let session = Session(graph: g)
        var md = RunMetadata()
        _ = try session.run(fetches, feeds: [x: [[1, 1]] as [[Float]]], metadata: &md)
        #expect(md.statsSource == nil)
        #expect(!md.hasStepStats)
    }
}
