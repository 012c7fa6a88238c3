/// A failure the command line reports as one line on standard error, `Error: <message>`, with exit status 1.
///
/// Throw it from `validate()` or `run()`: swift-argument-parser prints a `ValidationError` followed by the usage
/// text, but any other error as its description alone, which is the one-line form the CLI contract asks for.
///
///     throw CommandLineError("unknown workload 'chian'; valid workloads: chain, fanout, …")
///     // stderr: Error: unknown workload 'chian'; valid workloads: chain, fanout, …
struct CommandLineError: Error, CustomStringConvertible {
    /// The message, without the `Error: ` prefix.
    var description: String

    init(_ message: String) {
        description = message
    }
}
