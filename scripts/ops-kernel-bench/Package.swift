// swift-tools-version: 6.2
// Throughput of the ActorFlowOps kernels, called the way a session calls them (op.kernel.compute).
// Run from this folder: swift run -c release OpsKernelBench
// A nested package so the root's `swift build`/`swift test` never compile it.

import PackageDescription

let package = Package(
    name: "ops-kernel-bench",
    dependencies: [.package(name: "ActorFlow", path: "../..")],
    targets: [
        .executableTarget(
            name: "OpsKernelBench",
            dependencies: [.product(name: "ActorFlowOps", package: "ActorFlow")]
        )
    ],
    swiftLanguageModes: [.v6]
)
