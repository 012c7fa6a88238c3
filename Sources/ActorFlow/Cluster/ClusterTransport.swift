/// The processes a session spreads a graph over, and the tensors they exchange: what
/// ``SessionOptions/cluster`` holds. `ActorFlowMPI`'s `MPICluster` is the implementation (task N is MPI rank N);
/// the core library needs no MPI.
///
///     let cluster = try MPICluster()            // import ActorFlowMPI; started by mpirun
///     let session = Session(graph: g, options: SessionOptions(cluster: cluster))
///
/// Messages between two ranks under the same tag must arrive in the order they were sent.
public protocol ClusterTransport: AnyObject, Sendable {
    /// This process's task number, `0..<size`; task 0 is the client that calls `Session.run`.
    var rank: Int { get }
    /// How many tasks (processes) there are.
    var size: Int { get }
    /// The largest tag ``send(_:to:tag:)`` accepts.
    var maximumTag: Int { get }
    /// Sends `value` to task `destination` under `tag`; returns once the value may be dropped.
    func send(_ value: NDArray, to destination: Int, tag: Int) async throws
    /// Receives the next value task `source` sends under `tag`.
    func receive(from source: Int, tag: Int) async throws -> NDArray
    /// Told by a cluster session that task `task` stopped answering (its process died): the transport may stop
    /// waiting for it, for example at shutdown. The default does nothing.
    func peerDied(_ task: Int)
}

extension ClusterTransport {
    public func peerDied(_ task: Int) {}
}
