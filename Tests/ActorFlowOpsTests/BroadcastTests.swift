import ActorFlowCore
import ActorFlowOps
import Testing

@Suite("Broadcasting")
struct BroadcastTests {
    @Test(
        "static broadcast shapes",
        arguments: [
            (TensorShape([2, 3]), TensorShape([3]), TensorShape([2, 3])),
            (TensorShape([2, 1]), TensorShape([1, 3]), TensorShape([2, 3])),
            (TensorShape.scalar, TensorShape([4, 5]), TensorShape([4, 5])),
            (TensorShape([nil, 3]), TensorShape([3]), TensorShape([nil, 3])),
            (TensorShape([nil, 1]), TensorShape([1, 4]), TensorShape([nil, 4])),
            (TensorShape([nil]), TensorShape([5]), TensorShape([5])),
            (TensorShape([nil]), TensorShape([1]), TensorShape([nil])),
            (TensorShape.unknown, TensorShape([3]), TensorShape.unknown),
        ])
    func staticShapes(a: TensorShape, b: TensorShape, expected: TensorShape) throws {
        #expect(try Broadcast.staticShape(a, b).get() == expected)
        #expect(try Broadcast.staticShape(b, a).get() == expected)
    }

    @Test func staticClashNamesTheDimensions() {
        guard case .failure(let clash) = Broadcast.staticShape([2, 3], [4]) else {
            Issue.record("expected a clash")
            return
        }
        #expect(clash.lhs == 3 && clash.rhs == 4)
    }

    @Test func runtimeClashUsesTensorFlowWording() {
        #expect(throws: KernelError("Incompatible shapes: [2,3] vs. [4]")) {
            try BroadcastPlan(lhs: [2, 3], rhs: [4])
        }
    }

    /// Every pairing of small shapes agrees with a direct index computation.
    @Test func planMatchesReferenceOnEveryPairing() throws {
        let shapes: [[Int]] = [
            [], [1], [3], [2, 1], [1, 3], [2, 3], [2, 1, 3], [1, 2, 1], [2, 2, 3], [0, 3], [1, 1],
        ]
        for a in shapes {
            for b in shapes {
                guard let out = try? Broadcast.dimensions(a, b) else { continue }
                let plan = try BroadcastPlan(lhs: a, rhs: b)
                #expect(plan.dimensions == out)
                let x = (0..<a.reduce(1, *)).map { $0 }
                let y = (0..<b.reduce(1, *)).map { 1000 * $0 }
                let got = try plan.map(x, y, Plus.self)
                #expect(got == reference(x, a, y, b, out), "\(a) with \(b)")
            }
        }
    }

    private func reference(_ x: [Int], _ a: [Int], _ y: [Int], _ b: [Int], _ out: [Int]) -> [Int] {
        let count = out.reduce(1, *)
        return (0..<count).map { flat in
            var rest = flat
            var coords = [Int](repeating: 0, count: out.count)
            for axis in out.indices.reversed() {
                coords[axis] = rest % out[axis]
                rest /= out[axis]
            }
            func offset(_ dims: [Int]) -> Int {
                var o = 0
                for (i, d) in dims.enumerated() {
                    let c = coords[out.count - dims.count + i]
                    o = o * d + (d == 1 ? 0 : c)
                }
                return o
            }
            return x[offset(a)] + y[offset(b)]
        }
    }
}

private enum Plus: BinaryFunction {
    static func apply(_ a: Int, _ b: Int) -> Int { a + b }
}
