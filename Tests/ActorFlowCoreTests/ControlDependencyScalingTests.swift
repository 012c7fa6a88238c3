@testable import ActorFlowCore
import Testing

/// `withControlDependencies` over very many ops: the work is counted in hash and equality operations, which is
/// what makes it linear or quadratic, rather than timed.
@Suite("Control dependencies at scale")
struct ControlDependencyScalingTests {
    /// An element that counts how often the set in `orderedUnion` hashes and compares it.
    struct Counted: Hashable {
        let value: Int
        let counter: OperationCounter

        func hash(into hasher: inout Hasher) {
            counter.hashes += 1
            hasher.combine(value)
        }

        static func == (lhs: Counted, rhs: Counted) -> Bool {
            lhs.counter.equalities += 1
            return lhs.value == rhs.value
        }
    }

    final class OperationCounter: @unchecked Sendable {
        var hashes = 0
        var equalities = 0
        var total: Int { hashes + equalities }
    }

    @Test func orderedUnionDoesLinearWork() {
        for n in [1_000, 100_000] {
            let counter = OperationCounter()
            let existing = (0..<n / 2).map { Counted(value: $0, counter: counter) }
            // Even positions repeat an existing value, odd positions bring a new one; all of them twice.
            let additions = (0..<n).map { Counted(value: $0 % 2 == 0 ? $0 / 2 : n + $0, counter: counter) }
            let union = orderedUnion(existing, adding: additions + additions)
            #expect(union.map(\.value) == Array(0..<n / 2) + Array(stride(from: n + 1, to: 2 * n, by: 2)))
            // Each element is hashed once; equality runs only on repeats and hash collisions.
            let elements = existing.count + 2 * additions.count
            #expect(counter.hashes == elements)
            #expect(counter.total <= 3 * elements, "\(counter.total) operations for \(elements) elements")
        }
    }

    @Test func aBlockOf100kControlInputs() {
        let g = Graph()
        let producers = (0..<100_000).map { _ in g.addOperation(type: "NoOp", outputs: [], kernel: Kernel { _ in [] }) }
        let join = g.withControlDependencies(producers) {
            // A nested block naming some of the same ops again adds nothing.
            g.withControlDependencies(Array(producers.prefix(10)) + producers.suffix(10)) {
                g.addOperation(type: "NoOp", name: "join", outputs: [], kernel: Kernel { _ in [] })
            }
        }
        #expect(join.controlInputs.count == producers.count)
        #expect(join.controlInputs.first === producers.first)
        #expect(join.controlInputs.last === producers.last)
    }
}
