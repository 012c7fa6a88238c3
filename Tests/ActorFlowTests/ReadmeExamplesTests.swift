import ActorFlow
import ActorFlowTestSupport
import Foundation
import Testing

/// Every Swift block of README.md, verbatim, compiled and run; and a check that the README has no other.
///
/// Each test holds one block between `// README begin` and `// README end`; assertions after the block check
/// what its comments claim.
@Suite("README examples")
struct ReadmeExamplesTests {

    @Test func buildAGraph() throws {
        // README begin


        let g = Graph()
        let a = g.constant([10, 20] as [Int32])                        // Tensor "Const:0", int32, shape (2,)
        let b = g.constant(Float(2), name: "b")                        // every op takes an optional name
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")    // nil dimensions are wildcards
        let w = g.constant([[1], [2]] as [[Float]])
        let y = g.matMul(x, w, name: "y")                              // ops are Graph methods returning Tensor
        let z = g.add(y, b)                                            // NumPy broadcasting: (?, 1) + ()
        print(a.name, z.name, z.shape, z.dtype)                        // Const:0 Add:0 (?, 1) float
        // README end
        #expect(a.name == "Const:0" && z.name == "Add:0" && z.shape == [nil, 1] && z.dtype == .float32)
    }

    @Test func runIt() throws {
        // README begin
        let g = Graph()
        let a = g.constant([10, 20] as [Int32])
        let b = g.constant(Float(2), name: "b")
        let session = Session(graph: g)

        let v: NDArray = try session.run(a)                        // one fetch → its value
        let (va, vb) = try session.run(a, b)                       // several → a tuple
        let list: [NDArray] = try session.run([a, b])              // an array → an array
        let dict = try session.run(["k1": [a], "k2": [a, b]])      // [String: [NDArray]]
        print(try v.scalars(as: Int32.self), try vb.scalar(as: Float.self))   // [10, 20] 2.0
        print(va == list[0], dict["k2"]!.count)                    // true 2
        try session.run(a.op)                                       // an Operation → Void (TF returns None)
        let ops: [GraphOperation] = [a.op, b.op]                    // Operation's other name (Foundation has an Operation)
        let byName = try session.run("b:0")                         // "op:0" fetches a tensor, "op" runs an op
        print(byName)                                               // 2.0
        session.close()
        // README end
        #expect(try v.scalars(as: Int32.self) == [10, 20] && vb == NDArray(Float(2)) && va == list[0])
        #expect(dict["k2"]?.count == 2 && byName == .tensor(NDArray(Float(2))))
        #expect(ops.map(\.name) == ["Const", "b"])
    }

    @Test func feedIt() throws {
        // README begin
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let z = g.add(g.matMul(x, g.constant([[1], [2]] as [[Float]])), g.constant(Float(2)))
        let session = Session(graph: g)

        let r = try session.run(z, feeds: [x: [[1, 2], [3, 4]] as [[Float]]])      // keyed by Tensor
        let r2 = try session.run(z, feeds: ["x:0": NDArray([[1, 2]] as [[Float]])])  // or by name
        print(r, r2)                                                               // [[7.0], [13.0]] [[7.0]]
        // README end
        #expect(try r == NDArray([[7], [13]] as [[Float]]))
        #expect(try r2 == NDArray([[7]] as [[Float]]))
    }

    @Test func whenSomethingIsWrong() throws {
        // The block's `print`s go to this list, so the test checks what the README says they print.
        var printed: [String] = []
        func print(_ item: Any) { printed.append("\(item)") }
        // README begin
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        let session = Session(graph: g)
        do {
            _ = try session.run(x, feeds: [x: [1, 2, 3] as [Float]])
        } catch {
            print(error)   // Cannot feed value of shape (3,) for Tensor x:0, which has shape (2,)
        }
        print(try session.run(x, feeds: [x: [1, 2] as [Float]]))   // [1.0, 2.0]: the session is still fine
        // README end
        #expect(printed == ["Cannot feed value of shape (3,) for Tensor x:0, which has shape (2,)", "[1.0, 2.0]"])
        expectSessionError({ _ = try session.run(x, feeds: [x: [1, 2, 3] as [Float]]) }) { error in
            if case .shapeMismatch("x:0", [2], [3]) = error { true } else { false }
        }
    }

