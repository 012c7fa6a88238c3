/// ``Operation`` under a name no other module uses.
///
/// Foundation also declares a class `Operation`, so in a file that imports both Foundation and ActorFlow the bare
/// name is ambiguous and does not compile. `GraphOperation` is the same type and always resolves; TensorFlow's
/// name stays available where it is unambiguous (or as `ActorFlow.Operation`).
///
///     import Foundation
///     import ActorFlow
///
///     let g = Graph()
///     let y = g.add(g.constant(Float(1)), g.constant(Float(2)), name: "y")
///     let op: GraphOperation = y.op
///     let initializers: [GraphOperation] = [g.globalVariablesInitializer()]
///     print(op.name, initializers.count)     // y 1
public typealias GraphOperation = Operation

/// A node of a ``Graph``: an op type, inputs, control inputs, attributes and typed outputs.
///
/// Operations are created by graph methods (`g.add(a, b)`, `g.matMul(x, w)`, …) and never change
/// afterwards. Fetch an operation to run it for its effect (`try session.run(init)` returns `Void`).
///
///     let y = g.matMul(x, w, name: "y")
///     print(y.op.name, y.op.type)       // y MatMul
///     print(y.op.inputs.map(\.name))    // ["x:0", "Const:0"]
public final class Operation: Sendable, Hashable, CustomStringConvertible {
    /// The unique name in the graph (`"layer1/MatMul_1"`).
    public let name: String
    /// The op type (`"MatMul"`, `"Placeholder"`, …).
    public let type: String
    /// The data inputs, in order.
    public var inputs: [Tensor] { edges.inputs }
    /// Ops that must finish before this one starts.
    public var controlInputs: [Operation] { edges.controlInputs }
    /// The references to producer ops, kept apart so ``deinit`` can dismantle chains iteratively.
    private let edges: OperationEdges
    /// The dtype of each output.
    public let outputDTypes: [DType]
    /// The static shape of each output.
    public let outputShapes: [TensorShape]
    /// Op attributes (`transpose_a`, `dtype`, `value`, …).
    public let attributes: [String: AttributeValue]
    /// Whether running the op has effects beyond its outputs (variables, handles, custom ops).
    public let isStateful: Bool
    /// The op's index in its graph (creation order).
    public let id: Int
    /// The identity of the graph the op belongs to.
    public let graphID: Int
    /// The CPU kernel.
    public let kernel: Kernel
    /// Why the op could not be built (bad shapes, dtypes, …); reported when a run needs the op.
    public let buildError: String?
    /// Where the op was placed (``Graph/withDevice(_:_:)``), parsed; empty for the client's task.
    public var deviceSpec: DeviceSpec { placement?.spec ?? DeviceSpec() }
    /// ``deviceSpec`` when the op was placed: a reference, so that an unplaced op (nearly all) stores one word
    /// instead of the spec's 80 bytes.
    private let placement: Placement?

    /// Where the op was placed, in TensorFlow's canonical syntax (`"/job:worker/task:1"`); `""` when it was not
    /// placed, so it runs on the client's task.
    ///
    ///     let y = g.withDevice("/job:worker/task:1") { g.identity(x) }
    ///     print(y.op.device)   // /job:worker/task:1
    public var device: String { deviceSpec.description }

    package init(
        name: String, type: String, inputs: [Tensor], controlInputs: [Operation], outputDTypes: [DType],
        outputShapes: [TensorShape], attributes: [String: AttributeValue], isStateful: Bool, id: Int,
        graphID: Int, kernel: Kernel, buildError: String?, deviceSpec: DeviceSpec = DeviceSpec()
    ) {
        self.name = name
        self.type = type
        self.edges = OperationEdges(inputs: inputs, controlInputs: controlInputs)
        self.outputDTypes = outputDTypes
        self.outputShapes = outputShapes
        self.attributes = attributes
        self.isStateful = isStateful
        self.id = id
        self.graphID = graphID
        self.kernel = kernel
        self.buildError = buildError
        self.placement = deviceSpec == DeviceSpec() ? nil : Placement(spec: deviceSpec)
    }

    /// A placed op's device.
    private final class Placement: Sendable {
        let spec: DeviceSpec
        init(spec: DeviceSpec) { self.spec = spec }
    }

    /// Releases the producers iteratively: an op that holds the last reference to its producer takes the
    /// producer's own edges before letting it go, so dropping the end of a million-op chain never recurses
    /// through a million `deinit`s.
    deinit {
        var pending = edges.take()
        while var op = pending.popLast() {
            if isKnownUniquelyReferenced(&op) {
                pending.append(contentsOf: op.edges.take())
            }
        }
    }

    /// The number of outputs.
    public var outputCount: Int { outputDTypes.count }

    /// All outputs as tensors.
    public var outputs: [Tensor] { (0..<outputCount).map { Tensor(op: self, index: $0) } }

    /// Output `index` as a tensor.
    public func output(_ index: Int) -> Tensor {
        precondition(index >= 0 && index < outputCount, "op \(name) has \(outputCount) outputs, not \(index + 1)")
        return Tensor(op: self, index: index)
    }

    /// The label TensorFlow's timeline shows: `"name = Type(in0, in1, ^ctrl)"`.
    ///
    /// Made when asked for, not stored: a graph of a million ops would otherwise hold a million strings that only
    /// traced runs read (step statistics make each op's label once per plan).
    public var timelineLabel: String {
        let args = inputs.map { $0.index == 0 ? $0.op.name : $0.name } + controlInputs.map { "^" + $0.name }
        return "\(name) = \(type)(\(args.joined(separator: ", ")))"
    }

    /// `Operation("y", type: MatMul)`.
    public var description: String { "Operation(\"\(name)\", type: \(type))" }

    public static func == (lhs: Operation, rhs: Operation) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// An attribute value of an op.
public enum AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case ints([Int])
    case float(Double)
    case bool(Bool)
    case string(String)
    case dtype(DType)
    case shape(TensorShape)
    case tensor(NDArray)

    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .ints(let v): "\(v)"
        case .float(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): "\"\(v)\""
        case .dtype(let v): "\(v)"
        case .shape(let v): "\(v)"
        case .tensor(let v): v.debugDescription
        }
    }
}

/// The producer references of an ``Operation``.
///
/// Immutable while the op is shared; ``take()`` is called only from the deinit of the owning op, or on an
/// op uniquely referenced by such a deinit, when no other thread can reach it.
private final class OperationEdges: @unchecked Sendable {
    private(set) var inputs: [Tensor]
    private(set) var controlInputs: [Operation]

    init(inputs: [Tensor], controlInputs: [Operation]) {
        self.inputs = inputs
        self.controlInputs = controlInputs
    }

    /// Empties the edges and returns the producers they referenced.
    func take() -> [Operation] {
        let producers = inputs.map(\.op) + controlInputs
        inputs = []
        controlInputs = []
        return producers
    }
}
