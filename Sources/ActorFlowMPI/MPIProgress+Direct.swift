import ActorFlowCore

/// The fast path when MPI grants `MPI_THREAD_MULTIPLE`: the calling task's thread posts a send itself and hands it
/// to the progress thread only when it did not complete at once, so a small send makes no thread hop (each hop is a
/// futex wake and a context switch: several microseconds here, against 0.3 µs for half a raw MPI round trip).
///
/// Receives always go through the progress thread: a receive taken on the caller's thread raced the progress
/// thread's posted header receive of the same source and tag (one could match the other's payload), and CI caught
/// a heap corruption in that state.
extension MPIProgress {
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
}
