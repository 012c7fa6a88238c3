import ActorFlowCore
import Testing

/// Asserts `body` throws a ``SessionError`` matching `matches`, and returns it for further checks.
///
///     expectSessionError({ _ = try session.run(x) }) { if case .missingFeed = $0 { true } else { false } }
@discardableResult
public func expectSessionError(
    _ body: () throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ matches: (SessionError) -> Bool
) -> SessionError? {
    do {
        try body()
        Issue.record("expected a SessionError, the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as SessionError {
        #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a SessionError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The ``SessionError`` that `body` throws; records an issue and returns `nil` when it returns or throws
/// another error.
///
///     guard case .invalidValue(let reason)? = sessionError({ try v.scalars(as: Int32.self) }) else { return }
public func sessionError<R>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R) -> SessionError? {
    do {
        let value = try body()
        Issue.record("expected a SessionError, got \(value)", sourceLocation: sourceLocation)
    } catch let error as SessionError {
        return error
    } catch {
        Issue.record("expected a SessionError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Asserts `body` throws a ``SessionError`` whose description mentions every string of `culprits` (the
/// element at fault: a tensor, an op, a key, a field), and returns it.
///
///     expectSessionError(naming: ["x:0", "(3,)"]) { _ = try session.run(x, feeds: [x: [1, 2, 3] as [Float]]) }
@discardableResult
public func expectSessionError(
    naming culprits: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> SessionError? {
    let error = sessionError(sourceLocation: sourceLocation, body)
    if let error {
        let text = error.description
        for culprit in culprits {
            #expect(text.contains(culprit), "\"\(text)\" does not name \(culprit)", sourceLocation: sourceLocation)
        }
    }
    return error
}
