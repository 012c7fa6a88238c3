/// What can go wrong talking to other ranks.
///
///     do { _ = try await cluster.receive(from: 1, tag: 7) } catch { print(error) }
///     // MPI_Irecv failed: MPI_ERR_RANK: invalid rank
public enum MPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An MPI call returned an error code: the call and MPI's text for the code.
    case call(String, code: Int32, message: String)
    /// MPI cannot be used from this process: initialized twice, finalized, or without the thread support
    /// ActorFlow needs.
    case unavailable(String)
    /// A rank or tag outside what this cluster has.
    case invalidArgument(String)
    /// A message that is not a tensor ActorFlow sent (a format mismatch or another program on the channel).
    case malformedMessage(String)
    /// The cluster was finalized while the operation waited.
    case finalized

    public var description: String {
        switch self {
        case .call(let call, _, let message): "\(call) failed: \(message)"
        case .unavailable(let reason): "MPI is unavailable: \(reason)"
        case .invalidArgument(let reason): reason
        case .malformedMessage(let reason): "malformed tensor message: \(reason)"
        case .finalized: "the MPI cluster was finalized"
        }
    }
}
