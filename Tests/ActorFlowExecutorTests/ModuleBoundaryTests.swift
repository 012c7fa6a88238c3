import Foundation
import Testing

/// The executor links the tracepoints, the trace gate and the clock (ActorFlowTraceEvents), not step statistics:
/// nothing it depends on, directly or not, pulls in ActorFlowProto or swift-protobuf.
@Suite("ActorFlowExecutor's dependencies")
struct ModuleBoundaryTests {
    /// The package's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Each target's dependencies as `swift package dump-package` lists them: target names, and products as
    /// `product:<name>`.
    static func targetDependencies() throws -> [String: [String]] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("actorflow-dump-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A scratch path of its own: the manifest is read without waiting for the lock of the build running the tests.
        process.arguments = ["swift", "package", "--package-path", root.path, "--scratch-path", scratch.path, "dump-package"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "swift package dump-package failed")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        var dependencies: [String: [String]] = [:]
        for target in targets {
            guard let name = target["name"] as? String else { continue }
            let listed = target["dependencies"] as? [[String: Any]] ?? []
            dependencies[name] = listed.compactMap { entry in
                if let byName = entry["byName"] as? [Any], let dep = byName.first as? String { return dep }
                if let target = entry["target"] as? [Any], let dep = target.first as? String { return dep }
                if let product = entry["product"] as? [Any], let dep = product.first as? String { return "product:\(dep)" }
                return nil
            }
        }
        return dependencies
    }

    @Test("the executor's dependency closure has no ActorFlowProto, ActorFlowTracing or swift-protobuf")
    func executorBuildsWithoutProtobuf() throws {
        let graph = try Self.targetDependencies()
        try #require(graph["ActorFlowExecutor"] != nil, "the manifest lists ActorFlowExecutor")
        var seen: Set<String> = []
        var pending = ["ActorFlowExecutor"]
        while let next = pending.popLast() {
            for dep in graph[next] ?? [] where seen.insert(dep).inserted { pending.append(dep) }
        }
        #expect(seen.contains("ActorFlowTraceEvents"))
        #expect(!seen.contains("ActorFlowProto") && !seen.contains("ActorFlowTracing"), "\(seen.sorted())")
        #expect(!seen.contains("product:SwiftProtobuf"), "\(seen.sorted())")
        // ActorFlowTracing, above, still has both.
        #expect(graph["ActorFlowTracing"]?.contains("ActorFlowProto") == true)
    }
}
