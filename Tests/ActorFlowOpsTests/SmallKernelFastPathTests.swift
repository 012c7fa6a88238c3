import ActorFlowCore
import ActorFlowOps
import Testing

/// The binary ops' same-shape fast path (no broadcast plan) must give exactly what the broadcasting kernel gives.
/// The broadcasting result comes from the same operands with a leading dimension of 1 added to one side, which
/// takes the general path; its elements are compared bit for bit.
@Suite("Small-kernel fast paths")
struct SmallKernelFastPathTests {
    let runner = MiniRunner()

    typealias BinaryBuilder = @Sendable (Graph) -> (Tensor, Tensor) -> Tensor

    static let ops: [(String, BinaryBuilder)] = [
        ("add", { g in { g.add($0, $1) } }), ("sub", { g in { g.sub($0, $1) } }), ("mul", { g in { g.mul($0, $1) } }),
        ("div", { g in { g.div($0, $1) } }), ("floorDiv", { g in { g.floorDiv($0, $1) } }),
        ("maximum", { g in { g.maximum($0, $1) } }), ("minimum", { g in { g.minimum($0, $1) } }),
    ]

    /// Operands of every numeric dtype, with negative values, NaN and signed zeros for the floats; no zero
    /// divisors for the integers.
    static func operands(_ dtype: DType, count: Int) throws -> (NDArray, NDArray) {
        var random = SeededGenerator(seed: UInt64(count) &* 31 &+ UInt64(dtype.byteSize))
        func floats() -> [Double] {
            (0..<count).map { i in
                switch i % 7 {
                case 5: .nan
                case 6: -0.0
                default: Double(Int(random.next() % 2001) - 1000) / 7
                }
            }
        }
        func ints() -> [Int64] { (0..<count).map { _ in Int64(random.next() % 41) - 20 }.map { $0 == 0 ? 3 : $0 } }
        let shape = count == 1 ? [] : [count]
        switch dtype {
        case .float32: return (try NDArray(shape: shape, scalars: floats().map(Float.init)),
                               try NDArray(shape: shape, scalars: floats().map(Float.init)))
        case .float64: return (try NDArray(shape: shape, scalars: floats()), try NDArray(shape: shape, scalars: floats()))
        case .int32: return (try NDArray(shape: shape, scalars: ints().map { Int32($0) }),
                             try NDArray(shape: shape, scalars: ints().map { Int32($0) }))
        default: return (try NDArray(shape: shape, scalars: ints()), try NDArray(shape: shape, scalars: ints()))
        }
    }

    /// The bits of every element, for an exact comparison (NaN == NaN, -0 != +0).
    static func bits(_ value: NDArray) throws -> [UInt64] {
        switch value.dtype {
        case .float32: try value.scalars(as: Float.self).map { UInt64($0.bitPattern) }
        case .float64: try value.scalars(as: Double.self).map(\.bitPattern)
        case .int32: try value.scalars(as: Int32.self).map { UInt64(UInt32(bitPattern: $0)) }
        default: try value.scalars(as: Int64.self).map { UInt64(bitPattern: $0) }
        }
    }

    @Test("same-shape and scalar operands give the broadcasting kernel's bits", arguments: [1, 3, 64])
    func sameShapeMatchesBroadcasting(count: Int) throws {
        for dtype in [DType.float32, .float64, .int32, .int64] {
            let (x, y) = try Self.operands(dtype, count: count)
            for (name, build) in Self.ops {
                let g = Graph()
                let fast = build(g)(g.constant(x), g.constant(y))
                let general = build(g)(g.constant(x), g.constant(try y.reshaped(to: [1] + y.dimensions)))
                let (a, b) = (try runner.run(fast), try runner.run(general))
                #expect(a.dimensions == x.dimensions, "\(name) \(dtype)")
                #expect(try Self.bits(a) == Self.bits(b), "\(name) \(dtype) ×\(count)")
            }
        }
    }

    @Test("an integer zero divisor fails the fast path as it fails the general one")
    func zeroDivisor() {
        let g = Graph()
        let q = g.div(g.constant([1, 2] as [Int32]), g.constant([1, 0] as [Int32]))
        #expect(kernelMessage { _ = try runner.run(q) } == "Integer division by zero")
    }
}
