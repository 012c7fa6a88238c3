extension NDArray {
    /// This array with its elements converted to `dtype`, following TensorFlow's feed rules without its
    /// silent corruptions.
    ///
    /// - Integers convert to a narrower integer only when every value fits (TF rejects
    ///   `1 << 40` for an `int32` placeholder; we reject it for every integer source).
    /// - Floating-point values convert to integers by truncation toward zero (`1.7` → `1`, as NumPy
    ///   does) when finite and in range; NaN, infinity and out-of-range values are rejected.
    /// - Integers and floats convert to each other's floating types with rounding (`2^24 + 1` → `16777216`).
    /// - `Bool` converts to numbers as 0/1; numbers convert to `Bool` only from exactly 0 or 1.
    /// - Strings convert to numbers when they parse (`"3"` → `3.0`, `" 42 "` → `42`); integer targets take
    ///   integer literals only (`"3.9"` is rejected, as NumPy's `int()` does). Numbers never convert to strings.
    ///
    ///     let v = try NDArray([1, 2] as [Int]).converted(to: .float32)   // [1.0, 2.0]
    ///
    /// - Throws: ``SessionError/invalidValue(reason:)`` naming the first value that does not convert.
    public func converted(to target: DType) throws(SessionError) -> NDArray {
        if target == dtype { return self }
        let converted: Storage
        switch target {
        case .float32:
            // Int64 → Float in one step: through Double, 2^60 + 2^36 + 1 rounds twice and lands on 2^60.
            if case .int64(let v) = storage {
                converted = .float32(v.map { Float($0) })
            } else {
                converted = .float32(try doubles().map { Float($0) })
            }
        case .float64: converted = .float64(try doubles())
        case .int32: converted = .int32(try integers(min: Int64(Int32.min), max: Int64(Int32.max)).map { Int32($0) })
        case .int64: converted = .int64(try integers(min: .min, max: .max))
        case .bool: converted = .bool(try booleans())
        case .string:
            throw .invalidValue(
                reason: "a \(dtype) value is not compatible with a string tensor (convert it to String explicitly)"
            )
        }
        return NDArray(unchecked: converted, dimensions: dimensions)
    }

    private func doubles() throws(SessionError) -> [Double] {
        switch storage {
        case .float32(let v): return v.map { Double($0) }
        case .float64(let v): return v
        case .int32(let v): return v.map { Double($0) }
        case .int64(let v): return v.map { Double($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .string(let v):
            var out: [Double] = []
            out.reserveCapacity(v.count)
            for s in v {
                guard let d = Double(s.trimmingWhitespace()) else {
                    throw .invalidValue(reason: "could not convert string to float: '\(s)'")
                }
                out.append(d)
            }
            return out
        }
    }

    private func integers(min: Int64, max: Int64) throws(SessionError) -> [Int64] {
        func doesNotFit(_ value: some CustomStringConvertible) -> SessionError {
            .invalidValue(
                reason: "value \(value) does not fit the target integer type"
                    + (max < .max ? "; try a larger type for the tensor (e.g. int64)" : "")
            )
        }
        func checked(_ value: Int64) throws(SessionError) -> Int64 {
            guard value >= min, value <= max else { throw doesNotFit(value) }
            return value
        }
        func fromDouble(_ d: Double) throws(SessionError) -> Int64 {
            let truncated = d.rounded(.towardZero)
            // `Double(max) + 1` is 2^31 for Int32 and 2^63 for Int64: the first value that does not fit.
            guard d.isFinite, truncated >= Double(min), truncated < Double(max) + 1 else {
                throw .invalidValue(reason: "value \(d) cannot be converted to an integer without overflow")
            }
            return Int64(truncated)
        }
        var out: [Int64] = []
        out.reserveCapacity(elementCount)
        switch storage {
        case .int32(let v): for x in v { out.append(try checked(Int64(x))) }
        case .int64(let v): for x in v { out.append(try checked(x)) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .float32(let v): for x in v { out.append(try fromDouble(Double(x))) }
        case .float64(let v): for x in v { out.append(try fromDouble(x)) }
        case .string(let v):
            for s in v {
                let t = s.trimmingWhitespace()
                if let i = Int64(t) {
                    out.append(try checked(i))
                } else if t.isDecimalIntegerLiteral {
                    throw doesNotFit(t)
                } else {
                    throw .invalidValue(reason: "invalid literal for int() with base 10: '\(s)'")
                }
            }
        }
        return out
    }

    private func booleans() throws(SessionError) -> [Bool] {
        func fromNumber(_ d: Double) throws(SessionError) -> Bool {
            guard d == 0 || d == 1 else {
                throw .invalidValue(reason: "value \(d) is not compatible with a bool tensor (only 0 and 1 are)")
            }
            return d == 1
        }
        switch storage {
        case .bool(let v): return v
        case .string(let v):
            throw .invalidValue(reason: "string value '\(v.first ?? "")' is not compatible with a bool tensor")
        default:
            var out: [Bool] = []
            out.reserveCapacity(elementCount)
            for d in try doubles() { out.append(try fromNumber(d)) }
            return out
        }
    }
}

extension Substring {
    /// An optional sign and decimal digits: an integer literal, even when it is too large for `Int64`.
    fileprivate var isDecimalIntegerLiteral: Bool {
        let digits = first == "+" || first == "-" ? dropFirst() : self
        return !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
