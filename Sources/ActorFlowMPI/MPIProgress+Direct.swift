import ActorFlowCore
import ActorFlowExecutor

/// The fast path when MPI grants `MPI_THREAD_MULTIPLE`: the calling task's thread makes the MPI calls itself, and
/// hands an operation to the progress thread only when it cannot complete at once. A small send then completes
/// without any thread hop, and a receive whose message arrives within a short spin is taken on the spot; each hop
/// avoided is a futex wake and a context switch (several microseconds here, against 0.3 µs for a raw MPI
/// round trip's half).
extension MPIProgress {
    /// How long a receive spins for its message on the caller's thread before handing over.
    static let receiveSpinNanoseconds: UInt64 = 50_000

    /// Posts a send on this thread and tests it once: `nil` when it completed, else the posted send for
    /// ``Operation/finishSend(_:done:)``.
    func sendDirectly(header: [UInt8], payload: Payload, to: Int, tag: Int) throws(MPIError) -> PostedSend? {
        let (headerCode, headerRequest) = MPICalls.send(header, to: to, tag: tag)
        guard headerCode == 0 else { throw .call("MPI_Isend", code: headerCode, message: MPICalls.describe(headerCode)) }
        let (code, request) = Self.send(payload, to: to, tag: tag)
        guard code == 0 else { throw .call("MPI_Isend", code: code, message: MPICalls.describe(code)) }
        var posted = PostedSend(header: headerRequest, payload: request, keepAlive: (header, payload))
        let first = MPICalls.test(&posted.header)
        guard first.code == 0 else { throw .call("MPI_Isend", code: first.code, message: MPICalls.describe(first.code)) }
        guard first.done else { return posted }
        let second = MPICalls.test(&posted.payload)
        guard second.code == 0 else { throw .call("MPI_Isend", code: second.code, message: MPICalls.describe(second.code)) }
        if second.done { return nil }
        // The header went; only the payload is left (an already completed request tests as done again).
        return posted
    }

    /// Receives on this thread when no other receive of `source`/`tag` is waiting and the message arrives within
    /// ``receiveSpinNanoseconds``; `nil` (nothing taken) otherwise. On an executor worker (a `_Recv` kernel of a
    /// cluster step) it looks once and does not spin: a worker's time belongs to the ops that are ready.
    func receiveDirectly(from source: Int, tag: Int) throws(MPIError) -> NDArray? {
        let key = SourceTag(source: source, tag: tag)
        guard claim(key, exclusive: true) else { return nil }
        defer { release(key) }
        let spin = CurrentWorker.index == nil ? Self.receiveSpinNanoseconds : 0
        let deadline = MonotonicClock.now() &+ spin
        var header: TensorMessage.Header?
        while true {
            let (code, matched, bytes) = MPICalls.probe(from: source, tag: tag)
            guard code == 0 else { throw .call("MPI_Improbe", code: code, message: MPICalls.describe(code)) }
            if var message = matched {
                if let known = header {
                    guard bytes == known.payloadBytes else {
                        throw .malformedMessage("the header announced \(known.payloadBytes) payload bytes, \(bytes) arrived")
                    }
                    return try Self.value(of: known, from: &message)
                }
                let (received, headerBytes) = MPICalls.receive(&message, bytes: bytes, as: UInt8.self, count: bytes)
                guard received == 0 else { throw .call("MPI_Mrecv", code: received, message: MPICalls.describe(received)) }
                header = try TensorMessage.parseHeader(headerBytes, count: headerBytes.count)
                continue   // the payload follows the header at once: wait for it here, however long the spin
            }
            if header == nil && MonotonicClock.now() >= deadline { return nil }
            MPICalls.yieldThread()
        }
    }
}