    @Test func stateControlSparseHandlesCustomOps() throws {
        // README begin
        let g = Graph()
        let a = g.constant(Float(1))
        let cnt = g.variable(initialValue: NDArray(Float(0)), name: "cnt")   // a Variable; cnt.value is a Tensor
        let inc = g.assignAdd(cnt, g.constant(Float(1)))                      // also g.assign(cnt, t)
        let after = g.withControlDependencies([inc.op]) { g.identity(a) }     // runs after `inc`
        let session = Session(graph: g)
        try session.run(g.globalVariablesInitializer())
        _ = try session.run(after)
        print(try session.run(cnt))                                            // 1.0

        let sp = g.sparseTensor(
            indices: g.constant([[0, 0], [1, 2]] as [[Int64]]), values: g.constant([1, 2] as [Float]),
            denseShape: g.constant([2, 3] as [Int64]))
        print(try session.run(g.sparseToDense(sp)))                            // [[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]

        let h = g.getSessionHandle(g.constant(Float(10)))                     // fetch → TensorHandle, kept in the session
        let q = g.placeholder(.float32)
        let handle = try session.run(h)
        print(try session.run(g.mul(q, g.constant(Float(3))), feeds: [q: handle]))   // 30.0

        let doubled = g.customOp(name: "double", inputs: [a], outputs: [(.float32, TensorShape.scalar)]) { inputs in
            [NDArray(try inputs[0].scalar(as: Float.self) * 2)]                // runs on the executor like any op
        }
        print(try session.run(doubled[0]))                                     // 2.0
        // README end
        #expect(try session.run(cnt) == NDArray(Float(1)))
        #expect(try session.run(doubled[0]) == NDArray(Float(2)))
    }

