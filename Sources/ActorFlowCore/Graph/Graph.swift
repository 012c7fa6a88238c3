import Synchronization

/// A dataflow graph: operations connected by tensors, built once and run many times by a `Session`.
///
/// Ops are graph methods (from `ActorFlowOps`, re-exported by `ActorFlow`) that return their output
/// tensors. Names are made unique the TensorFlow way (`Add`, `Add_1`, `layer/MatMul`):
///
///     let g = Graph()
///     let a = g.constant(Float(1))              // "Const:0"
///     let b = g.constant(Float(2))              // "Const_1:0"
///     let c = g.withNameScope("layer") { g.add(a, b) }   // "layer/Add:0"
///     try g.tensor(named: "layer/Add:0") == c   // true
///
/// A graph may keep growing while sessions run it; new ops are visible to later runs. All methods are
/// thread-safe.
public final class Graph: Sendable, CustomStringConvertible {
    /// A process-unique identity, used to tell graphs apart.
    public let id: Int

    private static let nextID = Atomic<Int>(1)

    /// Everything mutable, behind one lock.
    private struct State {
        var operations: [Operation] = []
        var byName: [String: Operation] = [:]
        /// TensorFlow's `_names_in_use`: lower-cased name → next suffix.
        var namesInUse: [String: Int] = [:]
        var unfeedable: Set<Tensor> = []
        var unfetchable: Set<Operation> = []
        /// Bumped by every `preventFetching`, so caches of resolved fetches know when to look again.
        var fetchRestrictionsVersion = 0
        var collections: [String: [Operation]] = [:]
    }

    private let state = Locked(State())

    public init() {
        id = Graph.nextID.add(1, ordering: .relaxed).oldValue
    }

    /// The number of operations (TensorFlow's `graph.version`).
    public var version: Int { state.withLock { $0.operations.count } }

    /// Whether the graph has no operations.
    public var isEmpty: Bool { version == 0 }

    /// A snapshot of all operations in creation order.
    public var operations: [Operation] { state.withLock { $0.operations } }

    public var description: String { "Graph(id: \(id), operations: \(version))" }

    // MARK: Lookup

    /// The operation named `name`.
    ///
    /// - Throws: ``SessionError/unknownOperation(name:)``.
    public func operation(named name: String) throws(SessionError) -> Operation {
        guard let op = state.withLock({ $0.byName[name] }) else { throw .unknownOperation(name: name) }
        return op
    }

    /// The tensor named `"<op name>:<index>"`.
    ///
    /// - Throws: ``SessionError/unknownTensor(name:reason:)`` when the name is malformed, the op does not
    ///   exist, or the index is out of range.
    public func tensor(named name: String) throws(SessionError) -> Tensor {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let index = Int(parts[1]), index >= 0 else {
            throw .unknownTensor(
                name: name,
                reason: "The name '\(name)' looks a like a Tensor name, but is not a valid one. "
                    + "Tensor names must be of the form \"<op_name>:<output_index>\"."
            )
        }
        let opName = String(parts[0])
        guard let op = state.withLock({ $0.byName[opName] }) else {
            throw .unknownTensor(name: name, reason: "The operation, '\(opName)', does not exist in the graph.")
        }
        guard index < op.outputCount else {
            throw .unknownTensor(
                name: name,
                reason: "The operation, '\(opName)', exists but only has \(op.outputCount) outputs."
            )
        }
        return Tensor(op: op, index: index)
    }

    /// Whether `op` belongs to this graph.
    public func contains(_ op: Operation) -> Bool { op.graphID == id }

    // MARK: Feeding and fetching restrictions

    /// Marks `tensor` as not feedable: feeding it throws ``SessionError/notFeedable(tensor:)``.
    public func preventFeeding(_ tensor: Tensor) {
        _ = state.withLock { $0.unfeedable.insert(tensor) }
    }

    /// Marks `op` as not fetchable: fetching it or its outputs throws ``SessionError/notFetchable(op:)``.
    public func preventFetching(_ op: Operation) {
        state.withLock { state in
            state.unfetchable.insert(op)
            state.fetchRestrictionsVersion += 1
        }
    }

    /// Changes whenever ``preventFetching(_:)`` is called (sessions cache checked fetch structures by it).
    public var fetchRestrictionsVersion: Int { state.withLock { $0.fetchRestrictionsVersion } }

    /// Whether `tensor` may be fed.
    public func isFeedable(_ tensor: Tensor) -> Bool { state.withLock { !$0.unfeedable.contains(tensor) } }

    /// Whether `op` may be fetched.
    public func isFetchable(_ op: Operation) -> Bool { state.withLock { !$0.unfetchable.contains(op) } }

    /// The ops marked with ``preventFetching(_:)`` (one lock for a whole fetch structure).
    public var unfetchableOperations: Set<Operation> { state.withLock { $0.unfetchable } }

    // MARK: Collections

    /// Adds `op` to the named collection (TensorFlow's graph collections).
    public func addToCollection(_ name: String, _ op: Operation) {
        state.withLock { $0.collections[name, default: []].append(op) }
    }

    /// The ops of the named collection, in insertion order.
    public func collection(_ name: String) -> [Operation] { state.withLock { $0.collections[name] ?? [] } }

    // MARK: Building

