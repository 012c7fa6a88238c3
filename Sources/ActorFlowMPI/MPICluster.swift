import ActorFlow
import ActorFlowCore
import ActorFlowExecutor
import Synchronization

/// The processes of one `mpirun` launch, as seen from one of them: its rank, how many there are, and tensors
/// sent between them.
///
/// Every rank runs the same program. Create the cluster once per process, first thing (it calls
/// `MPI_Init_thread`), and finalize it last:
///
///     import ActorFlowMPI
///
///     let cluster = try MPICluster()
///     if cluster.rank == 0 {
///         try await cluster.send(NDArray([1, 2, 3] as [Float]), to: 1, tag: 7)
///     } else if cluster.rank == 1 {
///         let x = try await cluster.receive(from: 0, tag: 7)   // [1.0, 2.0, 3.0]
///     }
///     cluster.finalize()
///
/// Started with `mpirun -np 2 program` (add `--allow-run-as-root --oversubscribe` as root or with more ranks than
/// cores). Without `mpirun` the process is a cluster of one (MPI's singleton mode).
///
/// Sends and receives suspend the calling task, never a thread: with `MPI_THREAD_MULTIPLE` the caller's thread
/// posts a send itself and returns when it completed at once (a small send); otherwise, and for every receive, one
/// progress thread finishes the operation and resumes the task. A tensor travels as a small header message and its elements,
/// sent from and received into the arrays' own buffers. Messages between two ranks with the same tag arrive in
/// the order they were sent. Errors are returned by MPI (`MPI_ERRORS_RETURN`), not fatal, and surface as
/// ``MPIError``.
///
/// Thread safety: every method may be called from any task.
public final class MPICluster: Sendable {
    /// This process's rank, `0..<size`.
    public let rank: Int
    /// How many ranks the launch has.
    public let size: Int
    /// The thread support MPI granted: `MPI_THREAD_MULTIPLE` with Open MPI 4.1 as Debian builds it. ActorFlow
    /// needs only `MPI_THREAD_SERIALIZED`, since only its progress thread calls MPI after init.
    public let threadLevel: ThreadLevel
    /// The largest tag usable with ``send(_:to:tag:)`` (`MPI_TAG_UB`, at least 32767).
    public let maximumTag: Int

    private let progress: MPIProgress
    private let finalized = Atomic<Bool>(false)
    private let dead = Mutex<Set<Int>>([])

    /// The thread support levels of MPI, weakest first.
    public enum ThreadLevel: Int, Sendable, Comparable, CustomStringConvertible {
        case single, funneled, serialized, multiple

        public static func < (a: ThreadLevel, b: ThreadLevel) -> Bool { a.rawValue < b.rawValue }

        public var description: String {
            switch self {
            case .single: "MPI_THREAD_SINGLE"
            case .funneled: "MPI_THREAD_FUNNELED"
            case .serialized: "MPI_THREAD_SERIALIZED"
            case .multiple: "MPI_THREAD_MULTIPLE"
            }
        }
    }

    private static let created = Atomic<Bool>(false)

    /// Initializes MPI for this process and starts the progress thread.
    ///
    /// - Throws: ``MPIError/unavailable(_:)`` when a cluster was already created in this process (MPI can be
    ///   initialized once), when `MPI_Init_thread` fails, or when MPI grants less than `MPI_THREAD_SERIALIZED`.
    public init() throws(MPIError) {
        guard !Self.created.exchange(true, ordering: .acquiringAndReleasing) else {
            throw .unavailable("an MPICluster already exists in this process (MPI is initialized once)")
        }
        let (code, provided) = MPICalls.initialize()
        guard code == 0 else { throw .call("MPI_Init_thread", code: code, message: MPICalls.describe(code)) }
        let levels = MPICalls.threadLevels
        threadLevel =
            provided >= levels.multiple ? .multiple
            : provided >= levels.serialized ? .serialized : provided >= levels.funneled ? .funneled : .single
        guard threadLevel >= .serialized else {
            _ = MPICalls.finalize()
            throw .unavailable("MPI grants \(threadLevel); ActorFlow needs MPI_THREAD_SERIALIZED")
        }
        (rank, size) = MPICalls.rankAndSize()
        maximumTag = MPICalls.tagUpperBound
        progress = MPIProgress()
    }

