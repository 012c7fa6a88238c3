@_spi(ActorFlowInternal) import ActorFlowCore

/// What one output of a plan node must look like, prepared when the plan is built so that checking a
/// kernel's result allocates nothing: the declared dtype and the declared shape as plain integers.
struct OutputCheck: Sendable {
    let dtype: DType
    /// The declared dimensions, `-1` where unknown; `nil` for an unknown rank.
    private let dimensions: [Int]?
    private let declared: TensorShape

    init(dtype: DType, shape: TensorShape) {
        self.dtype = dtype
        self.declared = shape
        self.dimensions = shape.dimensions.map { $0.map { $0 ?? -1 } }
    }

    /// Whether `value` has the declared dtype and a compatible shape.
    @inline(__always)
    func accepts(_ value: NDArray) -> Bool {
        guard value.dtype == dtype else { return false }
        guard let dimensions else { return true }
        let actual = value.dimensions
        guard actual.count == dimensions.count else { return false }
        for i in 0..<actual.count where dimensions[i] >= 0 && dimensions[i] != actual[i] { return false }
        return true
    }

    /// Why `value` is not acceptable as output `index` (only called once ``accepts(_:)`` said no).
    func problem(with value: NDArray, output index: Int) -> String {
        if value.dtype != dtype { return "output \(index) has dtype \(value.dtype), the op declares \(dtype)" }
        return "output \(index) has shape \(value.dimensions.shapeDescription), the op declares \(declared)"
    }
}
