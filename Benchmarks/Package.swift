// swift-tools-version: 6.1
// ActorFlow's ordo-one/benchmark suites: a package of their own (as swift-nio does), so the root's `swift build`
// and `swift test` never compile the benchmark stack. Not built by CI. Run from this folder:
//     swift package benchmark                      (first run builds BenchmarkTool, a few minutes)
//     swift package benchmark --filter 'chain.*'

import PackageDescription

let package = Package(
    name: "benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named: a bare path dependency's identity is the clone's folder name, which differs between checkouts.
        .package(name: "ActorFlow", path: "../"),
        // Naming the traits turns off the default RuntimeInterposer, whose package is not in the local mirror
        // (STYLE.md §4); malloc counts still work through MallocInterposer.
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Per-node cost of the scheduling shapes under each policy, on dedicated pools of 1 and 2 workers.
        .executableTarget(
            name: "ExecutorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ActorFlow", package: "ActorFlow"),
                .product(name: "ActorFlowWorkloads", package: "ActorFlow"),
            ],
            path: "Benchmarks/ExecutorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Node-local buffers: a first-touch Swift array vs numa_alloc_onnode, 4 KiB to 16 MiB (README, "Node-local memory").
        .executableTarget(
            name: "NUMAAllocationBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ActorFlow", package: "ActorFlow"),
            ],
            path: "Benchmarks/NUMAAllocationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Session.run overhead on a 1-op graph, untraced and fully traced.
        .executableTarget(
            name: "SessionBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ActorFlow", package: "ActorFlow"),
            ],
            path: "Benchmarks/SessionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
