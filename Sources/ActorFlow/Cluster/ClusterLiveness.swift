@_spi(ActorFlowInternal) import ActorFlowCore

/// Tells the client when a task's process died, so a step waiting for it fails instead of hanging.
///
/// Open MPI 4.1 has no fault notification (no ULFM): with `--mca orte_enable_recovery 1` the other ranks survive a
/// rank's death, but a receive from it simply never completes. So while a step runs longer than ``interval``, the
/// client pings each task of the step on the heartbeat tag, and every serving task answers from a task of its own
/// (``answerHeartbeats(_:)``), busy or not; a task that leaves a ping unanswered for ``deadAfter`` is declared dead.
/// Receives made through ``receive(from:tag:)`` then fail with ``ClusterPeerDied``, and later steps that need the
/// task fail at once. Steps shorter than ``interval`` send no ping.
final class ClusterLiveness: Sendable {
    /// How long a step runs before its tasks are pinged, and the pause between pings.
    static let interval: Duration = .milliseconds(250)
    /// How long an unanswered ping may wait before its task is declared dead.
    static let deadAfter: Duration = .seconds(3)

    let transport: any ClusterTransport

    private struct State {
        /// Dead tasks, with what was seen.
        var dead: [Int: String] = [:]
        /// Receives waiting, by the task they wait for.
        var waiting: [Int: [Int: CheckedContinuation<NDArray, any Error>]] = [:]
        var nextWaiter = 0
    }

    private let state = Locked(State())

    init(transport: any ClusterTransport) {
        self.transport = transport
    }

    /// Why `task` is known dead, or `nil`.
    func death(of task: Int) -> String? { state.withLock { $0.dead[task] } }

    /// The next value `task` sends under `tag`; throws ``ClusterPeerDied`` if `task` is or is declared dead first.
    ///
    /// The transport's receive cannot be cancelled: when the task dies it stays posted (and is never matched).
    func receive(from task: Int, tag: Int) async throws -> NDArray {
        let transport = self.transport
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<NDArray, any Error>) in
            let waiter: Int? = state.withLock { state in
                guard state.dead[task] == nil else { return nil }
                state.nextWaiter += 1
                state.waiting[task, default: [:]][state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let waiter else {
                continuation.resume(throwing: ClusterPeerDied(task: task, seen: death(of: task) ?? ""))
                return
            }
            Task {
                let result: Result<NDArray, any Error>
                do { result = .success(try await transport.receive(from: task, tag: tag)) } catch { result = .failure(error) }
                let waiting = self.state.withLock { $0.waiting[task]?.removeValue(forKey: waiter) }
                waiting?.resume(with: result)
            }
        }
    }

    /// Pings `tasks` every ``interval`` until cancelled, declaring dead those that stop answering and telling the
    /// other tasks of the step (``listenForDeaths(_:)``), whose receives from a dead task fail too.
    func watch(_ tasks: [Int]) async {
        while true {
            do { try await Task.sleep(for: Self.interval) } catch { return }
            for task in tasks where death(of: task) == nil {
                if Task.isCancelled { return }
                guard await !answers(task) else { continue }
                declareDead(task, seen: "no answer to a ping for \(Self.deadAfter)")
                for other in tasks where other != task && death(of: other) == nil {
                    try? await transport.send(NDArray(Int64(task)), to: other, tag: ClusterMessages.deathTag)
                }
            }
        }
    }

    /// Whether `task` answers one ping within ``deadAfter``.
    private func answers(_ task: Int) async -> Bool {
        let transport = self.transport
        do {
            try await transport.send(ClusterMessages.token, to: task, tag: ClusterMessages.heartbeatTag)
        } catch {
            return false
        }
        let answered = Locked(false)
        // Not cancellable (see `receive`): if the task died, this stays posted.
        Task {
            if (try? await transport.receive(from: task, tag: ClusterMessages.heartbeatTag)) != nil {
                answered.withLock { $0 = true }
            }
        }
        let deadline = ContinuousClock.now + Self.deadAfter
        while ContinuousClock.now < deadline {
            // (Cancelled: the step ended, so nothing waits for this task any more.)
            if answered.withLock({ $0 }) || Task.isCancelled { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return answered.withLock { $0 }
    }

    /// Marks `task` dead and fails every receive waiting for it.
    func declareDead(_ task: Int, seen: String) {
        let waiting = state.withLock { state -> [CheckedContinuation<NDArray, any Error>] in
            guard state.dead[task] == nil else { return [] }
            state.dead[task] = seen
            let removed = state.waiting.removeValue(forKey: task) ?? [:]
            return Array(removed.values)
        }
        transport.peerDied(task)
        for continuation in waiting { continuation.resume(throwing: ClusterPeerDied(task: task, seen: seen)) }
    }

    /// A serving task's side: learns from the client which tasks died, until the transport fails or the task is
    /// cancelled.
    func listenForDeaths() async {
        while !Task.isCancelled {
            guard let notice = try? await transport.receive(from: 0, tag: ClusterMessages.deathTag),
                case .int64(let values) = notice.storage, let task = values.first
            else { return }
            declareDead(Int(task), seen: "task 0 found it dead")
        }
    }

    /// A serving task's side: answers each ping from the client until the transport fails (it is finalized) or
    /// the task is cancelled.
    static func answerHeartbeats(_ transport: any ClusterTransport) async {
        while !Task.isCancelled {
            do {
                _ = try await transport.receive(from: 0, tag: ClusterMessages.heartbeatTag)
                try await transport.send(ClusterMessages.token, to: 0, tag: ClusterMessages.heartbeatTag)
            } catch {
                return
            }
        }
    }
}

/// A task of the cluster stopped answering: its process died (or hangs past ``ClusterLiveness/deadAfter``).
struct ClusterPeerDied: Error, CustomStringConvertible {
    let task: Int
    let seen: String
    var description: String {
        "task \(task) stopped answering (\(seen)): its process died or hangs; this session runs no more steps on it"
    }
}
