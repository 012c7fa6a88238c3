import ActorFlowCore

extension KernelContext {
    /// Suspends an async kernel for `duration` without holding a worker (``KernelTimer``): cheaper than
    /// `Task.sleep`, whose every wake-up goes through a Dispatch timer and a Dispatch thread.
    ///
    ///     let delayed = g.asyncCustomOp(name: "delayed", inputs: [x], outputs: [(.float32, .scalar)]) { inputs, ctx in
    ///         try await ctx.sleep(for: .milliseconds(20))     // the worker runs other ops meanwhile
    ///         return inputs
    ///     }
    ///
    /// - Throws: `CancellationError` when the step stops meanwhile (it failed, timed out or was closed: the step
    ///   cancels its suspended kernels and reports its own error).
    nonisolated(nonsending) public func sleep(for duration: Duration) async throws {
        try await KernelTimer.shared.sleep(for: duration)
    }
}
