import Foundation

/// Runs `body` on a new plain thread and awaits its result without blocking a Swift concurrency thread.
///
/// `Session.run` blocks its caller; tests that exercise `.swiftDefault` (whose ops run on the cooperative
/// pool) or many blocking callers must call it from plain threads, as applications should.
func onPlainThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Runs `body(i)` for `i` in `0..<count` on `count` plain threads at once and returns the results in order.
func onPlainThreads<R: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> R) async throws -> [R] {
    try await withThrowingTaskGroup(of: (Int, R).self) { group in
        for i in 0..<count {
            group.addTask { (i, try await onPlainThread { try body(i) }) }
        }
        var results = [R?](repeating: nil, count: count)
        for try await (i, r) in group { results[i] = r }
        return results.map { $0! }
    }
}
