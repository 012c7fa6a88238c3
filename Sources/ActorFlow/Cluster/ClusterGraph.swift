@_spi(ActorFlowInternal) import ActorFlowCore

/// The graph one task runs in a cluster session: the session's graph with each op placed on this task kept under
/// its name (its kernel also handing its outputs to the tasks that consume them in the current step), and each op
/// placed elsewhere replaced by a `_Recv` of the same name and outputs, whose async kernel awaits the tensors
/// from their task without holding a worker (it runs only when a step pulls it in).
///
/// Built op by op as the session's graph grows, and run by one inner ``Session`` per task, so variables keep
/// their values from step to step. Which tensors cross in a step is the step's ``ClusterRoute``, read by the
/// kernels from ``current`` (a cluster runs one step at a time).
final class ClusterGraph: Sendable {
    let original: Graph
    let graph = Graph()
    let rank: Int
    let transport: any ClusterTransport
    /// The step running now, read by the kernels.
    let current = Locked<ClusterStepState?>(nil)

    private struct Built {
        var count = 0
        /// This task's copy of each op, or its `_Recv` stand-in, by the original op's id.
        var copies: [Int: Operation] = [:]
    }

    private let built = Locked(Built())

    init(original: Graph, transport: any ClusterTransport) {
        self.original = original
        self.rank = transport.rank
        self.transport = transport
    }

    /// Copies the ops added to the session's graph since the last call.
    func sync() {
        let operations = original.operations
        built.withLock { built in
            guard built.count < operations.count else { return }
            for op in operations[built.count...] { copy(op, into: &built) }
            built.count = operations.count
        }
    }

    private func task(of op: Operation) -> Int { op.deviceSpec.task ?? 0 }

    private func copy(_ op: Operation, into built: inout Built) {
        guard task(of: op) == rank else {
            built.copies[op.id] = standIn(for: op)
            return
        }
        // (Producers come first in creation order, so each has its copy or stand-in already.)
        let inputs = op.inputs.compactMap { t in built.copies[t.op.id]?.output(t.index) }
        let controls = op.controlInputs.compactMap { built.copies[$0.id] }
        let name = op.name
        let kernel: Kernel
        if op.kernel.isAsync {
            let compute = op.kernel.computeAsync
            let current = self.current
            kernel = .async(isExpensive: op.kernel.isExpensive) { ctx in
                let outputs = try await compute(ctx)
                current.withLock { $0 }?.emit(name, outputs: outputs)
                return outputs
            }
        } else {
            let compute = op.kernel.compute
            kernel = Kernel(isExpensive: op.kernel.isExpensive) { [current] ctx in
                let outputs = try compute(ctx)
                current.withLock { $0 }?.emit(name, outputs: outputs)
                return outputs
            }
        }
        built.copies[op.id] = graph.addOperation(
            type: op.type, name: op.name, inputs: inputs, controlInputs: controls, attributes: op.attributes,
            outputs: Array(zip(op.outputDTypes, op.outputShapes)), isStateful: op.isStateful,
            buildError: op.buildError, kernel: kernel)
    }

    /// A `_Recv` named as `producer`, placed on another task, with its dtypes and unknown shapes (outputs this
    /// task does not consume in a step are empty).
    private func standIn(for producer: Operation) -> Operation {
        let name = producer.name
        let dtypes = producer.outputDTypes
        let current = self.current
        let kernel = Kernel.async(isExpensive: true) { _ in
            guard let step = current.withLock({ $0 }) else {
                throw KernelError("_Recv '\(name)' ran outside a cluster step")
            }
            return try await step.receive(name, dtypes: dtypes)
        }
        return graph.addOperation(
            type: "_Recv", name: name, outputs: dtypes.map { ($0, TensorShape.unknown) }, isStateful: true,
            kernel: kernel)
    }
}

/// The state of one cluster step on one task: its route, and which of its edges have been sent and received, so
/// that when the step ends every edge has carried exactly one message (a value or, after a failure, an abort
/// notice) and no message is left for a later step.
final class ClusterStepState: Sendable {
    let route: ClusterRoute
    let transport: any ClusterTransport
    private let sendsByName: [String: [ClusterRoute.Edge]]
    private let receivesByName: [String: [ClusterRoute.Edge]]

