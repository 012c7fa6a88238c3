import ActorFlow
import Benchmark

/// Node-local memory for an op's output, two ways, on a thread pinned to the first CPU of NUMA node 0 (as a pool
/// worker is): a Swift array filled there (malloc + first touch, what NDArray storage does) and
/// `numa_alloc_onnode` + fill + `numa_free`. One sample is one buffer allocated, written in full and freed;
/// throughput × size is the bandwidth. Not run by CI; the README's "Node-local memory" paragraph has the figures.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        timeUnits: .nanoseconds,
        warmupIterations: 20,
        maxDuration: .seconds(2),
        maxIterations: 20_000
    )
    let node = Topology.current().nodes[0]
    let sizes: [(name: String, bytes: Int)] = [("4KiB", 4 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20), ("16MiB", 16 << 20)]
    for strategy in NodeLocalBuffer.Strategy.allCases {
        for size in sizes {
            Benchmark("\(strategy.rawValue).\(size.name)") { benchmark in
                _ = NodeLocalBuffer.pinCallingThread(to: node.cpus[0])
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(strategy.allocateFillFree(bytes: size.bytes, node: node.id))
                }
            }
        }
    }
}
