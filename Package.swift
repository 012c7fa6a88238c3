// swift-tools-version: 6.2
// ActorFlow: a TensorFlow-1-style dataflow scheduler for Linux.
// Dependencies point down: C shims -> ActorFlowCore -> ActorFlowOps / ActorFlowExecutor / ActorFlowTracing -> ActorFlow -> CLI.

import PackageDescription

/// Settings every Swift target shares: Swift 6 mode is set package-wide below; these add the upcoming
/// features we rely on and the debug-only invariant checks (see ../shared/STYLE.md §3.13).
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
    .define("ACTORFLOW_INTERNAL_CHECKS", .when(configuration: .debug)),
]

let package = Package(
    name: "ActorFlow",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ActorFlow", targets: ["ActorFlow"]),
        .library(name: "ActorFlowOps", targets: ["ActorFlowOps"]),
    ],
    dependencies: [],
    targets: [
        // MARK: Vocabulary
        .target(name: "ActorFlowCore", swiftSettings: sharedSwiftSettings),
        .testTarget(name: "ActorFlowCoreTests", dependencies: ["ActorFlowCore"], swiftSettings: sharedSwiftSettings),

        // MARK: Kernels
        .target(name: "ActorFlowOps", dependencies: ["ActorFlowCore"], swiftSettings: sharedSwiftSettings),
        .testTarget(
            name: "ActorFlowOpsTests",
            dependencies: ["ActorFlowOps", "ActorFlow"],
            swiftSettings: sharedSwiftSettings
        ),

        // MARK: Executor
        .systemLibrary(name: "CNUMA", pkgConfig: "numa", providers: [.apt(["libnuma-dev"])]),
        .target(name: "CActorFlowLinux", cSettings: [.define("_GNU_SOURCE")]),
        .target(
            name: "ActorFlowExecutor",
            dependencies: ["CNUMA", "CActorFlowLinux"],
            swiftSettings: sharedSwiftSettings + [.strictMemorySafety()]
        ),
        .testTarget(
            name: "ActorFlowExecutorTests",
            dependencies: ["ActorFlowExecutor"],
            swiftSettings: sharedSwiftSettings
        ),

        // MARK: Public face
        .target(
            name: "ActorFlow",
            dependencies: ["ActorFlowCore", "ActorFlowOps", "ActorFlowExecutor"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(name: "ActorFlowTests", dependencies: ["ActorFlow"], swiftSettings: sharedSwiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
