@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlowExecutor

/// The one thread that calls MPI after init: it posts the sends and receives tasks ask for, polls them until they
/// complete and resumes the waiting tasks, so no task (and no executor worker) ever blocks in MPI.
///
/// While operations are outstanding the thread polls, yielding its core between polls; after 200 polls without
/// progress it sleeps between polls, 2 µs longer each time up to 200 µs, so that a rank waiting on a long kernel
/// elsewhere leaves its cores to its workers. A new operation wakes it at once; with none outstanding it sleeps
/// until one arrives.
final class MPIProgress: Sendable {
    enum Operation: Sendable {
        case send(header: [UInt8], payload: Payload, to: Int, tag: Int, done: CheckedContinuation<Void, any Error>)
        case receive(from: Int, tag: Int, done: CheckedContinuation<NDArray, any Error>)
        /// A send the caller posted itself (``sendDirectly(header:payload:to:tag:)``) that has not completed yet.
        case finishSend(PostedSend, done: CheckedContinuation<Void, any Error>)
        case stop(done: CompletionLatch)
    }

    /// A payload kept alive, unchanged, until its send completes (its address is what MPI reads).
    enum Payload: Sendable {
        case storage(NDArray.Storage)
        case bytes([UInt8])
    }

    /// Polls without progress after which the thread sleeps between polls instead of yielding.
    private static let spinningPolls = 20
    /// The longest sleep between polls: the most a message can wait for this thread once it arrives.
    private static let longestBackoff: Int64 = 100_000

    private let inbox = Locked<[Operation]>([])
    /// A source and tag: receives of one are served one at a time.
    struct SourceTag: Hashable {
        let source: Int
        let tag: Int
    }

    /// A send's two posted requests and the buffers they read.
    struct PostedSend: Sendable {
        var header: MPICalls.Request
        var payload: MPICalls.Request
        let keepAlive: ([UInt8], Payload)
    }


    private let arrivals = FutexWord(0)

    init() {
        ThreadHandle.detach { [self] in run() }
    }

    func submit(_ operation: Operation) {
        inbox.withLock { $0.append(operation) }
        while true {
            let current = arrivals.value
            if arrivals.compareExchange(expected: current, desired: current &+ 1) { break }
        }
        arrivals.wake(count: 1)
    }

    // MARK: The progress thread

    private struct PendingSend {
        var header: MPICalls.Request
        var payload: MPICalls.Request
        let keepAlive: ([UInt8], Payload)
        let done: CheckedContinuation<Void, any Error>
    }

    private struct PendingReceive {
        let source: Int
        let tag: Int
        let headerBuffer: HeaderBuffer
        var request: MPICalls.Request
        var header: TensorMessage.Header?
        let done: CheckedContinuation<NDArray, any Error>
    }

    private func run() {
        Affinity.nameCurrentThread("af-mpi-progress")
        var sends: [PendingSend] = []
        var receives: [PendingReceive] = []
        var stopping: CompletionLatch?
        var idlePolls = 0
        /// Receives waiting for an earlier one of the same source and tag.
        var waiting: [SourceTag: [CheckedContinuation<NDArray, any Error>]] = [:]
        while true {
            let seen = arrivals.value
            for operation in inbox.withLock({ q in defer { q = [] }; return q }) {
                switch operation {
                case .send(let header, let payload, let to, let tag, let done):
                    if let send = post(header: header, payload: payload, to: to, tag: tag, done: done) {
                        sends.append(send)
                    }
                case .finishSend(let posted, let done):
                    sends.append(
                        PendingSend(header: posted.header, payload: posted.payload, keepAlive: posted.keepAlive, done: done))
                case .receive(let from, let tag, let done):
                    // One receive per source and tag at a time: a second posted now would match the first's payload
                    // as its header. It waits here and starts when the one before it completes.
                    let key = SourceTag(source: from, tag: tag)
                    if receives.contains(where: { $0.source == from && $0.tag == tag }) {
                        waiting[key, default: []].append(done)
                    } else if let receive = start(from: from, tag: tag, done: done) {
                        receives.append(receive)
                    }
                case .stop(let done):
                    stopping = done
                }
            }
            let outstanding = sends.count + receives.count
            var i = 0
            while i < sends.count {
                if poll(&sends[i]) { i += 1 } else { sends.remove(at: i) }
            }
            i = 0
            while i < receives.count {
                if poll(&receives[i]) {
                    i += 1
                    continue
                }
                let key = SourceTag(source: receives[i].source, tag: receives[i].tag)
                receives.remove(at: i)
                while let next = waiting[key]?.first {
                    waiting[key]!.removeFirst()
                    if waiting[key]!.isEmpty { waiting[key] = nil }
                    if let receive = start(from: key.source, tag: key.tag, done: next) {
                        receives.append(receive)
                        break
                    }
                }
            }
            idlePolls = sends.count + receives.count < outstanding ? 0 : idlePolls + 1
            if let stopping, sends.isEmpty {
                for var receive in receives {
                    MPICalls.cancel(&receive.request)
                    receive.done.resume(throwing: MPIError.finalized)
                }
                for queued in waiting.values {
                    for done in queued {
                        done.resume(throwing: MPIError.finalized)
                    }
                }
                _ = stopping.countDown()
                return
            }
            if sends.isEmpty && receives.isEmpty {
                arrivals.wait(whileEqualTo: seen, timeoutNanoseconds: -1)
            } else if idlePolls < Self.spinningPolls {
                MPICalls.yieldThread()
            } else {
                // Nothing moved for a while (a step waiting for a slow kernel elsewhere, or for the next step):
                // back off so the workers get the cores, waking at once for a new operation.
                let backoff = min(Self.longestBackoff, Int64(idlePolls - Self.spinningPolls + 1) * 5_000)
                arrivals.wait(whileEqualTo: seen, timeoutNanoseconds: backoff)
            }
        }
    }

