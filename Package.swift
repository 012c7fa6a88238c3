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
        .target(name: "ActorFlowExecutor", swiftSettings: sharedSwiftSettings),

        // MARK: Tracing
        // lttng-ust, the `actorflow` provider (C, see Tracing/README.md) and its one Swift door. The provider's
        // LTTNG_UST_TRACEPOINT_INCLUDE header stays outside include/ and is found through the "." search path.
        .systemLibrary(
            name: "CLTTngUST",
            path: "Tracing/CLTTngUST",
            pkgConfig: "lttng-ust",
            providers: [.apt(["liblttng-ust-dev"])]
        ),
        .target(
            name: "CActorFlowTracepoints",
            dependencies: ["CLTTngUST"],
            path: "Tracing/CActorFlowTracepoints",
            cSettings: [.headerSearchPath(".")]
        ),
        .target(
            name: "ActorFlowTracing",
            dependencies: ["CActorFlowTracepoints"],
            swiftSettings: sharedSwiftSettings + [.strictMemorySafety()]
        ),
        // A child process for the tests: emits a scripted sequence (or measures the door's cost) while a private
        // lttng session records it.
        .executableTarget(
            name: "ActorFlowTracingProbe",
            dependencies: ["ActorFlowTracing"],
            path: "Tests/ActorFlowTracingProbe",
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "ActorFlowTracingTests",
            dependencies: ["ActorFlowTracing", "ActorFlowTracingProbe"],
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
