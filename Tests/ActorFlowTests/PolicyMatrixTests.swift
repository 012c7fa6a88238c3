import ActorFlow
import ActorFlowTestSupport
import ActorFlowWorkloads
import Testing

/// The same graphs give the same results under every scheduling policy.
@Suite("Every policy computes the same results")
struct PolicyMatrixTests {
    /// A seeded random DAG of elementwise ops over small vectors; returns the graph, its sinks and the
    /// expected values computed by a sequential reference evaluation.
    static func randomDAG(seed: UInt64, nodes: Int) -> (Graph, [Tensor], [NDArray]) {
        var rng = WorkloadRandom(seed: seed)
        let g = Graph()
        var tensors: [Tensor] = []
        var values: [[Float]] = []
        for i in 0..<4 {
            let v = (0..<3).map { _ in Float(rng.next() % 7) - 3 }
            tensors.append(g.constant(v, name: "in\(i)"))
            values.append(v)
        }
        for _ in 0..<nodes {
            let a = Int(rng.next() % UInt64(tensors.count))
            let b = Int(rng.next() % UInt64(tensors.count))
            switch rng.next() % 4 {
            case 0:
                tensors.append(g.add(tensors[a], tensors[b]))
                values.append(zip(values[a], values[b]).map { $0 + $1 })
            case 1:
                tensors.append(g.sub(tensors[a], tensors[b]))
                values.append(zip(values[a], values[b]).map { $0 - $1 })
            case 2:
                tensors.append(g.maximum(tensors[a], tensors[b]))
                values.append(zip(values[a], values[b]).map { max($0, $1) })
            default:
                tensors.append(g.tanh(tensors[a]))
                values.append(values[a].map { Foundation_tanh($0) })
            }
        }
        let sinks = Array(tensors.suffix(5))
        return (g, sinks, values.suffix(5).map { NDArray($0) })
    }

    @Test("seeded random DAGs", arguments: allPolicies)
    func randomDAGs(policy: SchedulingPolicy) async throws {
        for seed in [1, 7, 42] as [UInt64] {
            let (g, sinks, expected) = Self.randomDAG(seed: seed, nodes: 300)
            let session = Session(graph: g, options: SessionOptions(policy: policy))
            for _ in 0..<3 {
                let got = try await onPlainThread { try session.run(sinks) }
                for (a, b) in zip(got, expected) {
                    let x = try a.scalars(as: Float.self), y = try b.scalars(as: Float.self)
                    #expect(zip(x, y).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) }, "seed \(seed)")
                }
            }
        }
    }

    @Test("a 100k-node chain runs and releases without deep recursion", arguments: [SchedulingPolicy.callerThread, .default])
    func longChain(policy: SchedulingPolicy) throws {
        var g: Graph? = Graph()
        var t = g!.constant(Float(0))
        let one = g!.constant(Float(1))
        for _ in 0..<100_000 { t = g!.add(t, one) }
        var session: Session? = Session(graph: g!, options: SessionOptions(policy: policy))
        #expect(try session!.run(t) == NDArray(Float(100_000)))
        session = nil
        g = nil
        // `t` now holds the only reference to the head of a 100k-op chain: releasing it must not recurse.
        #expect(t.op.inputs.count == 2)
    }
}

import Foundation

func Foundation_tanh(_ x: Float) -> Float { Foundation.tanh(x) }
