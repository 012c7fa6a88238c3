/// What a run with one feed/fetch/target signature executes: the pruned graph, flattened into arrays
/// indexed by node id, built once and cached by the session.
///
/// Pruning follows TensorFlow: only ops the fetches and targets need are kept, and a fed tensor cuts the
/// graph there (its producer does not run unless something else needs it). Nodes refer to each other by
/// index only, so a plan of a million-node chain holds no chains of references.
final class ExecutionPlan: Sendable {
    /// Where a node's input value comes from.
    enum ValueSource: Sendable {
        /// Output `output` of plan node `node`.
        case node(Int, output: Int)
        /// Fed value number `index` (see ``feedTensors``).
        case feed(Int)
    }

    /// A data edge out of a node: output `output` goes to absolute input slot `slot` of node `consumer`.
    struct DataEdge: Sendable {
        let output: Int
        let consumer: Int
        let slot: Int
    }

    /// One op of the plan (a class: the hot path reads it by reference, without copying its arrays).
    ///
    /// Everything a firing needs is prepared here once: where fed inputs go, which checks the outputs must
    /// pass, where each output is delivered.
    final class Node: Sendable {
        let op: Operation
        let kernel: Kernel
        /// The sources of the op's inputs, in order.
        let inputs: [ValueSource]
        /// The number of inputs: the node's slots are `inputSlotBase ..< inputSlotBase + inputCount`.
        let inputCount: Int
        /// The absolute slot index of input 0; input `i` lives at `inputSlotBase + i`.
        let inputSlotBase: Int
        /// Inputs that read fed tensors: the feed's value is copied into input slot `input` when the node fires.
        let fedInputs: [(input: Int, feed: Int)]
        /// Data edges to consumers inside the plan.
        let dataEdges: [DataEdge]
        /// Consumers that wait on this node through control edges.
        let controlSuccessors: [Int]
        /// Fetched outputs: output `output` is stored in fetch slot `fetchSlot`.
        let fetchedOutputs: [(output: Int, fetchSlot: Int)]
        /// In-edges from other plan nodes (data inputs from nodes plus control inputs).
        let initialPending: Int
        /// A `NoOp`: firing it runs nothing (TensorFlow's fast path).
        let isNoOp: Bool
        /// The declared dtype and shape of each output, which the kernel's results must match.
        let outputChecks: [OutputCheck]

        init(
            op: Operation, inputs: [ValueSource], inputSlotBase: Int, dataEdges: [DataEdge],
            controlSuccessors: [Int], fetchedOutputs: [(output: Int, fetchSlot: Int)], initialPending: Int
        ) {
            self.op = op
            self.kernel = op.kernel
            self.inputs = inputs
            self.inputCount = inputs.count
            self.inputSlotBase = inputSlotBase
            self.fedInputs = inputs.enumerated().compactMap { i, source in
                if case .feed(let f) = source { return (i, f) }
                return nil
            }
            self.dataEdges = dataEdges
            self.controlSuccessors = controlSuccessors
            self.fetchedOutputs = fetchedOutputs
            self.initialPending = initialPending
            self.isNoOp = op.type == "NoOp" && op.outputCount == 0
            self.outputChecks = zip(op.outputDTypes, op.outputShapes).map { OutputCheck(dtype: $0, shape: $1) }
        }

        /// Why `outputs` cannot be this op's outputs, or `nil` when they match its declared dtypes and shapes.
        @inline(__always)
        func problem(with outputs: [NDArray]) -> String? {
            guard outputs.count == outputChecks.count else {
                return "kernel returned \(outputs.count) outputs, the op declares \(outputChecks.count)"
            }
            for i in 0..<outputs.count where !outputChecks[i].accepts(outputs[i]) {
                return outputChecks[i].problem(with: outputs[i], output: i)
            }
            return nil
        }

        /// Why `output` cannot be this op's only output, or `nil` when it matches.
        @inline(__always)
        func problem(withOnly output: NDArray) -> String? {
            guard outputChecks.count == 1 else {
                return "kernel returned 1 output, the op declares \(outputChecks.count)"
            }
            return outputChecks[0].accepts(output) ? nil : outputChecks[0].problem(with: output, output: 0)
        }
    }

