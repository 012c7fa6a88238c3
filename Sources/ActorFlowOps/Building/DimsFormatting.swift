import ActorFlowCore

extension Array where Element == Int {
    /// TensorFlow's C++ spelling of concrete dimensions in runtime messages: `[2,3]`, `[4]`, `[]`.
    ///
    ///     [2, 3].tfDims   // "[2,3]"
    package var tfDims: String { "[" + map(String.init).joined(separator: ",") + "]" }
}

extension DType {
    /// The dtypes arithmetic kernels accept, spelled for error messages.
    package static let numericNames = "float, double, int32 or int64"
    /// The dtypes floating-point kernels accept, spelled for error messages.
    package static let floatingNames = "float or double"
}
