import ActorFlowCore

#if canImport(Glibc)
import Glibc
#endif

/// Build-time checks shared by the op methods. Each returns `nil` when the input is acceptable, or the
/// message for ``Graph/singleOutputOp(type:name:inputs:attributes:dtype:shape:error:isStateful:kernel:)``'s
/// `error:` (prefixed with the op type, so the session's report names both the op and the problem).
package enum OpValidation {
    /// TensorFlow's wording for two inputs whose dtypes must agree.
    package static func sameDType(
        _ type: String, _ x: Tensor, _ y: Tensor, xName: String = "x", yName: String = "y"
    )
        -> String?
    {
        guard x.dtype != y.dtype else { return nil }
        return "\(type): Input '\(yName)' of '\(type)' Op has type \(y.dtype) that does not match type \(x.dtype) "
            + "of argument '\(xName)'."
    }

    /// Rejects dtypes other than float, double, int32 and int64.
    package static func numeric(_ type: String, _ t: Tensor) -> String? {
        t.dtype.isNumeric ? nil : "\(type): dtype \(t.dtype) is not supported (expected \(DType.numericNames))"
    }

    /// Rejects dtypes other than float and double.
    package static func floating(_ type: String, _ t: Tensor) -> String? {
        t.dtype.isFloatingPoint ? nil : "\(type): dtype \(t.dtype) is not supported (expected \(DType.floatingNames))"
    }

    /// Rejects dtypes other than int32 and int64 for an index-like input (shape, dims, axes).
    package static func index(_ type: String, _ t: Tensor, _ what: String) -> String? {
        t.dtype.isInteger ? nil : "\(type): \(what) must be int32 or int64, got \(t.dtype)"
    }

    /// Rejects a static shape whose rank is known and differs from `rank`.
    package static func rank(_ type: String, _ t: Tensor, _ rank: Int, _ what: String) -> String? {
        guard let r = t.shape.rank, r != rank else { return nil }
        let expected = rank == 0 ? "a scalar" : rank == 1 ? "a vector" : rank == 2 ? "a matrix" : "rank \(rank)"
        return "\(type): \(what) must be \(expected), got shape \(t.shape)"
    }

    /// Rejects a shape-like vector (a reshape's `shape`, a fill's `dims`) whose static length is above
    /// `TensorShape.maxRank`: no tensor has that many dimensions.
    package static func dimensionCount(_ type: String, _ t: Tensor, _ what: String) -> String? {
        guard let length = t.shape.dimensions?.first ?? nil, length > TensorShape.maxRank else { return nil }
        return "\(type): \(what) has \(length) entries, but a tensor has at most \(TensorShape.maxRank) dimensions"
    }

    /// `axis` made non-negative for `rank`, or `nil` when it is outside `-rank..<rank`.
    package static func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return a >= 0 && a < rank ? a : nil
    }
}

/// The value of `t` when it is known at build time (the output of a `Const` op).
package func staticValue(_ t: Tensor) -> NDArray? {
    guard t.op.type == "Const", t.op.buildError == nil, case .tensor(let value)? = t.op.attributes["value"] else {
        return nil
    }
    return value
}

/// The product of `dimensions`, or `nil` when it overflows `Int` (user-supplied shapes must not trap); any zero
/// dimension makes it 0, whatever the others are.
package func checkedElementCount(_ dimensions: [Int]) -> Int? {
    dimensions.checkedElementCount
}

/// The most bytes one output may take: the machine's physical memory. A kernel asked for more reports it the way
/// TensorFlow's allocator does instead of trapping in the Swift runtime.
package let allocationLimitBytes: Int = {
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let pageSize = sysconf(Int32(_SC_PAGESIZE))
    return pages > 0 && pageSize > 0 ? pages.multipliedReportingOverflow(by: pageSize).partialValue : Int.max
}()

/// TensorFlow's out-of-memory message when `dimensions` of `dtype` would take more than ``allocationLimitBytes``
/// (or more elements than an Int counts); `nil` when the output fits.
///
///     checkedAllocation([1 << 42, 1, 3], .float32)
///     // "OOM when allocating tensor with shape[4398046511104,1,3] and type float: 52776558133248 bytes, …"
package func checkedAllocation(_ dimensions: [Int], _ dtype: DType) -> String? {
    guard let count = checkedElementCount(dimensions) else {
        return "OOM when allocating tensor with shape\(dimensions.tfDims) and type \(dtype): too many elements"
    }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: max(dtype.byteSize, 1))
    guard overflow || bytes > allocationLimitBytes else { return nil }
    return "OOM when allocating tensor with shape\(dimensions.tfDims) and type \(dtype): "
        + (overflow ? "more bytes than an Int counts" : "\(bytes) bytes")
        + ", more than this machine's \(allocationLimitBytes)"
}

/// The first non-nil message, for chaining checks: `firstError(a, b, c)`.
package func firstError(_ checks: String?...) -> String? {
    checks.lazy.compactMap { $0 }.first
}
