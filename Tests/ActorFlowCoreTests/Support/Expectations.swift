import ActorFlowCore
import ActorFlowTestSupport
import Testing

/// The reason of the ``SessionError/invalidValue(reason:)`` that `body` throws; records an issue and
/// returns `nil` when it returns or throws anything else.
func invalidValueReason<R>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R) -> String? {
    switch sessionError(sourceLocation: sourceLocation, body) {
    case .invalidValue(let reason)?: return reason
    case let other?:
        Issue.record("expected SessionError.invalidValue, got \(other)", sourceLocation: sourceLocation)
        return nil
    case nil: return nil
    }
}

/// The `(name, reason)` of the ``SessionError/unknownTensor(name:reason:)`` that `body` throws.
func unknownTensor<R>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) -> (name: String, reason: String)? {
    switch sessionError(sourceLocation: sourceLocation, body) {
    case .unknownTensor(let name, let reason)?: return (name, reason)
    case let other?:
        Issue.record("expected SessionError.unknownTensor, got \(other)", sourceLocation: sourceLocation)
        return nil
    case nil: return nil
    }
}
