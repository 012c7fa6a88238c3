import Synchronization

/// The state a session keeps across runs: variable values and tensors stored behind session handles.
///
/// Kernels of stateful ops (variables, `assign`, session handles) reach it through
/// ``KernelContext/state``. Each `Session` owns one, so two sessions on one graph have separate
/// variables, as in TensorFlow 1. Thread-safe: every field is guarded by its own mutex.
public final class SessionState: Sendable {
    /// Variable values keyed by the variable op's id in the graph.
    private let variables = Locked<[Int: NDArray]>([:])
    /// Tensors kept by `getSessionHandle`, keyed by handle string, plus the next handle number.
    private let handles = Locked<(next: Int, values: [String: NDArray])>((0, [:]))

    public init() {}

    /// The current value of variable op `opID`, or `nil` before it is initialized.
    public func variableValue(_ opID: Int) -> NDArray? {
        variables.withLock { $0[opID] }
    }

    /// Sets variable op `opID` to `value`.
    public func setVariable(_ opID: Int, to value: NDArray) {
        variables.withLock { $0[opID] = value }
    }

    /// Atomically replaces the value of variable `opID` with `update(old)`, returning the new value.
    public func updateVariable(
        _ opID: Int,
        _ update: (NDArray?) throws(SessionError) -> NDArray
    ) throws(SessionError) -> NDArray {
        try variables.withLock { (values: inout [Int: NDArray]) throws(SessionError) -> NDArray in
            let new = try update(values[opID])
            values[opID] = new
            return new
        }
    }

    /// Keeps `value` in session state and returns its handle string
    /// (`"<op name>;<id>;/job:localhost/replica:0/task:0/device:CPU:0"`, TensorFlow's form).
    public func storeHandle(_ value: NDArray, producer opName: String) -> String {
        handles.withLock { state in
            let handle = "\(opName);\(state.next);/job:localhost/replica:0/task:0/device:CPU:0"
            state.next += 1
            state.values[handle] = value
            return handle
        }
    }

    /// The tensor stored under `handle`.
    ///
    /// - Throws: ``SessionError/invalidHandle(handle:)`` when no tensor is stored under it.
    public func handleValue(_ handle: String) throws(SessionError) -> NDArray {
        guard let value = handles.withLock({ $0.values[handle] }) else { throw .invalidHandle(handle: handle) }
        return value
    }

    /// Forgets the tensor stored under `handle` (no effect when there is none).
    public func deleteHandle(_ handle: String) {
        _ = handles.withLock { $0.values.removeValue(forKey: handle) }
    }

    /// How many tensors are stored behind handles.
    public var storedHandleCount: Int { handles.withLock { $0.values.count } }

    /// Drops every variable and stored tensor (the session closed).
    public func reset() {
        variables.withLock { $0.removeAll() }
        handles.withLock { $0.values.removeAll() }
    }
}
