import ActorFlowCore

extension Graph {
    /// Adds an op with one output; when `error` is set the op is invalid and the output shape unknown.
    ///
    /// Every op method funnels through here or ``addOperation(type:name:inputs:controlInputs:attributes:outputs:isStateful:buildError:kernel:)``.
    package func singleOutputOp(
        type: String,
        name: String?,
        inputs: [Tensor],
        attributes: [String: AttributeValue] = [:],
        dtype: DType,
        shape: TensorShape,
        error: String? = nil,
        isStateful: Bool = false,
        kernel: Kernel
    ) -> Tensor {
        addOperation(
            type: type, name: name, inputs: inputs, attributes: attributes,
            outputs: [(dtype, error == nil ? shape : .unknown)], isStateful: isStateful, buildError: error,
            kernel: kernel
        ).output(0)
    }
}

/// Throws a ``KernelError`` unless `condition` holds: for runtime checks inside kernels.
@inline(__always)
package func kernelRequire(_ condition: Bool, _ message: @autoclosure () -> String) throws(KernelError) {
    if !condition { throw KernelError(message()) }
}

extension Graph {
    /// A constant vector of dimensions or axes: int32 when every value fits (as TensorFlow's Python layer
    /// makes them), int64 otherwise, so no value is silently truncated.
    package func indexConstant(_ values: [Int], name: String) -> Tensor {
        if values.allSatisfy({ Int32(exactly: $0) != nil }) {
            return constant(values.map { Int32($0) }, name: name)
        }
        return constant(values.map { Int64($0) }, name: name)
    }
}
