/// The static shape of a tensor: a rank and dimensions, either of which may be unknown.
///
/// `nil` dimensions are wildcards and `TensorShape.unknown` has unknown rank, as in TensorFlow. Array
/// literals build shapes directly:
///
///     let s: TensorShape = [nil, 2]
///     print(s)                              // (?, 2)
///     s.isCompatible(with: [3, 2])          // true
///     s.isCompatible(with: [3, 3])          // false
///     TensorShape.unknown.isCompatible(with: [7, 1, 2])   // true
public struct TensorShape: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The dimensions, `nil` where a dimension is unknown; the whole array is `nil` for unknown rank.
    public var dimensions: [Int?]?

    /// A shape of unknown rank.
    public static let unknown = TensorShape(nil as [Int?]?)

    /// The shape of a scalar (rank 0).
    public static let scalar = TensorShape([Int]())

    /// Creates a shape from dimensions; `nil` entries are unknown dimensions, a `nil` array unknown rank.
    public init(_ dimensions: [Int?]?) {
        self.dimensions = dimensions
    }

    /// Creates a fully defined shape.
    public init(_ dimensions: [Int]) {
        self.dimensions = dimensions.map { Optional($0) }
    }

    /// The most dimensions a tensor may have (TensorFlow's `TensorShape::MaxDimensions`).
    public static let maxRank = 254

    /// A shape of `rank` unknown dimensions, or `.unknown` when `rank` is negative or above ``maxRank``
    /// (a shape vector of such a length names no tensor, so nothing about its rank can be trusted).
    ///
    ///     TensorShape(unknownDimensions: 2)     // (?, ?)
    public init(unknownDimensions rank: Int) {
        self.dimensions = rank >= 0 && rank <= Self.maxRank ? [Int?](repeating: nil, count: rank) : nil
    }

    public init(arrayLiteral elements: Int?...) {
        self.dimensions = elements
    }

    /// The number of dimensions, or `nil` when the rank is unknown.
    public var rank: Int? { dimensions?.count }

    /// Whether the rank and every dimension are known.
    public var isFullyDefined: Bool {
        guard let dimensions else { return false }
        return dimensions.allSatisfy { $0 != nil }
    }

    /// The dimensions when the shape is fully defined.
    public var concreteDimensions: [Int]? {
        guard isFullyDefined, let dimensions else { return nil }
        return dimensions.map { $0! }
    }

    /// The number of elements when the shape is fully defined (`nil` also when it does not fit in `Int`).
    public var elementCount: Int? { concreteDimensions?.checkedElementCount }

    /// Whether a value of shape `other` could have this static shape (TensorFlow's `is_compatible_with`):
    /// ranks must agree when both are known, and known dimensions must be equal.
    public func isCompatible(with other: TensorShape) -> Bool {
        guard let mine = dimensions, let theirs = other.dimensions else { return true }
        guard mine.count == theirs.count else { return false }
        for (a, b) in zip(mine, theirs) {
            if let a, let b, a != b { return false }
        }
        return true
    }

    /// Whether a concrete value shape is compatible with this static shape.
    public func isCompatible(with concrete: [Int]) -> Bool {
        isCompatible(with: TensorShape(concrete))
    }

    /// The most specific shape compatible with both, or `nil` when they are incompatible.
    public func merged(with other: TensorShape) -> TensorShape? {
        guard let mine = dimensions else { return other }
        guard let theirs = other.dimensions else { return self }
        guard mine.count == theirs.count else { return nil }
        var result: [Int?] = []
        result.reserveCapacity(mine.count)
        for (a, b) in zip(mine, theirs) {
            if let a, let b, a != b { return nil }
            result.append(a ?? b)
        }
        return TensorShape(result)
    }

    /// TensorFlow's Python spelling: `(2,)`, `(?, 2)`, `()` or `<unknown>`.
    public var description: String {
        guard let dimensions else { return "<unknown>" }
        let parts = dimensions.map { $0.map(String.init) ?? "?" }
        if parts.count == 1 { return "(\(parts[0]),)" }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

extension Array where Element == Int {
    /// A concrete shape written the way ``TensorShape`` prints it: `(2,)`, `(3, 2)`, `()`.
    package var shapeDescription: String { TensorShape(self).description }

    /// The product of the dimensions, or `nil` when it overflows `Int`; any zero dimension makes it 0.
    package var checkedElementCount: Int? {
        if contains(0) { return 0 }
        var product = 1
        for dimension in self {
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = next
        }
        return product
    }
}
