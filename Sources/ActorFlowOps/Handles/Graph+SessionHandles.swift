import ActorFlowCore

/// The output of `Graph.getSessionHandle(_:name:)`: fetching it keeps the tensor's value in
/// the session and returns a `TensorHandle` to it.
///
///     let h = g.getSessionHandle(z)
///     let handle = try session.run(h)   // TensorHandle
public struct SessionHandleTensor: Hashable, Sendable {
    /// The `GetSessionHandle` op's output: a string scalar holding the handle string.
    public let tensor: Tensor

    /// Wraps the output of a `GetSessionHandle` op (`Graph.getSessionHandle(_:name:)` makes these).
    public init(tensor: Tensor) {
        self.tensor = tensor
    }
}

extension Graph {
    /// Keeps the value of `value` in session state when it runs and outputs the handle string
    /// (`"<op name>;<id>;/job:localhost/replica:0/task:0/device:CPU:0"`) as a string scalar
    /// (TensorFlow's `get_session_handle`, op `GetSessionHandle`).
    ///
    ///     let h = g.getSessionHandle(g.mul(a, b))
    ///     let handle = try session.run(h)        // TensorHandle; the session wraps the string
    ///     let (holder, t) = g.getSessionTensor(dtype: .float32)
    ///     try session.run(g.add(t, one), feeds: [holder: handle.handle])
    public func getSessionHandle(_ value: Tensor, name: String? = nil) -> SessionHandleTensor {
        let op = addOperation(
            type: "GetSessionHandle", name: name, inputs: [value], attributes: ["T": .dtype(value.dtype)],
            outputs: [(.string, .scalar)], isStateful: true,
            kernel: Kernel(isExpensive: false) { ctx in
                [NDArray(ctx.state.storeHandle(ctx.inputs[0], producer: ctx.op.name))]
            })
        return SessionHandleTensor(tensor: op.output(0))
    }

    /// A string placeholder to feed a handle string with, and the tensor it names
    /// (TensorFlow's `get_session_tensor`, op `GetSessionTensor`).
    ///
    ///     let (holder, t) = g.getSessionTensor(dtype: .float32)
    ///     let r = try session.run(g.mul(t, two), feeds: [holder: handle.handle])
    ///
    /// The placeholder is named `"<name>/handle"`. The run fails when no tensor is stored under the fed
    /// handle, or when the stored tensor is not of `dtype` ("Expects arg[0] to be float but int32 is provided").
    public func getSessionTensor(dtype: DType, name: String? = nil) -> (placeholder: Tensor, tensor: Tensor) {
        let type = "GetSessionTensor"
        let holder = placeholder(.string, shape: .scalar, name: (name ?? type) + "/handle")
        let tensor = singleOutputOp(
            type: type, name: name, inputs: [holder], attributes: ["dtype": .dtype(dtype)], dtype: dtype,
            shape: .unknown, isStateful: true,
            kernel: Kernel(isExpensive: false) { ctx in
                let handle = ctx.inputs[0]
                guard handle.rank == 0, case .string(let strings) = handle.storage else {
                    throw KernelError(
                        "handle must be a string scalar, got \(handle.dtype) of shape \(handle.dimensions.tfDims)")
                }
                let value = try ctx.state.handleValue(strings[0])
                try kernelRequire(value.dtype == dtype, "Expects arg[0] to be \(dtype) but \(value.dtype) is provided")
                return [value]
            })
        return (holder, tensor)
    }
}