    /// Posts the header receive of a new receive; `nil` (the task resumed with the error) when MPI refuses.
    private func start(from: Int, tag: Int, done: CheckedContinuation<NDArray, any Error>) -> PendingReceive? {
        let buffer = HeaderBuffer()
        let (code, request) = buffer.postReceive(from: from, tag: tag)
        guard code == 0 else {
            done.resume(throwing: MPIError.call("MPI_Irecv", code: code, message: MPICalls.describe(code)))
            return nil
        }
        return PendingReceive(source: from, tag: tag, headerBuffer: buffer, request: request, header: nil, done: done)
    }

    private func post(
        header: [UInt8], payload: Payload, to: Int, tag: Int, done: CheckedContinuation<Void, any Error>
    ) -> PendingSend? {
        let (headerCode, headerRequest) = MPICalls.send(header, to: to, tag: tag)
        guard headerCode == 0 else {
            done.resume(throwing: MPIError.call("MPI_Isend", code: headerCode, message: MPICalls.describe(headerCode)))
            return nil
        }
        let (code, request) = Self.send(payload, to: to, tag: tag)
        guard code == 0 else {
            done.resume(throwing: MPIError.call("MPI_Isend", code: code, message: MPICalls.describe(code)))
            return nil
        }
        return PendingSend(header: headerRequest, payload: request, keepAlive: (header, payload), done: done)
    }

    static func send(_ payload: Payload, to: Int, tag: Int) -> (Int32, MPICalls.Request) {
        switch payload {
        case .bytes(let b): MPICalls.send(b, to: to, tag: tag)
        case .storage(let storage):
            switch storage {
            case .float32(let v): MPICalls.send(v, to: to, tag: tag)
            case .float64(let v): MPICalls.send(v, to: to, tag: tag)
            case .int32(let v): MPICalls.send(v, to: to, tag: tag)
            case .int64(let v): MPICalls.send(v, to: to, tag: tag)
            case .bool(let v): MPICalls.send(v, to: to, tag: tag)
            case .string: MPICalls.send([UInt8](), to: to, tag: tag)
            }
        }
    }

    /// Advances a send; `false` once it has completed (and resumed its task).
    private func poll(_ send: inout PendingSend) -> Bool {
        for request in [\PendingSend.header, \PendingSend.payload] {
            let result = MPICalls.test(&send[keyPath: request])
            if !result.done { return true }
            if result.code != 0 {
                send.done.resume(throwing: MPIError.call("MPI_Isend", code: result.code, message: MPICalls.describe(result.code)))
                return false
            }
        }
        send.done.resume()
        return false
    }

    /// Advances a receive: first its header, then its payload once it has been matched; `false` once done.
    private func poll(_ receive: inout PendingReceive) -> Bool {
        do throws(MPIError) {
            if receive.header == nil {
                let result = MPICalls.test(&receive.request)
                guard result.done else { return true }
                guard result.code == 0 else {
                    throw .call("MPI_Irecv", code: result.code, message: MPICalls.describe(result.code))
                }
                receive.header = try receive.headerBuffer.parse(count: result.bytes)
            }
            guard let header = receive.header else { return true }
            let (code, matched, bytes) = MPICalls.probe(from: receive.source, tag: receive.tag)
            guard code == 0 else { throw .call("MPI_Improbe", code: code, message: MPICalls.describe(code)) }
            guard var message = matched else { return true }
            guard bytes == header.payloadBytes else {
                throw .malformedMessage("the header announced \(header.payloadBytes) payload bytes, \(bytes) arrived")
            }
            let value = try Self.value(of: header, from: &message)
            receive.done.resume(returning: value)
        } catch {
            receive.done.resume(throwing: error)
        }
        return false
    }

    static func value(of header: TensorMessage.Header, from message: inout MPICalls.Message)
        throws(MPIError) -> NDArray
    {
        let count = header.dimensions.checkedElementCount ?? 0
        func expect(_ size: Int) throws(MPIError) {
            let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, header.payloadBytes == bytes else {
                throw .malformedMessage("\(header.payloadBytes) bytes for \(count) elements of \(header.dtype)")
            }
        }
        /// The payload as `count` elements of `T`, wrapped by `storage`.
        func elements<T: BitwiseCopyable>(_: T.Type, _ storage: ([T]) -> NDArray.Storage)
            throws(MPIError) -> (Int32, NDArray.Storage)
        {
            try expect(MemoryLayout<T>.size)
            let (code, values) = MPICalls.receive(&message, bytes: header.payloadBytes, as: T.self, count: count)
            return (code, storage(values))
        }
        let (code, storage): (Int32, NDArray.Storage)
        switch header.dtype {
        case .float32: (code, storage) = try elements(Float.self) { .float32($0) }
        case .float64: (code, storage) = try elements(Double.self) { .float64($0) }
        case .int32: (code, storage) = try elements(Int32.self) { .int32($0) }
        case .int64: (code, storage) = try elements(Int64.self) { .int64($0) }
        case .bool: (code, storage) = try elements(UInt8.self) { .bool($0.map { $0 != 0 }) }
        case .string:
            let (c, v) = MPICalls.receive(&message, bytes: header.payloadBytes, as: UInt8.self, count: header.payloadBytes)
            (code, storage) = (c, .string(c == 0 ? try TensorMessage.strings(from: v, count: count) : []))
        }
        guard code == 0 else { throw .call("MPI_Mrecv", code: code, message: MPICalls.describe(code)) }
        return NDArray(unchecked: storage, dimensions: header.dimensions)
    }
}
