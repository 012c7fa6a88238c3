import ActorFlow
import ActorFlowTestSupport
import Foundation
import Testing

/// Every public entry point given bad input, end to end through `Session.run`: each kind gets a typed error that names
/// the culprit, and the session runs the next step normally.
@Suite("Bad input, end to end")
struct BadInputTests {
    /// After a bad call, a good one on the same session still works.
    private func expectStillUsable(_ session: Session, sourceLocation: SourceLocation = #_sourceLocation) {
        let g = session.graph
        #expect(throws: Never.self, sourceLocation: sourceLocation) { _ = try session.run(g.constant(Float(7))) }
    }

    @Test("wrong shapes: a fed value, an op whose inputs do not fit")
    func wrongShapes() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let bad = g.matMul(g.constant([[1, 2, 3], [4, 5, 6]] as [[Float]]), g.constant([[1, 2], [3, 4]] as [[Float]]), name: "bad")
        let session = Session(graph: g)
        expectSessionError(naming: ["x:0", "(2, 3)", "(?, 2)"]) { _ = try session.run(x, feeds: [x: [[1, 2, 3], [4, 5, 6]] as [[Float]]]) }
        expectSessionError(naming: ["x:0"]) { _ = try session.run(x, feeds: [x: [1, 2] as [Float]]) }
        let error = expectSessionError(naming: ["bad"]) { _ = try session.run(bad) }
        guard case .invalidGraph? = error else { Issue.record("expected invalidGraph, got \(String(describing: error))"); return }
        expectStillUsable(session)
    }

    @Test("wrong dtypes: a fed value, mixed op inputs, a custom kernel's output")
    func wrongDTypes() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let mixed = g.add(g.constant([1, 2] as [Int32]), g.constant([1, 2] as [Float]), name: "mixed")
        let liar = g.customOp(name: "liar", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in [NDArray(Int32(1))] }[0]
        let session = Session(graph: g)
        expectSessionError(naming: ["x:0", "abc"]) { _ = try session.run(x, feeds: [x: ["abc", "1"] as [String]]) }
        expectSessionError(naming: ["mixed"]) { _ = try session.run(mixed) }
        let error = expectSessionError(naming: ["liar", "int32"]) { _ = try session.run(liar) }
        guard case .opFailed(op: "liar", _)? = error else { Issue.record("expected opFailed(liar), got \(String(describing: error))"); return }
        expectStillUsable(session)
    }

    @Test("wrong names: a missing op, a missing output, a malformed name, a feed key naming nothing")
    func wrongNames() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let session = Session(graph: g)
        expectSessionError(naming: ["nope:0"]) { _ = try session.run("nope:0") }
        expectSessionError(naming: ["x:3"]) { _ = try session.run("x:3") }
        expectSessionError(naming: ["nope"]) { _ = try session.run("nope") }
        for malformed in ["x:", ":0", "x:-1", "x:abc", "", "x:0:0"] {
            expectSessionError(naming: [malformed.isEmpty ? "''" : malformed]) { _ = try session.run(malformed) }
        }
        expectSessionError(naming: ["nope:0"]) { _ = try session.run(x, feeds: ["nope:0": Float(1)]) }
        expectSessionError(naming: ["x:9"]) { _ = try session.run(x, feeds: ["x:9": Float(1)]) }
        expectStillUsable(session)
    }

    @Test("wrong structures: a nested fetch with one bad leaf, a structured feed of the wrong length")
    func wrongStructures() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let y = g.placeholder(.float32, shape: [], name: "y")
        let session = Session(graph: g)
        expectSessionError(naming: ["missing:0"]) {
            _ = try session.run(fetch: .dict(["ok": .list([.tensor(x)]), "bad": .list([.name("missing:0")])]), feeds: [x: Float(1)])
        }
        expectSessionError(naming: ["'x'", "float"]) { _ = try session.run(fetch: .list([.tensor(x), .tensor(y)]), feeds: [y: Float(1)]) }
        expectStillUsable(session)
    }

    @Test("elements of another graph: a fetch, a feed key, a control dependency")
    func otherGraphs() {
        let g = Graph()
        let other = Graph()
        let foreign = other.placeholder(.float32, shape: [], name: "foreign")
        let x = g.placeholder(.float32, shape: [], name: "x")
        let session = Session(graph: g)
        expectSessionError(naming: ["foreign"]) { _ = try session.run(foreign, feeds: [foreign: Float(1)]) }
        expectSessionError(naming: ["foreign"]) { _ = try session.run(x, feeds: [x: Float(1), foreign: Float(2)]) }
        expectSessionError(naming: ["foreign"]) { try session.run(foreign.op) }
        expectStillUsable(session)
    }

    @Test("an op built from another graph's tensor fails the run that needs it, naming the op and the stranger")
    func opMixingGraphs() {
        let g = Graph()
        let other = Graph()
        let mixed = g.add(g.constant(Float(1)), other.constant(Float(2)), name: "mixed")
        let session = Session(graph: g)
        expectSessionError(naming: ["mixed"]) { _ = try session.run(mixed) }
        expectStillUsable(session)
    }

    @Test("huge and negative dimensions: placeholders, values, fills, reshapes")
    func hugeAndNegativeDimensions() {
        let g = Graph()
        let dims = g.placeholder(.int64, shape: [2], name: "dims")
        let filled = g.fill(dims, value: g.constant(Float(1)), name: "filled")
        let x = g.placeholder(.float32, name: "x")
        let reshaped = g.reshape(x, [-3, 2], name: "reshaped")
        let huge = g.zeros(shape: [1 << 40, 1 << 40], name: "huge")
        let session = Session(graph: g)
        expectSessionError(naming: ["filled"]) { _ = try session.run(filled, feeds: [dims: [1 << 40, 1 << 40] as [Int64]]) }
        expectSessionError(naming: ["filled"]) { _ = try session.run(filled, feeds: [dims: [-1, 2] as [Int64]]) }
        expectSessionError(naming: ["reshaped"]) { _ = try session.run(reshaped, feeds: [x: [1, 2, 3, 4] as [Float]]) }
        expectSessionError(naming: ["huge"]) { _ = try session.run(huge) }
        // Found by the fuzzer: 3 × 2^42 floats (52 TB) fit in an Int but not in any machine; the kernel trapped.
        let enormous = g.fill([1 << 42, 1, 3], value: Float(1), name: "enormous")
        expectSessionError(naming: ["enormous", "OOM when allocating tensor with shape[4398046511104,1,3]"]) {
            _ = try session.run(enormous)
        }
        // Found by the fuzzer: Fill's shape inference built an array of count -5 from the dims' static shape.
        let negative = g.placeholder(.int64, shape: [-5], name: "negative")
        let fromNegative = g.fill(negative, value: g.constant(Float(1)), name: "fromNegative")
        #expect(sessionError { _ = try session.run(fromNegative, feeds: [negative: [1, 2] as [Int64]]) } != nil)
        // Found by the fuzzer: a shape vector whose static length is 2^40 made reshape's and fill's shape inference
        // allocate 2^40 unknown dimensions; no tensor has more than 254, so the op is invalid.
        let longDims = g.fill([1 << 40], value: Int32(1), name: "longDims")
        let longReshape = g.reshape(g.constant([Float(1)]), longDims, name: "longReshape")
        let longFill = g.fill(longDims, value: g.constant(Float(1)), name: "longFill")
        expectSessionError(naming: ["longReshape", "at most 254 dimensions"]) { _ = try session.run(longReshape) }
        expectSessionError(naming: ["longFill", "at most 254 dimensions"]) { _ = try session.run(longFill) }
        // Found by the fuzzer: an empty tensor may have huge dimensions. Concat walked its 2^40 rows (hours), and
        // element counts multiplied left to right trapped on 2^40 × 2^40 × 0.
        let emptyRows = g.fill([1 << 40, 0], value: Float(1), name: "emptyRows")
        let joined = g.concat([emptyRows, emptyRows], axis: 1, name: "joined")
        let wideEmpty = g.fill([1 << 40, 1 << 40, 0], value: Int32(1), name: "wideEmpty")
        let sumOfEmpty = g.add(wideEmpty, g.constant(Int32(1)), name: "sumOfEmpty")
        #expect((try? session.run(joined).dimensions) == [1 << 40, 0])
        #expect((try? session.run(sumOfEmpty).dimensions) == [1 << 40, 1 << 40, 0])
        let reducedEmpty = g.reduceSum(wideEmpty, axes: [2], name: "reducedEmpty")
        let reducedAll = g.reduceMean(g.cast(wideEmpty, to: .float32), axes: [0, 2], name: "reducedAll")
        expectSessionError(naming: ["reducedEmpty", "OOM when allocating"]) { _ = try session.run(reducedEmpty) }
        expectSessionError(naming: ["reducedAll", "OOM when allocating"]) { _ = try session.run(reducedAll) }
        #expect((try? session.run(g.reduceMax(emptyRows, axes: [0])).dimensions) == [0])
        #expect(TensorShape(unknownDimensions: 3) == [nil, nil, nil])
        #expect(TensorShape(unknownDimensions: 1 << 40) == .unknown)
        #expect(TensorShape(unknownDimensions: -1) == .unknown)
        expectSessionError(naming: ["-2"]) { _ = try NDArray(shape: [-2], scalars: [Float]()) }
        expectSessionError(naming: ["elements"]) { _ = try NDArray(shape: [Int.max, 2], scalars: [Float]()) }
        expectStillUsable(session)
    }

    @Test("NaN, infinity and overflow in conversions name the value and the tensor")
    func nanAndOverflow() {
        let g = Graph()
        let i = g.placeholder(.int32, shape: [], name: "i")
        let b = g.placeholder(.bool, shape: [], name: "b")
        let session = Session(graph: g)
        expectSessionError(naming: ["i:0", "nan"]) { _ = try session.run(i, feeds: [i: Float.nan]) }
        expectSessionError(naming: ["i:0", "inf"]) { _ = try session.run(i, feeds: [i: Double.infinity]) }
        expectSessionError(naming: ["i:0", "9223372036854775807"]) { _ = try session.run(i, feeds: [i: Int64.max]) }
        expectSessionError(naming: ["i:0", "3000000000"]) { _ = try session.run(i, feeds: [i: 3e9]) }
        expectSessionError(naming: ["b:0", "2"]) { _ = try session.run(b, feeds: [b: Int32(2)]) }
        expectStillUsable(session)
    }

    @Test("RunOptions out of range name the field")
    func runOptionsOutOfRange() {
        let g = Graph()
        let a = g.constant(Float(1))
        let session = Session(graph: g)
        expectSessionError(naming: ["inter_op_thread_pool", "7"]) { _ = try session.run(a, options: RunOptions(interOpThreadPool: 7)) }
        expectSessionError(naming: ["inter_op_thread_pool", "-2"]) { _ = try session.run(a, options: RunOptions(interOpThreadPool: -2)) }
        expectStillUsable(session)
    }

    @Test("a huge timeout waits (practically) forever instead of trapping")
    func hugeTimeout() throws {
        let g = Graph()
        let a = g.constant(Float(1))
        let session = Session(graph: g)
        #expect(try session.run(a, options: RunOptions(timeoutInMs: .max)) == NDArray(Float(1)))
        #expect(try session.run(a, options: RunOptions(timeoutInMs: 1 << 50)) == NDArray(Float(1)))
    }

    @Test("malformed protobuf bytes: RunOptions and RunMetadata decoding throws a typed error, never traps")
    func malformedProtobuf() throws {
        let samples: [[UInt8]] = [
            [0xFF],                                  // a field tag with no end
            [0x08],                                  // field 1 with its varint missing
            [0x0A, 0x05, 0x01],                      // field 1, length 5, one byte
            [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],    // a length of 4 GiB
            [0x08] + [UInt8](repeating: 0xFF, count: 11),  // an overlong varint
            [0x07, 0x00],                            // wire type 7 does not exist
        ]
        for bytes in samples {
            #expect(throws: BinaryDecodingError.self, "RunOptions from \(bytes)") { _ = try RunOptions(serializedBytes: bytes) }
            #expect(throws: BinaryDecodingError.self, "RunMetadata from \(bytes)") { _ = try RunMetadata(serializedBytes: bytes) }
        }
    }

    @Test("a trace level no TensorFlow version defines is rejected by run, naming the field")
    func unknownTraceLevel() throws {
        let options = try RunOptions(serializedBytes: [0x08, 0x63])   // field 1 (trace_level) = 99
        let g = Graph()
        let session = Session(graph: g)
        expectSessionError(naming: ["trace_level", "99"]) { _ = try session.run(g.constant(Float(1)), options: options) }
        expectStillUsable(session)
    }

    @Test("partial runs misused: a fetch not declared, a feed fed twice, an unknown handle")
    func partialRunMisuse() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let y = g.add(x, g.constant(Float(1)), name: "y")
        let z = g.mul(x, g.constant(Float(2)), name: "z")
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        let w = g.placeholder(.float32, shape: [], name: "w")
        let handle = try session.partialRunSetup(fetches: [y, g.add(w, x, name: "later")], feeds: [x, w])
        expectSessionError(naming: ["z:0"]) { _ = try session.partialRun(handle, fetches: z, feeds: [x: Float(1)]) }
        _ = try session.partialRun(handle, fetches: y, feeds: [x: Float(1)])
        expectSessionError(naming: ["x:0"]) { _ = try session.partialRun(handle, fetches: [Tensor](), feeds: [x: Float(1)]) }
        let other = Session(graph: g, options: SessionOptions(policy: .callerThread))
        expectSessionError({ _ = try other.partialRun(handle, fetches: y) }) { if case .invalidPartialRun = $0 { true } else { false } }
        expectStillUsable(session)
    }

    @Test("a closed session names itself closed for every entry point")
    func closedSession() {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let session = Session(graph: g)
        session.close()
        for call in [{ _ = try session.run(x, feeds: [x: Float(1)]) }, { _ = try session.run("x:0") },
                     { _ = try session.partialRunSetup(fetches: [x], feeds: [x]) }] as [() throws -> Void] {
            expectSessionError(call) { if case .closed = $0 { true } else { false } }
        }
    }
}
