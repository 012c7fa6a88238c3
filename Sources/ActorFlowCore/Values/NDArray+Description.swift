extension NDArray: CustomStringConvertible, CustomDebugStringConvertible {
    /// The elements nested by dimension, as NumPy prints them: `[[1.0, 2.0], [3.0, 4.0]]`; a scalar prints
    /// alone (`42.0`). Arrays of more than 1000 elements show their first and last three entries per axis.
    public var description: String {
        let items = elementStrings()
        if dimensions.isEmpty { return items.first ?? "" }
        var out = ""
        // An empty array may still hold many (empty) rows, 2^40 × 0 say: those are summarized too.
        let rows = Array(dimensions.dropLast()).checkedElementCount ?? .max
        let summarize = elementCount > 1000 || rows > 1000
        func emit(axis: Int, offset: Int) {
            let count = dimensions[axis]
            let stride = Array(dimensions[(axis + 1)...]).checkedElementCount ?? 0
            out += "["
            let indices = summarize && count > 6 ? [0, 1, 2, -1, count - 3, count - 2, count - 1] : Array(0..<count)
            for (n, i) in indices.enumerated() {
                if n > 0 { out += ", " }
                if i < 0 { out += "..."; continue }
                if axis == dimensions.count - 1 {
                    out += items[offset + i]
                } else {
                    emit(axis: axis + 1, offset: offset + i * stride)
                }
            }
            out += "]"
        }
        emit(axis: 0, offset: 0)
        return out
    }

    /// `NDArray(float, shape (2, 2)) [[1.0, 2.0], [3.0, 4.0]]` (the dtype is spelled as ``DType`` prints it).
    public var debugDescription: String {
        "NDArray(\(dtype), shape \(dimensions.shapeDescription)) \(description)"
    }

    private func elementStrings() -> [String] {
        switch storage {
        case .float32(let v): v.map { "\($0)" }
        case .float64(let v): v.map { "\($0)" }
        case .int32(let v): v.map { "\($0)" }
        case .int64(let v): v.map { "\($0)" }
        case .bool(let v): v.map { "\($0)" }
        case .string(let v): v.map { "\"\($0)\"" }
        }
    }
}
