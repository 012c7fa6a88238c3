#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Replaces this process with another program (`execv`): the program inherits the terminal, the environment and
/// the signals, and its exit status becomes the command's, exactly as if the user had typed it. The `trace`
/// subcommands that wrap Tracing/scripts end this way, so Ctrl-C reaches `record.sh`'s clean-up directly.
///
///     throw ProcessReplacement.exec("/usr/bin/python3", [script, traceDirectory])   // returns only on failure
///
/// The argument strings are copied into C strings for the call; the pointers live only inside this file.
enum ProcessReplacement {
    /// Runs `executable` with `arguments` in place of this process. The corresponding C function is `execv`.
    ///
    /// - Returns: Only when `execv` failed: an error naming the program and the system's reason.
    static func exec(_ executable: String, _ arguments: [String]) -> CommandLineError {
        // Swift's print() buffers through C stdio; whatever it holds would be lost with the process image.
        fflush(nil)  // every output stream
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, argv)
        let code = errno
        for pointer in argv { free(pointer) }
        return CommandLineError("cannot run \(executable): \(String(cString: strerror(code)))")
    }
}