    /// Sends `value` to rank `destination` under `tag`; returns once MPI no longer needs the value's buffer.
    ///
    /// - Throws: ``MPIError/invalidArgument(_:)`` for a rank outside `0..<size`, a tag outside
    ///   `0...maximumTag` or a tensor of 2 GiB or more; ``MPIError/call(_:code:message:)`` when MPI fails;
    ///   ``MPIError/finalized`` after ``finalize()``.
    public func send(_ value: NDArray, to destination: Int, tag: Int) async throws(MPIError) {
        try check(rank: destination, tag: tag)
        let payload: MPIProgress.Payload
        let payloadBytes: Int
        if case .string(let strings) = value.storage {
            let bytes = TensorMessage.stringPayload(strings)
            (payload, payloadBytes) = (.bytes(bytes), bytes.count)
        } else {
            (payload, payloadBytes) = (.storage(value.storage), value.byteCount)
        }
        guard payloadBytes <= Int(Int32.max) else {
            throw .invalidArgument("a tensor of \(payloadBytes) bytes is too large for one MPI message (< 2 GiB)")
        }
        let header = TensorMessage.header(for: value, payloadBytes: payloadBytes)
        var posted: MPIProgress.PostedSend?
        if threadLevel == .multiple {
            posted = try progress.sendDirectly(header: header, payload: payload, to: destination, tag: tag)
            guard posted != nil else { return }
        }
        do {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                if let posted {
                    progress.submit(.finishSend(posted, done: done))
                } else {
                    progress.submit(.send(header: header, payload: payload, to: destination, tag: tag, done: done))
                }
            }
        } catch let error as MPIError {
            throw error
        } catch {
            throw .finalized
        }
    }

    /// Receives the next tensor rank `source` sends under `tag`.
    ///
    /// - Throws: as ``send(_:to:tag:)``, and ``MPIError/malformedMessage(_:)`` when what arrives is not an
    ///   ActorFlow tensor.
    public func receive(from source: Int, tag: Int) async throws(MPIError) -> NDArray {
        try check(rank: source, tag: tag)
        do {
            return try await withCheckedThrowingContinuation { (done: CheckedContinuation<NDArray, any Error>) in
                progress.submit(.receive(from: source, tag: tag, done: done))
            }
        } catch let error as MPIError {
            throw error
        } catch {
            throw .finalized
        }
    }

    /// Stops the progress thread once the sends in flight have completed (receives still waiting fail with
    /// ``MPIError/finalized``), then calls `MPI_Finalize`. Later calls do nothing.
    ///
    /// After a rank died (see ``deadRanks``) `MPI_Finalize` is not called: Open MPI 4.1's finalize waits for every
    /// rank of the job, the dead one too, so it would never return; the process should exit (under `mpirun --mca
    /// orte_enable_recovery 1`, which a job that survives a rank's death needs anyway, that ends it normally).
    ///
    /// Blocks the calling thread: call it last, from the program's top level.
    public func finalize() {
        guard !finalized.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let stopped = CompletionLatch(count: 1)
        progress.submit(.stop(done: stopped))
        stopped.wait()
        if deadRanks.isEmpty { _ = MPICalls.finalize() }
    }

    /// The ranks a cluster session found dead (``peerDied(_:)``): they no longer answer, and ``finalize()`` does not
    /// wait for them.
    public var deadRanks: Set<Int> { dead.withLock { $0 } }

    /// Records that `rank` died, as a cluster session tells its transport when a task stops answering.
    ///
    ///     cluster.peerDied(2)
    ///     cluster.deadRanks   // [2]
    public func peerDied(_ rank: Int) {
        _ = dead.withLock { $0.insert(rank) }
    }

    private func check(rank other: Int, tag: Int) throws(MPIError) {
        guard !finalized.load(ordering: .acquiring) else { throw .finalized }
        guard other >= 0 && other < size else {
            throw .invalidArgument("rank \(other) is outside this cluster of \(size) ranks (0..<\(size))")
        }
        guard tag >= 0 && tag <= maximumTag else {
            throw .invalidArgument("tag \(tag) is outside 0...\(maximumTag) (MPI_TAG_UB)")
        }
    }
}

/// An `MPICluster` is the transport of a cluster session: `SessionOptions(cluster: cluster)` on rank 0,
/// `cluster.serve(graph)` on the others; task N is rank N.
extension MPICluster: ClusterTransport {}