    /// The nodes; ids are indices.
    let nodes: [Node]
    /// Every consumer of every node, flattened: node `n`'s consumers (one per data edge, one per control
    /// edge) are `successors[successorStart[n]..<successorStart[n + 1]]`. Contiguous, so resolving a node's
    /// successors touches no per-node object.
    let successorStart: [Int]
    let successors: [Int32]
    /// How node `n` fires: its kernel inline, not at all (a `NoOp`, without touching its actor), or in a task of
    /// its own (an async kernel).
    let firingKind: [FiringKind]
    /// Whether any node has an async kernel (such steps track their kernels' tasks).
    let hasAsyncNodes: Bool
    /// What firing each node reads, contiguous and indexed by node id.
    let firing: FiringTable
    /// Each node's in-edges from other plan nodes (its pending count when a step starts), contiguous.
    let initialPending: [Int]
    /// Nodes with no in-edges: where a step starts.
    let roots: [Int]
    /// Fed tensors the plan reads, in feed-slot order.
    let feedTensors: [Tensor]
    /// Computed fetches, in fetch-slot order.
    let fetchTensors: [Tensor]
    /// Fetch slot of each computed fetch.
    let fetchSlot: [Tensor: Int]
    /// Node input slots (the total number of inputs of all nodes); fetch slots follow them, then one slot
    /// per fed tensor.
    let inputSlotCount: Int
    /// For each fed tensor, the node of each input edge that reads it (a node reading it twice appears twice).
    let feedConsumers: [[Int]]
    /// For each node, how many of its inputs are fed tensors.
    let feedInputCount: [Int]

    /// The slot of fed tensor `index`.
    func feedSlot(_ index: Int) -> Int { inputSlotCount + fetchTensors.count + index }

    /// The number of slots a step needs: every node input, every fetch, every fed tensor.
    var slotCount: Int { inputSlotCount + fetchTensors.count + feedTensors.count }

