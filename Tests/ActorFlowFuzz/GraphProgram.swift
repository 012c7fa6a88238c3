import ActorFlow

/// Builds a graph from fuzz input through the public API, then feeds and fetches it: any input may be rejected with a
/// `SessionError` (or a decoding error), none may crash or hang.
enum GraphProgram {
    static let dtypes: [DType] = [.float32, .float64, .int32, .int64, .bool, .string]

    static func run(_ input: inout FuzzInput) {
        let g = Graph()
        var tensors: [Tensor] = []
        var placeholders: [Tensor] = []
        let steps = 1 + input.choice(12)
        for _ in 0..<steps {
            if let t = op(g, &input, tensors) {
                tensors.append(t)
                if t.op.type == "Placeholder" { placeholders.append(t) }
            }
        }
        guard !tensors.isEmpty else { return }
        let policies: [SchedulingPolicy] = [.callerThread, .default, .globalQueue]
        let session = Session(graph: g, options: SessionOptions(policy: policies[input.choice(policies.count)]))
        defer { session.close() }
        let names = tensors.map(\.op.name)
        for _ in 0..<(1 + input.choice(3)) {
            var feeds = FeedDict()
            for p in placeholders where input.choice(4) != 0 { feeds.set(p, value(&input)) }
            if input.choice(8) == 0 { feeds.set(input.name(among: names), value(&input)) }
            var fetches: [Fetch] = []
            for _ in 0..<(1 + input.choice(3)) {
                switch input.choice(4) {
                case 0: fetches.append(.name(input.name(among: names)))
                case 1: fetches.append(.operation(tensors[input.choice(tensors.count)].op))
                default: fetches.append(.tensor(tensors[input.choice(tensors.count)]))
                }
            }
            let trace: RunOptions.TraceLevel = input.choice(4) == 0 ? .fullTrace : .noTrace
            var metadata = RunMetadata()
            _ = try? session.run(fetch: .list(fetches), feeds: feeds, options: RunOptions(traceLevel: trace), metadata: &metadata)
            if trace == .fullTrace { _ = ChromeTraceExporter().json(for: metadata) }
        }
    }

    /// A feed value of a random dtype and shape, awkward numbers included.
    static func value(_ input: inout FuzzInput) -> NDArray {
        let count = input.choice(5)
        let numbers = (0..<count).map { _ in input.number() }
        switch input.choice(5) {
        case 0: return NDArray(numbers.map { Float($0) })
        case 1: return NDArray(numbers)
        case 2: return NDArray(numbers.map { $0.isFinite && abs($0) < 1e9 ? Int32($0) : Int32.min })
        case 3: return NDArray(numbers.map { "\($0)" })
        default: return NDArray(numbers.first ?? 0)
        }
    }

    static func op(_ g: Graph, _ input: inout FuzzInput, _ tensors: [Tensor]) -> Tensor? {
        func pick() -> Tensor? { tensors.isEmpty ? nil : tensors[input.choice(tensors.count)] }
        func dims() -> [Int] { (0..<input.choice(4)).map { _ in input.dimension() ?? -1 } }
        switch input.choice(14) {
        case 0:
            let shape: TensorShape = input.bool() ? .unknown : TensorShape((0..<input.choice(4)).map { _ in input.dimension() })
            return g.placeholder(dtypes[input.choice(dtypes.count)], shape: shape)
        case 1: return g.constant(value(&input))
        case 2:
            guard let a = pick(), let b = pick() else { return nil }
            switch input.choice(5) {
            case 0: return g.add(a, b)
            case 1: return g.sub(a, b)
            case 2: return g.mul(a, b)
            case 3: return g.div(a, b)
            default: return g.maximum(a, b)
            }
        case 3:
            guard let a = pick() else { return nil }
            switch input.choice(5) {
            case 0: return g.neg(a)
            case 1: return g.sqrt(a)
            case 2: return g.relu(a)
            case 3: return g.softmax(a)
            default: return g.identity(a)
            }
        case 4:
            guard let a = pick(), let b = pick() else { return nil }
            return g.matMul(a, b)
        case 5:
            guard let a = pick() else { return nil }
            return g.reshape(a, dims())
        case 6:
            guard let a = pick() else { return nil }
            return input.bool() ? g.reshape(a, pick() ?? a) : g.fill(pick() ?? a, value: a)
        case 7: return g.fill(dims(), value: Float(1))
        case 8:
            guard let a = pick() else { return nil }
            return g.cast(a, to: dtypes[input.choice(dtypes.count)])
        case 9:
            guard let a = pick() else { return nil }
            return g.reduceSum(a, axes: input.bool() ? nil : (0..<input.choice(3)).map { _ in input.choice(7) - 3 })
        case 10:
            guard let a = pick() else { return nil }
            return g.transpose(a, perm: input.bool() ? nil : (0..<input.choice(4)).map { _ in input.choice(5) - 1 })
        case 11:
            let values = (0..<input.choice(3)).compactMap { _ in pick() }
            return g.concat(values, axis: input.choice(5) - 2)
        case 12:
            guard let a = pick() else { return nil }
            return g.shape(a, outType: input.bool() ? .int32 : .int64)
        default:
            guard let a = pick() else { return nil }
            let fails = input.bool()
            return g.customOp(name: "fuzz", inputs: [a], outputs: [(a.dtype, a.shape)]) { inputs in
                if fails { throw KernelError("fuzz kernel fails on purpose") }
                return inputs
            }[0]
        }
    }
}
