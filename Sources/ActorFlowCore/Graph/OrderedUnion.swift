/// `existing` followed by the elements of `additions` it does not already hold, in order, each once:
/// the control inputs of nested `withControlDependencies` blocks and of an op.
///
/// Linear in the total count (one hash and insert per element), so a join over 10⁵ control inputs builds in
/// milliseconds; an array `contains` per element made it quadratic.
///
///     orderedUnion([a, b], adding: [b, c, a, d])   // [a, b, c, d]
package func orderedUnion<Element: Hashable>(_ existing: [Element], adding additions: [Element]) -> [Element] {
    guard !additions.isEmpty else { return existing }
    var seen = Set<Element>(minimumCapacity: existing.count + additions.count)
    var result: [Element] = []
    result.reserveCapacity(existing.count + additions.count)
    for element in existing where seen.insert(element).inserted { result.append(element) }
    for element in additions where seen.insert(element).inserted { result.append(element) }
    return result
}