    /// Prunes the graph to what `fetches` and `targets` need given `fed`, and flattens it.
    ///
    /// - Throws: ``SessionError/invalidGraph(op:reason:)`` for an op that failed to build, and
    ///   ``SessionError/missingFeed(placeholder:dtype:shape:)`` for a needed placeholder that is not fed.
    init(fed: Set<Tensor>, fetches: [Tensor], targets: [Operation]) throws(SessionError) {
        // 1. Discover the needed ops (iteratively: graphs may be deep chains).
        var localID: [Operation: Int] = [:]
        var order: [Operation] = []
        var stack: [Operation] = []
        func visit(_ op: Operation) {
            if localID[op] == nil {
                localID[op] = order.count
                order.append(op)
                stack.append(op)
            }
        }
        for t in fetches { visit(t.op) }
        for op in targets { visit(op) }
        var feedIndex: [Tensor: Int] = [:]
        var feedTensors: [Tensor] = []
        while let op = stack.popLast() {
            for input in op.inputs {
                if fed.contains(input) {
                    if feedIndex[input] == nil {
                        feedIndex[input] = feedTensors.count
                        feedTensors.append(input)
                    }
                } else {
                    visit(input.op)
                }
            }
            for control in op.controlInputs { visit(control) }
        }

        // 2. Report ops that cannot run, in creation order so the message is deterministic.
        for op in order.sorted(by: { $0.id < $1.id }) {
            if let reason = op.buildError { throw .invalidGraph(op: op.name, reason: reason) }
            if op.type == "Placeholder" {
                throw .missingFeed(placeholder: op.name, dtype: op.outputDTypes[0], shape: op.outputShapes[0])
            }
        }

        // 3. Flatten: input slots, edges, pending counts, fetch slots.
        var slotBase: [Int] = []
        slotBase.reserveCapacity(order.count)
        var nextSlot = 0
        for op in order {
            slotBase.append(nextSlot)
            nextSlot += op.inputs.count
        }
        var fetchSlot: [Tensor: Int] = [:]
        var fetchTensors: [Tensor] = []
        for t in fetches where fetchSlot[t] == nil {
            fetchSlot[t] = nextSlot + fetchTensors.count
            fetchTensors.append(t)
        }
        var dataEdges = Array(repeating: [DataEdge](), count: order.count)
        var controlSuccessors = Array(repeating: [Int](), count: order.count)
        var pending = Array(repeating: 0, count: order.count)
        var sources = Array(repeating: [ValueSource](), count: order.count)
        var feedConsumers = Array(repeating: [Int](), count: feedTensors.count)
        var feedInputCount = Array(repeating: 0, count: order.count)
        for (id, op) in order.enumerated() {
            sources[id].reserveCapacity(op.inputs.count)
            for (i, input) in op.inputs.enumerated() {
                if let f = feedIndex[input] {
                    sources[id].append(.feed(f))
                    feedConsumers[f].append(id)
                    feedInputCount[id] += 1
                } else {
                    let producer = localID[input.op]!
                    sources[id].append(.node(producer, output: input.index))
                    dataEdges[producer].append(DataEdge(output: input.index, consumer: id, slot: slotBase[id] + i))
                    pending[id] += 1
                }
            }
            for control in Set(op.controlInputs) {
                controlSuccessors[localID[control]!].append(id)
                pending[id] += 1
            }
        }
        var fetchedOutputs = Array(repeating: [(output: Int, fetchSlot: Int)](), count: order.count)
        for t in fetchTensors { fetchedOutputs[localID[t.op]!].append((t.index, fetchSlot[t]!)) }

        nodes = order.indices.map { id in
            Node(
                op: order[id], inputs: sources[id], inputSlotBase: slotBase[id],
                dataEdges: dataEdges[id], controlSuccessors: controlSuccessors[id],
                fetchedOutputs: fetchedOutputs[id], initialPending: pending[id]
            )
        }
        roots = order.indices.filter { pending[$0] == 0 }
        var successorStart = [0]
        var successors: [Int32] = []
        successorStart.reserveCapacity(order.count + 1)
        for id in order.indices {
            for edge in dataEdges[id] { successors.append(Int32(edge.consumer)) }
            for consumer in controlSuccessors[id] { successors.append(Int32(consumer)) }
            successorStart.append(successors.count)
        }
        self.successorStart = successorStart
        self.successors = successors
        firingKind = nodes.map { $0.isNoOp ? .noOp : $0.kernel.isAsync ? .async : .inline }
        hasAsyncNodes = firingKind.contains(.async)
        firing = FiringTable(nodes)
        initialPending = pending
        self.feedTensors = feedTensors
        self.fetchTensors = fetchTensors
        self.fetchSlot = fetchSlot
        self.inputSlotCount = nextSlot
        self.feedConsumers = feedConsumers
        self.feedInputCount = feedInputCount
    }

    /// The fed tensors (feed indices) that computing `fetch` reads, directly or through its ancestors.
    func feedDependencies(of fetch: Tensor) -> Set<Int> {
        var id: [Operation: Int] = [:]
        for (i, node) in nodes.enumerated() { id[node.op] = i }
        guard let start = id[fetch.op] else { return [] }
        var seen: Set<Int> = [start]
        var stack = [start]
        var feeds: Set<Int> = []
        while let n = stack.popLast() {
            for source in nodes[n].inputs {
                switch source {
                case .feed(let f): feeds.insert(f)
                case .node(let p, _): if seen.insert(p).inserted { stack.append(p) }
                }
            }
            for control in nodes[n].op.controlInputs {
                if let p = id[control], seen.insert(p).inserted { stack.append(p) }
            }
        }
        return feeds
    }
}

/// How a node of a plan fires.
enum FiringKind: UInt8, Sendable {
    /// Its kernel runs on the thread that made it ready, inside its actor.
    case inline
    /// A `NoOp`: nothing runs; its successors are resolved at once.
    case noOp
    /// An async kernel: it runs in a task of its own that suspends on the node actor; its successors are
    /// resolved when the task delivers its outputs.
    case async
}
