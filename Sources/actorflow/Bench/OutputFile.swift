import Foundation

/// Where `actorflow bench` writes its JSON, CSV and SVG, checked before the run so that a typo does not
/// cost a whole benchmark.
enum OutputFile {
    /// A file that cannot be written: the flag, the path and why.
    struct Failure: Error, CustomStringConvertible {
        let flag: String
        let path: String
        let reason: String

        var description: String { "\(flag): cannot write '\(path)': \(reason)" }
    }

    /// Throws unless `path`'s directory exists and is writable and `path` is not a directory.
    static func checkWritable(_ path: String, flag: String) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure(flag: flag, path: path, reason: "it is a directory")
        }
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw Failure(flag: flag, path: path, reason: "no directory '\(directory)'") }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw Failure(flag: flag, path: path, reason: "directory '\(directory)' is not writable")
        }
    }

    /// Writes `data` to `path`, replacing it.
    static func write(_ data: Data, to path: String, flag: String) throws(Failure) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw Failure(flag: flag, path: path, reason: error.localizedDescription)
        }
    }
}
