import ActorFlow
import Foundation

/// Reads a serialized `RunMetadata` (TensorFlow's protobuf bytes) for the `trace` subcommands, with one-line errors
/// that say what is wrong with the file.
///
///     let metadata = try TraceMetadataFile.read("/tmp/out.pb")
///     metadata.stepStats.devStats[0].nodeStats.count   // the ops the step ran
enum TraceMetadataFile {
    /// The metadata in `path`, which must hold step statistics.
    ///
    /// - Throws: ``CommandLineError`` when the file is missing or unreadable, is not a RunMetadata, or holds no
    ///   node records (an untraced run).
    static func read(_ path: String) throws(CommandLineError) -> RunMetadata {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandLineError("no such file: \(path)")
        }
        guard !isDirectory.boolValue else {
            throw CommandLineError(
                "\(path) is a directory; give a RunMetadata file (an LTTng trace directory goes to ctf-to-chrome or "
                    + "ctf-summary)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandLineError("cannot read \(path): \(error.localizedDescription)")
        }
        let metadata: RunMetadata
        do {
            metadata = try RunMetadata(serializedBytes: [UInt8](data))
        } catch {
            throw CommandLineError("\(path) is not a serialized RunMetadata (protobuf binary): \(error)")
        }
        let records = metadata.stepStats.devStats.reduce(0) { $0 + $1.nodeStats.count }
        guard records > 0 else {
            throw CommandLineError(
                "\(path) holds no step statistics; record them with `actorflow run WORKLOAD --trace software "
                    + "--run-metadata \(path)` or RunOptions(traceLevel: .softwareTrace)")
        }
        return metadata
    }
}
