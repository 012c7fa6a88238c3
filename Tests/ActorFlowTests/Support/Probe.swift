import ActorFlow
import ActorFlowTestSupport
import Synchronization

/// Counts how often an op ran: `probe.wrap(g, t)` returns a tensor equal to `t` that ticks the counter
/// each time its op runs, so tests can tell what a run executed.
final class Probe: Sendable {
    private let count = Mutex(0)

    var runs: Int { count.withLock { $0 } }

    func wrap(_ g: Graph, _ t: Tensor, name: String = "probe") -> Tensor {
        g.customOp(name: name, inputs: [t], outputs: [(t.dtype, t.shape)]) { [self] inputs in
            count.withLock { $0 += 1 }
            return inputs
        }[0]
    }

    /// An op with no inputs and no outputs that ticks the counter.
    func sideEffect(_ g: Graph, name: String = "effect") -> Operation {
        let out = g.customOp(name: name, inputs: [], outputs: [(.int32, TensorShape.scalar)]) { [self] _ in
            count.withLock { $0 += 1 }
            return [NDArray(Int32(0))]
        }
        return out[0].op
    }
}

import Testing

/// Every scheduling policy, for tests that must hold under each.
let allPolicies = SchedulingPolicy.all

func floats(_ v: NDArray) throws -> [Float] { try v.scalars(as: Float.self) }
