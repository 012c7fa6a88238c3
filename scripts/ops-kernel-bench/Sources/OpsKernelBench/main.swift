// MatMul GFLOP/s against a naive i-j-k triple loop, then element-wise, reduction and transpose throughput
// on 2^20 floats. Release build, one thread, best of N runs (the machine is shared: read the best, not
// the mean). Not a regression gate: timings move with the machine's load.
import ActorFlowCore
import ActorFlowOps
import Dispatch

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func best(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<repetitions { fastest = min(fastest, try seconds(body)) }
    return fastest
}

func run(_ t: Tensor, _ inputs: [NDArray]) throws -> [NDArray] {
    try t.op.kernel.compute(
        KernelContext(op: t.op, inputs: inputs, state: SessionState(), stepID: 0, cancellation: StepCancellation()))
}

func rounded(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }

/// The naive i-j-k triple loop over row-major arrays.
func naive<T: FloatingPoint>(_ a: [T], _ b: [T], _ n: Int) -> [T] {
    var c = [T](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            var s: T = 0
            for k in 0..<n { s += a[i * n + k] * b[k * n + j] }
            c[i * n + j] = s
        }
    }
    return c
}

func matMul<T: NDArrayScalar & BinaryFloatingPoint>(_ type: T.Type, _ n: Int) throws
where T.RawSignificand: FixedWidthInteger {
    var rng = SystemRandomNumberGenerator()
    let a = (0..<(n * n)).map { _ in T.random(in: -1...1, using: &rng) }
    let b = (0..<(n * n)).map { _ in T.random(in: -1...1, using: &rng) }
    let inputs = [try NDArray(shape: [n, n], scalars: a), try NDArray(shape: [n, n], scalars: b)]
    let g = Graph()
    let y = g.matMul(g.placeholder(T.dtype, shape: [n, n]), g.placeholder(T.dtype, shape: [n, n]))
    var result: [NDArray] = []
    let kernel = try best(n <= 256 ? 50 : 15) { result = try run(y, inputs) }
    var reference: [T] = []
    let slow = best(n <= 256 ? 3 : 1) { reference = naive(a, b, n) }
    let worst = zip(try result[0].scalars(as: T.self), reference).map { abs($0 - $1) }.max() ?? 0
    let flops = 2.0 * Double(n * n * n)
    print(
        "matMul \(T.dtype) \(n)×\(n): kernel \(rounded(flops / kernel / 1e9)) GFLOP/s (\(rounded(kernel * 1e3)) ms), "
            + "naive \(rounded(flops / slow / 1e9)) GFLOP/s (\(rounded(slow * 1e3)) ms), "
            + "speedup \(rounded(slow / kernel))×, max |difference| \(worst)")
}

for n in [256, 512] {
    try matMul(Float.self, n)
    try matMul(Double.self, n)
}

let count = 1 << 20
let x = try NDArray(shape: [1024, 1024], scalars: (0..<count).map { Float($0 % 97) })
let row = try NDArray(shape: [1024], scalars: (0..<1024).map { Float($0) })
let g = Graph()
let px = g.placeholder(.float32, shape: [1024, 1024])
let pr = g.placeholder(.float32, shape: [1024])
let cases: [(String, Tensor, [NDArray])] = [
    ("add, same shapes", g.add(px, px), [x, x]),
    ("add, trailing vector", g.add(px, pr), [x, row]),
    ("mul by a scalar", g.mul(px, g.constant(Float(2))), [x, NDArray(Float(2))]),
    ("relu", g.relu(px), [x]),
    ("exp", g.exp(px), [x]),
    ("reduceSum, all", g.reduceSum(px), [x]),
    ("reduceSum, axis 0", g.reduceSum(px, axes: [0]), [x]),
    ("reduceSum, axis 1", g.reduceSum(px, axes: [1]), [x]),
    ("transpose", g.transpose(px), [x]),
    ("softmax", g.softmax(px), [x]),
]
for (label, t, inputs) in cases {
    let s = try best(20) { _ = try run(t, inputs) }
    print("\(label), 1024×1024 float: \(rounded(s * 1e6)) µs, \(rounded(Double(count) / s / 1e9)) G elements/s")
}
