import Foundation

/// A file a command will write, checked when the command starts, so that a long run does not fail at its very end
/// because of a mistyped directory.
///
///     let timeline = try OutputFile("/tmp/t.json", option: "--timeline")   // checks /tmp exists and is writable
///     try timeline.write("{}")                                             // after the work
struct OutputFile {
    /// The path as given.
    let path: String
    /// The option or argument that named it, for messages (`--timeline`, `OUT.json`).
    let option: String
    private let url: URL

    /// Checks that `path` names a file that can be created or replaced: not a directory, in a directory that
    /// exists and is writable.
    ///
    /// - Throws: ``CommandLineError`` naming the option, the path and what is wrong with it.
    init(_ path: String, option: String) throws(CommandLineError) {
        self.path = path
        self.option = option
        guard !path.isEmpty else { throw CommandLineError("\(option) needs a file path") }
        url = URL(fileURLWithPath: path)
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw CommandLineError("\(option) \(path) is a directory") }
            guard files.isWritableFile(atPath: url.path) else {
                throw CommandLineError("\(option) \(path) exists and is not writable")
            }
            return
        }
        let parent = url.deletingLastPathComponent().path
        guard files.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandLineError("\(option) \(path): directory \(parent) does not exist")
        }
        guard files.isWritableFile(atPath: parent) else {
            throw CommandLineError("\(option) \(path): directory \(parent) is not writable")
        }
    }

    /// Writes `bytes`, replacing the file atomically (a reader never sees half of it).
    ///
    /// - Throws: ``CommandLineError`` naming the file and the system's reason.
    func write(_ bytes: Data) throws(CommandLineError) {
        do {
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw CommandLineError("cannot write \(option) \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `bytes`.
    func write(_ bytes: [UInt8]) throws(CommandLineError) {
        try write(Data(bytes))
    }

    /// Writes `text` as UTF-8.
    func write(_ text: String) throws(CommandLineError) {
        try write(Data(text.utf8))
    }
}