    private struct Progress {
        var sent: Set<Int> = []
        var received: Set<Int> = []
        var inFlight: [Task<Void, any Error>] = []
    }

    private let progress = Locked(Progress())

    init(route: ClusterRoute, transport: any ClusterTransport) {
        self.route = route
        self.transport = transport
        sendsByName = Dictionary(grouping: route.sends, by: \.name)
        receivesByName = Dictionary(grouping: route.receives, by: \.name)
    }

    /// Starts sending the outputs of op `name` to the tasks that consume them in this step.
    func emit(_ name: String, outputs: [NDArray]) {
        guard let edges = sendsByName[name] else { return }
        for edge in edges {
            let value = edge.output >= 0 ? outputs[edge.output] : ClusterMessages.token
            let (transport, tag, peer) = (transport, route.tag(edge.index), edge.peer)
            let sending = Task { try await transport.send(value, to: peer, tag: tag) }
            progress.withLock {
                $0.sent.insert(edge.index)
                $0.inFlight.append(sending)
            }
        }
    }

    /// The outputs of op `name` (placed on another task) that this task consumes in this step, received; the
    /// others empty. Throws when the producing task reports a failure instead.
    func receive(_ name: String, dtypes: [DType]) async throws -> [NDArray] {
        var values = dtypes.map(ClusterMessages.empty)
        for edge in receivesByName[name] ?? [] {
            progress.withLock { _ = $0.received.insert(edge.index) }
            let value = try await transport.receive(from: edge.peer, tag: route.tag(edge.index))
            if let abort = ClusterMessages.abortReason(value) { throw ClusterAbort(reason: abort) }
            if edge.output >= 0 { values[edge.output] = value }
        }
        return values
    }

    /// Ends the step on this task: waits for the sends in flight, sends an abort notice on every edge this task
    /// did not send (its producer failed or never ran), and receives and drops every message this task did not
    /// receive. Returns the first transport error, if any.
    func finish(reason: String) async -> (any Error)? {
        let (sent, received, inFlight) = progress.withLock { ($0.sent, $0.received, $0.inFlight) }
        var failure: (any Error)?
        for sending in inFlight {
            if case .failure(let error) = await sending.result, failure == nil { failure = error }
        }
        for edge in route.sends where !sent.contains(edge.index) {
            do {
                try await transport.send(ClusterMessages.abort(reason), to: edge.peer, tag: route.tag(edge.index))
            } catch {
                if failure == nil { failure = error }
            }
        }
        for edge in route.receives where !received.contains(edge.index) {
            do {
                _ = try await transport.receive(from: edge.peer, tag: route.tag(edge.index))
            } catch {
                if failure == nil { failure = error }
            }
        }
        return failure
    }
}

/// What a `_Recv` throws when the task it waits for sent an abort notice: that task's step failed first.
struct ClusterAbort: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// The cluster's own messages: control tags, the step's status, abort notices, empty stand-in values.
enum ClusterMessages {
    /// From the client to a task: a step's route, or "close".
    static let controlTag = 1
    /// From a task to the client: how its part of the step ended.
    static let statusTag = 2

    static let token = (try? NDArray(shape: [0], scalars: [Float]())) ?? NDArray(Float(0))

    static let abortMarker = "\u{1}actorflow-abort"
    static let closeMarker = "\u{1}actorflow-close"

    static func abort(_ reason: String) -> NDArray { NDArray([abortMarker, reason]) }

    /// The reason in an abort notice, or `nil` for any other value.
    static func abortReason(_ value: NDArray) -> String? {
        guard value.dtype == .string, value.dimensions == [2], case .string(let s) = value.storage,
            s[0] == abortMarker
        else { return nil }
        return s[1]
    }

    /// An empty value of `dtype`, for the outputs of a `_Recv` that this task does not consume.
    static func empty(_ dtype: DType) -> NDArray {
        let value: NDArray? =
            switch dtype {
            case .float32: try? NDArray(shape: [0], scalars: [Float]())
            case .float64: try? NDArray(shape: [0], scalars: [Double]())
            case .int32: try? NDArray(shape: [0], scalars: [Int32]())
            case .int64: try? NDArray(shape: [0], scalars: [Int64]())
            case .bool: try? NDArray(shape: [0], scalars: [Bool]())
            case .string: try? NDArray(shape: [0], scalars: [String]())
            }
        return value ?? NDArray(Float(0))
    }
}
