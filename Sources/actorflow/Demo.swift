import ActorFlow
import ArgumentParser

extension ActorFlowCommand {
    /// `actorflow demo`: a two-layer perceptron forward pass on fed data.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a two-layer perceptron forward pass on fed data and print the result.")

        @Option(help: "Rows of input to feed.")
        var batch: Int = 4

        func validate() throws {
            guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
        }

        func run() throws {
            let model = Perceptron(inputs: 3, hidden: 8, classes: 2, seed: 7)
            let session = Session(graph: model.graph)
            try session.run(model.graph.globalVariablesInitializer())

            let rows = (0..<batch).map { r in (0..<3).map { c in Float((r * 3 + c) % 7) / 3 - 1 } }
            var metadata = RunMetadata()
            let probabilities = try session.run(
                model.probabilities, feeds: [model.input: rows],
                options: RunOptions(traceLevel: .softwareTrace), metadata: &metadata)

            print("ActorFlow demo: 2-layer perceptron (3 → 8 → 2), batch \(batch)")
            print("input:")
            for row in rows { print("  " + row.map { formatted($0) }.joined(separator: "  ")) }
            print("class probabilities (softmax):")
            let p = try probabilities.scalars(as: Float.self)
            for r in 0..<batch { print("  " + p[(r * 2)..<(r * 2 + 2)].map { formatted($0) }.joined(separator: "  ")) }
            let ops = model.graph.operations.count
            print("graph: \(ops) ops; the run executed \(metadata.stepStats.devStats.reduce(0) { $0 + $1.nodeStats.count }) of them")
        }

        private func formatted(_ x: Float) -> String {
            let s = String(Double((x * 1000).rounded()) / 1000)
            return String(repeating: " ", count: max(0, 7 - s.count)) + s
        }
    }
}

/// The demo's model: `softmax(relu(x·W1 + b1)·W2 + b2)` with seeded weights in variables.
struct Perceptron {
    let graph = Graph()
    let input: Tensor
    let probabilities: Tensor

    init(inputs: Int, hidden: Int, classes: Int, seed: UInt64) {
        var state = seed
        func weights(_ rows: Int, _ cols: Int) -> NDArray {
            let values = (0..<(rows * cols)).map { _ -> Float in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int(state >> 40) % 2000 - 1000) / 1000
            }
            return try! NDArray(shape: [rows, cols], scalars: values)
        }
        let g = graph
        let x = g.placeholder(.float32, shape: [nil, inputs], name: "x")
        let w1 = g.variable(initialValue: weights(inputs, hidden), name: "w1")
        let b1 = g.variable(initialValue: NDArray([Float](repeating: 0.1, count: hidden)), name: "b1")
        let w2 = g.variable(initialValue: weights(hidden, classes), name: "w2")
        let b2 = g.variable(initialValue: NDArray([Float](repeating: 0, count: classes)), name: "b2")
        let h = g.withNameScope("layer1") { g.relu(g.add(g.matMul(x, w1.value), b1.value)) }
        let logits = g.withNameScope("layer2") { g.add(g.matMul(h, w2.value), b2.value) }
        input = x
        probabilities = g.softmax(logits, name: "probabilities")
    }
}
