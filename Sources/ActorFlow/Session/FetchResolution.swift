/// Resolves a ``Fetch`` structure to the unique tensors to compute and ops to run, and rebuilds the
/// structure from their values afterwards.
///
/// Leaves are made unique by identity, so a tensor fetched several times (by value or by name) is
/// computed once and its value copied into every position; a stateful op fetched twice runs once.
struct FetchResolver {
    /// The shape of a fetch with its leaves replaced by indices into ``tensors``.
    enum Template {
        case tensor(Int)
        case handle(Int)
        case operation
        case sparse(indices: Int, values: Int, denseShape: Int)
        case list([Template])
        case dict([String: Template])
    }

    let graph: Graph
    private(set) var tensors: [Tensor] = []
    private(set) var targets: [Operation] = []
    private var tensorIndex: [Tensor: Int] = [:]
    private var targetSet: Set<Operation> = []

    /// Read once per run rather than under the graph's lock for every leaf.
    private let unfetchable: Set<Operation>

    init(graph: Graph) {
        self.graph = graph
        self.unfetchable = graph.unfetchableOperations
    }

    /// Records the leaves of `fetch` and returns its template.
    mutating func resolve(_ fetch: Fetch) throws(SessionError) -> Template {
        switch fetch {
        case .tensor(let t):
            return try tensorLeaf(t)
        case .operation(let op):
            try checkFetchable(op, element: op.description)
            if targetSet.insert(op).inserted { targets.append(op) }
            return .operation
        case .sparse(let sp):
            guard case .tensor(let i) = try tensorLeaf(sp.indices), case .tensor(let v) = try tensorLeaf(sp.values),
                case .tensor(let d) = try tensorLeaf(sp.denseShape)
            else { throw .invalidFetch(fetch: sp.description, reason: "a sparse component is a session handle") }
            return .sparse(indices: i, values: v, denseShape: d)
        case .name(let name):
            if name.contains(":") { return try tensorLeaf(try graph.tensor(named: name)) }
            return try resolve(.operation(try graph.operation(named: name)))
        case .list(let elements):
            var templates: [Template] = []
            templates.reserveCapacity(elements.count)
            for e in elements { templates.append(try resolve(e)) }
            return .list(templates)
        case .dict(let entries):
            var templates: [String: Template] = [:]
            for (k, e) in entries { templates[k] = try resolve(e) }
            return .dict(templates)
        }
    }

    private mutating func tensorLeaf(_ t: Tensor) throws(SessionError) -> Template {
        try checkFetchable(t.op, element: t.description)
        let index: Int
        if let existing = tensorIndex[t] {
            index = existing
        } else {
            index = tensors.count
            tensorIndex[t] = index
            tensors.append(t)
        }
        return t.op.type == "GetSessionHandle" ? .handle(index) : .tensor(index)
    }

    private func checkFetchable(_ op: Operation, element: String) throws(SessionError) {
        guard graph.contains(op) else { throw .notInGraph(element: element) }
        guard unfetchable.isEmpty || !unfetchable.contains(op) else { throw .notFetchable(op: op.name) }
    }

    /// Rebuilds the fetched structure from the values of ``tensors``.
    ///
    /// A handle fetched in several positions becomes one ``TensorHandle`` object (`handles` caches them),
    /// so the stored tensor lives as long as any of them.
    static func build(
        _ template: Template, values: [NDArray], state: SessionState, handles: inout [Int: TensorHandle]
    ) throws(SessionError) -> FetchedValue {
        switch template {
        case .tensor(let i):
            return .tensor(values[i])
        case .handle(let i):
            if let existing = handles[i] { return .handle(existing) }
            let handle = try values[i].scalar(as: String.self)
            let stored = try state.handleValue(handle)
            let made = TensorHandle(handle: handle, dtype: stored.dtype, dimensions: stored.dimensions, state: state)
            handles[i] = made
            return .handle(made)
        case .operation:
            return .none
        case .sparse(let i, let v, let d):
            return .sparse(try SparseTensorValue(indices: values[i], values: values[v], denseShape: values[d]))
        case .list(let templates):
            var out: [FetchedValue] = []
            out.reserveCapacity(templates.count)
            for t in templates { out.append(try build(t, values: values, state: state, handles: &handles)) }
            return .list(out)
        case .dict(let templates):
            var out: [String: FetchedValue] = [:]
            for (k, t) in templates { out[k] = try build(t, values: values, state: state, handles: &handles) }
            return .dict(out)
        }
    }
}