    /// Adds an operation. Op methods (`add`, `matMul`, …) call this; so can libraries defining their own ops.
    ///
    /// The op gets a unique name derived from `name` (or `type`) inside the current name scope, and the
    /// control inputs of the enclosing ``withControlDependencies(_:_:)`` blocks. Inputs from another graph
    /// make the op invalid (reported by the first run that needs it), as does a non-nil `buildError`.
    ///
    /// - Returns: The new operation.
    @discardableResult
    public func addOperation(
        type: String,
        name: String? = nil,
        inputs: [Tensor] = [],
        controlInputs: [Operation] = [],
        attributes: [String: AttributeValue] = [:],
        outputs: [(DType, TensorShape)],
        isStateful: Bool = false,
        buildError: String? = nil,
        kernel: Kernel
    ) -> Operation {
        let scope = GraphBuildScope.current(for: id)
        // Deduplicated in order and in linear time (a join node may have 10^5 control inputs); an op whose
        // output is already an input needs no control edge.
        var seen = Set(inputs.map(\.op))
        var controls: [Operation] = []
        controls.reserveCapacity(scope.controlInputs.count + controlInputs.count)
        for op in scope.controlInputs + controlInputs where seen.insert(op).inserted { controls.append(op) }
        var error = buildError
        if error == nil, let foreign = inputs.first(where: { $0.op.graphID != id }) {
            error = "input \(foreign.name) is from another graph"
        }
        // `controls`, not `controlInputs`: a `withControlDependencies` block may name a foreign op too.
        if error == nil, let foreign = controls.first(where: { $0.graphID != id }) {
            error = "control input \(foreign.name) is from another graph"
        }
        if error == nil, let invalid = scope.deviceError { error = invalid }
        return state.withLock { state in
            let base = scope.prefix + (name ?? type)
            let unique = Graph.uniqueName(base, in: &state.namesInUse)
            let op = Operation(
                name: unique, type: type, inputs: inputs, controlInputs: controls,
                outputDTypes: outputs.map(\.0), outputShapes: outputs.map(\.1), attributes: attributes,
                isStateful: isStateful, id: state.operations.count, graphID: id, kernel: kernel, buildError: error,
                deviceSpec: scope.device
            )
            state.operations.append(op)
            state.byName[unique] = op
            return op
        }
    }

    /// Runs `body` with `name` (made unique) appended to the name scope of ops created inside.
    ///
    ///     let y = g.withNameScope("dense") { g.matMul(x, w) }   // "dense/MatMul:0"
    public func withNameScope<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        let scope = GraphBuildScope.current(for: id)
        let unique = state.withLock { Graph.uniqueName(scope.prefix + name, in: &$0.namesInUse) }
        var inner = scope
        inner.prefix = unique + "/"
        return try GraphBuildScope.with(inner, for: id, body)
    }

    /// The name scope ops are created in right now, without the trailing slash (TensorFlow's
    /// `get_name_scope()`); `""` outside any scope.
    ///
    ///     g.withNameScope("layer") { g.currentNameScope }   // "layer"
    public var currentNameScope: String {
        String(GraphBuildScope.current(for: id).prefix.dropLast())
    }

    /// Runs `body` so that every op created inside runs only after `ops` have run.
    ///
    ///     let after = g.withControlDependencies([inc.op]) { g.identity(a) }
    public func withControlDependencies<R>(_ ops: [Operation], _ body: () throws -> R) rethrows -> R {
        var inner = GraphBuildScope.current(for: id)
        inner.controlInputs = orderedUnion(inner.controlInputs, adding: ops)
        return try GraphBuildScope.with(inner, for: id, body)
    }

    /// Runs `body` so that every op created inside is placed on `device` (TensorFlow's `tf.device`): a task of
    /// the cluster, in TensorFlow's syntax. Nested blocks combine part by part, the inner block's parts winning.
    ///
    ///     let y = g.withDevice("/job:worker/task:1") { g.matMul(x, w) }
    ///     print(y.op.device)   // /job:worker/task:1
    ///
    /// A session without a cluster runs every task's ops in its own process, and reports one partition graph per
    /// task (``RunOptions/outputPartitionGraphs``); with `ActorFlowMPI`'s cluster, task N runs on MPI rank N. A
    /// string that is not a device makes the ops built inside invalid, naming it (`invalid device '/gpu:0':
    /// device type GPU is not available …`), reported by the first run that needs them.
    public func withDevice<R>(_ device: String, _ body: () throws -> R) rethrows -> R {
        var inner = GraphBuildScope.current(for: id)
        do {
            inner.device = inner.device.merged(with: try DeviceSpec(parsing: device))
        } catch {
            inner.deviceError = error.description
        }
        return try GraphBuildScope.with(inner, for: id, body)
    }

    /// The device ops are placed on right now (inside ``withDevice(_:_:)`` blocks), `""` outside any.
    public var currentDevice: String { GraphBuildScope.current(for: id).device.description }

    /// TensorFlow's `Graph.unique_name`: `name`, then `name_1`, `name_2`, … compared case-insensitively.
    private static func uniqueName(_ name: String, in namesInUse: inout [String: Int]) -> String {
        var key = name.lowercased()
        var i = namesInUse[key, default: 0]
        namesInUse[key] = i + 1
        guard i > 0 else { return name }
        let baseKey = key
        while namesInUse[key] != nil {
            key = "\(baseKey)_\(i)"
            i += 1
        }
        namesInUse[key] = 1
        return "\(name)_\(i - 1)"
    }
}

/// The name scope and control dependencies in force while building a graph, per task/thread.
struct GraphBuildScope: Sendable {
    var prefix = ""
    var controlInputs: [Operation] = []
    var device = DeviceSpec()
    /// Why an enclosing `withDevice` string could not be parsed (ops built inside are invalid).
    var deviceError: String?

    @TaskLocal static var scopes: [Int: GraphBuildScope] = [:]

    static func current(for graph: Int) -> GraphBuildScope { scopes[graph] ?? GraphBuildScope() }

    static func with<R>(_ scope: GraphBuildScope, for graph: Int, _ body: () throws -> R) rethrows -> R {
        var all = scopes
        all[graph] = scope
        return try $scopes.withValue(all, operation: body)
    }
}
