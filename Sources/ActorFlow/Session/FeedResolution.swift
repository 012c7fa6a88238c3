/// Turns a ``FeedDict`` into checked values keyed by tensor, in TensorFlow's validation order: for each
/// entry in order, interpret the key, convert the value to the key's dtype, check its shape, then check
/// that the tensor may be fed. A later entry for the same tensor replaces an earlier one.
struct FeedResolver {
    let graph: Graph
    let state: SessionState

    func resolve(_ feeds: FeedDict) throws(SessionError) -> [Tensor: NDArray] {
        var values: [Tensor: NDArray] = [:]
        for entry in feeds.entries {
            for (tensor, value) in try flatten(entry.key, entry.value) {
                values[tensor] = try check(value, for: tensor)
            }
        }
        return values
    }

    /// Pairs each tensor of `key` with its part of `value`.
    private func flatten(_ key: FeedKey, _ value: FeedValue) throws(SessionError) -> [(Tensor, FeedValue)] {
        switch key {
        case .tensor, .name:
            if case .structure = value {
                throw .invalidFeedKey(key: key.description, reason: "a structured value can only feed a structured key")
            }
            return [(try tensor(for: key), value)]
        case .sparse(let sparse):
            try checkInGraph(sparse.values, key: key)
            guard case .sparse(let v) = value else {
                throw .invalidFeed(tensor: sparse.values.name, reason: "a SparseTensor key must be fed a SparseTensorValue")
            }
            return [
                (sparse.indices, .convertible(v.indices)), (sparse.values, .convertible(v.values)),
                (sparse.denseShape, .convertible(v.denseShape)),
            ]
        case .structure(let keys):
            guard case .structure(let values) = value, values.count == keys.count else {
                let count = if case .structure(let values) = value { values.count } else { 1 }
                throw .invalidFeedKey(
                    key: key.description,
                    reason: "Could not flatten dictionary. Key had \(keys.count) elements, but value had \(count) elements."
                )
            }
            var pairs: [(Tensor, FeedValue)] = []
            for (k, v) in zip(keys, values) { pairs += try flatten(k, v) }
            return pairs
        }
    }

    private func tensor(for key: FeedKey) throws(SessionError) -> Tensor {
        switch key {
        case .tensor(let t):
            try checkInGraph(t, key: key)
            return t
        case .name(let name):
            guard name.contains(":") else {
                throw .invalidFeedKey(
                    key: "'\(name)'",
                    reason: "The name '\(name)' refers to an Operation, not a Tensor. "
                        + "Tensor names must be of the form \"<op_name>:<output_index>\"."
                )
            }
            do {
                return try graph.tensor(named: name)
            } catch {
                throw .invalidFeedKey(key: "'\(name)'", reason: error.description)
            }
        case .sparse, .structure:
            preconditionFailure("flatten(_:_:) resolves sparse and structured keys")
        }
    }

    private func checkInGraph(_ t: Tensor, key: FeedKey) throws(SessionError) {
        guard graph.contains(t.op) else {
            throw .invalidFeedKey(key: key.description, reason: "\(t) is not an element of this graph.")
        }
    }

    /// Converts and checks one value for `tensor`.
    private func check(_ value: FeedValue, for tensor: Tensor) throws(SessionError) -> NDArray {
        let array: NDArray
        switch value {
        case .handle(let handle):
            // A handle substitutes the stored tensor itself: no conversion and no static shape check.
            guard handle.belongs(to: state) else { throw .invalidHandle(handle: handle.handle) }
            array = try handle.value()
            guard array.dtype == tensor.dtype else {
                throw .dtypeMismatch(tensor: tensor.name, expected: tensor.dtype, actual: array.dtype)
            }
        case .convertible(let convertible):
            do {
                array = try convertible.makeNDArray().converted(to: tensor.dtype)
            } catch .invalidValue(let reason) {
                throw .invalidFeed(tensor: tensor.name, reason: reason)
            } catch {
                throw error
            }
            guard tensor.shape.isCompatible(with: array.dimensions) else {
                throw .shapeMismatch(tensor: tensor.name, expected: tensor.shape, actual: array.dimensions)
            }
        case .sparse:
            throw .invalidFeed(tensor: tensor.name, reason: "a SparseTensorValue can only feed a SparseTensor key")
        case .structure:
            throw .invalidFeed(tensor: tensor.name, reason: "a structured value can only feed a structured key")
        }
        guard graph.isFeedable(tensor) else { throw .notFeedable(tensor: tensor.name) }
        return array
    }
}
