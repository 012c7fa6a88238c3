import Foundation

/// Runs `body` on a new plain thread and awaits its result.
///
/// `Session.run` blocks its caller, and `.swiftDefault` refuses to run from inside a Swift task (its ops
/// are tasks on the cooperative pool the blocked caller would hold), so the tests run sessions here.
func onPlainThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
