import ActorFlowCore

extension Graph {
    /// An op running `kernel`, a Swift function of the input values (TensorFlow's `py_func`, op `CustomOp`).
    ///
    ///     let outs = g.customOp(name: "double", inputs: [x], outputs: [(.float32, [nil, 2])]) { inputs in
    ///         let v = try inputs[0].scalars(as: Float.self).map { $0 * 2 }
    ///         return [try NDArray(shape: inputs[0].dimensions, scalars: v)]
    ///     }
    ///
    /// `kernel` runs on an executor thread, possibly for two steps at once. After it returns, the op checks that
    /// it produced one value per declared output with the declared dtype and a compatible shape, and fails the
    /// run otherwise ("customOp 'double' output 0: expected dtype float, the kernel returned int32"). Errors
    /// the kernel throws fail the run as they are.
    ///
    /// - Parameters:
    ///   - name: The op's name (made unique like any op name).
    ///   - outputs: Each output's dtype and static shape.
    ///   - isStateful: Whether the kernel has effects beyond its outputs (the default, as `py_func` assumes).
    /// - Returns: The op's outputs (empty when `outputs` is; find the op by name to run it).
    public func customOp(
        name: String, inputs: [Tensor], outputs: [(DType, TensorShape)], isStateful: Bool = true,
        kernel: @escaping @Sendable ([NDArray]) throws -> [NDArray]
    ) -> [Tensor] {
        customOp(name: name, inputs: inputs, outputs: outputs, isStateful: isStateful) { inputs, _ in
            try kernel(inputs)
        }
    }

    /// An op running `kernel`, which also receives the ``KernelContext`` (to check
    /// ``KernelContext/isCancelled`` in long loops, or reach the session state).
    ///
    ///     let outs = g.customOp(name: "slow", inputs: [x], outputs: [(.float32, .unknown)]) { inputs, ctx in
    ///         for _ in 0..<1000 { try ctx.checkCancellation() /* … */ }
    ///         return inputs
    ///     }
    public func customOp(
        name: String, inputs: [Tensor], outputs: [(DType, TensorShape)], isStateful: Bool = true,
        kernel: @escaping @Sendable ([NDArray], borrowing KernelContext) throws -> [NDArray]
    ) -> [Tensor] {
        let op = addOperation(
            type: "CustomOp", name: name, inputs: inputs,
            attributes: ["Tout": .ints(outputs.map { $0.0.dataTypeCode })],
            outputs: outputs, isStateful: isStateful, kernel: .custom(kernel))
        return op.outputs
    }
}

extension Graph {
    /// An op with no outputs that runs `kernel` for its effect once the ops it depends on ran (fetch it as a
    /// target). Its kernel gets the inputs and the ``KernelContext``.
    ///
    ///     let log = g.customTarget(name: "log", inputs: [loss]) { inputs, _ in print(inputs[0]) }
    ///     let step = g.withControlDependencies([train]) { g.customTarget(name: "tick") { _, _ in } }
    ///     try session.run(step)
    ///
    /// - Returns: The op.
    @discardableResult
    public func customTarget(
        name: String, inputs: [Tensor] = [], isStateful: Bool = true,
        kernel: @escaping @Sendable ([NDArray], borrowing KernelContext) throws -> Void
    ) -> Operation {
        addOperation(
            type: "CustomOp", name: name, inputs: inputs, attributes: ["Tout": .ints([])], outputs: [],
            isStateful: isStateful,
            kernel: .customEffect(kernel))
    }
}

extension Graph {
    /// An op running `kernel`, an async Swift function of the input values that may wait — on a file, a socket,
    /// a timer, another process — without holding a worker thread (TensorFlow's `AsyncOpKernel`).
    ///
    ///     let fetched = g.asyncCustomOp(name: "fetch", inputs: [key], outputs: [(.float32, [nil])]) { inputs, ctx in
    ///         let bytes = try await store.value(for: inputs[0])   // the worker runs other ops meanwhile
    ///         try Task.checkCancellation()                        // a failed or timed-out step cancels the kernel
    ///         return [try NDArray(shape: [bytes.count / 4], scalars: decode(bytes))]
    ///     }
    ///
    /// The kernel runs in a task of its own, isolated to the op's node actor (`kernel` is `nonisolated(nonsending)`:
    /// it runs where it is called; a closure literal is, and so is any async function passed in, called through
    /// it). It starts on the worker where the op became ready; at each `await` that suspends, the worker goes back
    /// to other ops, and the kernel resumes on whichever worker is free (under `.callerThread`, on the thread that
    /// called `run`). When it returns, its node actor checks the outputs as `customOp`
    /// does and its successors fire. A step that fails, times out or is closed cancels the kernel's task
    /// (`Task.isCancelled`); a kernel that ignores it is not waited for past the deadline, and its late result
    /// is dropped. Traced runs report the time the kernel spent suspended (see `RunOptions.TraceLevel`).
    ///
    /// - Parameters:
    ///   - name: The op's name (made unique like any op name).
    ///   - outputs: Each output's dtype and static shape.
    ///   - isStateful: Whether the kernel has effects beyond its outputs (the default).
    /// - Returns: The op's outputs.
    public func asyncCustomOp(
        name: String, inputs: [Tensor], outputs: [(DType, TensorShape)], isStateful: Bool = true,
        kernel: @escaping Kernel.AsyncCustomCompute
    ) -> [Tensor] {
        let op = addOperation(
            type: "AsyncCustomOp", name: name, inputs: inputs,
            attributes: ["Tout": .ints(outputs.map { $0.0.dataTypeCode })],
            outputs: outputs, isStateful: isStateful, kernel: .customAsync(kernel))
        return op.outputs
    }

    /// An async op running `kernel` on the input values alone.
    ///
    ///     let later = g.asyncCustomOp(name: "later", inputs: [x], outputs: [(.float32, .unknown)]) { inputs in
    ///         try await Task.sleep(for: .milliseconds(20))
    ///         return inputs
    ///     }
    public func asyncCustomOp(
        name: String, inputs: [Tensor], outputs: [(DType, TensorShape)], isStateful: Bool = true,
        kernel: nonisolated(nonsending) @escaping @Sendable ([NDArray]) async throws -> [NDArray]
    ) -> [Tensor] {
        asyncCustomOp(name: name, inputs: inputs, outputs: outputs, isStateful: isStateful) { inputs, _ in
            try await kernel(inputs)
        }
    }
}