    @Test func runOptionsAndMetadata() throws {
        // README begin
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let z = g.add(g.matMul(x, g.constant([[1], [2]] as [[Float]]), name: "y"), g.constant(Float(2)))
        let session = Session(graph: g)

        var md = RunMetadata()
        _ = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]],
                            options: RunOptions(traceLevel: .fullTrace), metadata: &md)
        for s in md.stepStats.devStats[0].nodeStats {
            print(s.nodeName, s.opEndRelNanos - s.opStartRelNanos, "ns on thread", s.threadID)
        }
        let bytes = try md.serializedData()                           // TensorFlow's wire format
        _ = try RunMetadata(serializedBytes: bytes)
        let timeline = ChromeTraceExporter().json(for: md)           // Chrome/Perfetto JSON: real thread lanes, dataflow arrows
        print(timeline.hasPrefix("{"))                                 // true
        _ = RunOptions(timeoutInMs: 200)                               // a step past its deadline throws deadlineExceeded
        // README end
        #expect(md.stepStats.devStats[0].nodeStats.count == 4 && timeline.contains("traceEvents"))
    }

    @Test func memoryOfTracedValues() throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil, 2], name: "x")
        let z = g.add(g.matMul(x, g.constant([[1], [2]] as [[Float]]), name: "y"), g.constant(Float(2)))
        let session = Session(graph: g)
        // README begin
        let traced = try session.run(z, feeds: [x: [[1, 2]] as [[Float]]], options: RunOptions(traceLevel: .softwareTrace))
        print(traced.numaNode ?? -1, traced.allocationID ?? 0)       // e.g. 0 17: its buffer's NUMA node and id
        print(try session.run(z, feeds: [x: [[1, 2]] as [[Float]]]).numaNode as Any)   // nil: untraced runs track nothing
        // README end
        #expect(traced.numaNode.map { node in WorkStealingExecutor.shared.topology.nodes.contains { $0.id == node } } == true)
        #expect(traced.allocationID != nil)
        #expect(try session.run(z, feeds: [x: [[1, 2]] as [[Float]]]).numaNode == nil)
    }

    @Test func schedulingPolicies() throws {
        // README begin
        let g = Graph()
        let t = g.reduceSum(g.square(g.constant([1, 2, 3] as [Float])))
        for policy in SchedulingPolicy.all where policy != .swiftDefault {
            let session = Session(graph: g, options: SessionOptions(policy: policy))
            print(policy, try session.run(t))                        // ws-numa 14.0, ws 14.0, global 14.0, caller 14.0
        }
        let pool = WorkStealingExecutor(workers: 1)                   // a pool of its own, e.g. to compare worker counts
        let single = Session(graph: g, options: SessionOptions(executor: pool))
        print(try single.run(t), pool.workerDescriptions.map(\.name))  // 14.0 ["af-w0-n0"]
        pool.shutdown()
        // README end
        #expect(pool.isShutDown)
    }

    @Test func flightRecorder() throws {
        // README begin
        let g = Graph()
        let t = g.add(g.constant(Float(1), name: "one"), g.constant(Float(2), name: "two"), name: "sum")
        let session = Session(graph: g, options: SessionOptions(flightRecorderSteps: 16))
        _ = try session.run(t)                                           // untraced: no RunMetadata asked for
        for md in session.flightRecord() {                               // the last 16 steps, oldest first
            print(md.stepStats.devStats[0].nodeStats.map(\.nodeName))    // e.g. ["one", "two", "sum"]
        }
        // README end
        #expect(session.flightRecord().count == 1)
        #expect(Set(session.flightRecord()[0].stepStats.devStats[0].nodeStats.map(\.nodeName)) == ["one", "two", "sum"])
    }

    @Test func asyncKernels() throws {
        var printed: [String] = []
        func print(_ item: Any) { printed.append("\(item)") }
        // README begin
        let g = Graph()
        let a = g.constant(Float(1))
        let fetched = g.asyncCustomOp(name: "fetch", inputs: [a], outputs: [(.float32, TensorShape.scalar)]) { inputs, ctx in
            try await ctx.sleep(for: .milliseconds(20))         // the worker runs other ops meanwhile
            try Task.checkCancellation()                         // a failed, timed-out or closed step cancels the kernel
            return [NDArray(try inputs[0].scalar(as: Float.self) + 1)]
        }
        let twice = g.mul(fetched[0], g.constant(Float(2)))
        print(try Session(graph: g).run(twice))                  // 4.0
        // README end
        #expect(printed == ["4.0"])
    }

    @Test func intraOpParallelism() throws {
        // README begin
        let g = Graph()
        let x = g.constant((1...1_000_000).map { Float($0) })
        let sumOfSquares = g.customOp(name: "sumsq", inputs: [x], outputs: [(.float64, [])]) { inputs, ctx in
            let v = try inputs[0].scalars(as: Float.self)
            let total = try ctx.parallelReduce(0..<v.count, grain: 65_536, initial: 0.0) { chunk in
                var s = 0.0
                for i in chunk { s += Double(v[i]) * Double(v[i]) }
                return s
            } combine: { $0 + $1 }                                    // chunk order: the same bits on any pool
            return [NDArray(total)]
        }[0]
        let product = g.matMul(g.fill([512, 512], value: Float(1)), g.fill([512, 512], value: Float(0.5)))  // splits itself
        let session = Session(graph: g, options: SessionOptions(intraOpParallelism: 0))  // 0: every worker; 1: off
        print(try session.run(sumOfSquares), try session.run(g.reduceMax(product)))   // ≈3.3333383e+17 256.0
        // README end
        let exact = 1_000_000.0 * 1_000_001.0 * 2_000_001.0 / 6
        #expect(abs(try session.run(sumOfSquares).scalar(as: Double.self) - exact) <= 1e-12 * exact)
        #expect(try session.run(g.reduceMax(product)).scalar(as: Float.self) == 256)
    }

    @Test func placement() throws {
        // README begin
        let g = Graph()
        let x = g.placeholder(.float32, shape: [1, 2], name: "x")
        let y = g.withDevice("/job:worker/task:1") { g.matMul(x, g.constant([[1], [2]] as [[Float]]), name: "y") }
        let z = g.add(y, g.constant(Float(1)), name: "z")              // unplaced: the client's task
        print(y.op.device)                                             // /job:worker/task:1
        var md = RunMetadata()
        _ = try Session(graph: g).run(z, feeds: [x: [[3, 4]] as [[Float]]],
                                      options: RunOptions(outputPartitionGraphs: true), metadata: &md)
        print(md.partitionGraphs.map { $0.node.map(\.op) })
        // [["_Arg", "_Send", "Const", "_Recv", "Add", "_Retval"], ["Const", "_Recv", "MatMul", "_Send"]]
        // README end
        #expect(y.op.device == "/job:worker/task:1")
        #expect(md.partitionGraphs.map { $0.node.map(\.op) }
            == [["_Arg", "_Send", "Const", "_Recv", "Add", "_Retval"], ["Const", "_Recv", "MatMul", "_Send"]])
    }

    @Test("every Swift block of README.md appears in this file")
    func readmeBlocksAreTested() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: here, encoding: .utf8)
        func normalized(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
        }
        let sourceLines = normalized(source)
        let blocks = readme.components(separatedBy: "```swift\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        #expect(blocks.count == 12)
        for block in blocks {
            let lines = normalized(block)
            let found = sourceLines.indices.contains { start in
                start + lines.count <= sourceLines.count && Array(sourceLines[start..<(start + lines.count)]) == lines
            }
            #expect(found, "README block not in ReadmeExamplesTests.swift:\n\(block)")
        }
    }
}
