import ActorFlowCore
import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// Every call ActorFlowMPI makes into MPI, and the only pointer code of the module.
///
/// Only ``MPIProgress``'s thread calls these after `MPI_Init_thread` (and `finalize` after that thread has
/// stopped), so MPI sees one thread at a time: `MPI_THREAD_SERIALIZED` is enough, and it is what the cluster
/// requires at init. Errors return (`MPI_ERRORS_RETURN` on `MPI_COMM_WORLD`) and become ``MPIError``s.
enum MPICalls {
    /// A posted non-blocking operation (`MPI_Request`; an opaque pointer in Open MPI).
    @safe struct Request: @unchecked Sendable {
        fileprivate var raw: MPI_Request?
    }

    /// A matched, not yet received message (`MPI_Message`).
    @safe struct Message: @unchecked Sendable {
        fileprivate var raw: MPI_Message?
    }

    /// Initializes MPI asking for `MPI_THREAD_MULTIPLE`; returns the level granted, or the error code.
    static func initialize() -> (code: Int32, provided: Int32) {
        var provided: Int32 = 0
        let code = unsafe MPI_Init_thread(nil, nil, cmpi_thread_multiple(), &provided)
        if code == MPI_SUCCESS { unsafe MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()) }
        return (code, provided)
    }

    static var threadLevels: (multiple: Int32, serialized: Int32, funneled: Int32) {
        (cmpi_thread_multiple(), cmpi_thread_serialized(), cmpi_thread_funneled())
    }

    static func rankAndSize() -> (rank: Int, size: Int) {
        var rank: Int32 = 0
        var size: Int32 = 0
        unsafe MPI_Comm_rank(cmpi_comm_world(), &rank)
        unsafe MPI_Comm_size(cmpi_comm_world(), &size)
        return (Int(rank), Int(size))
    }

    static var tagUpperBound: Int { Int(cmpi_tag_upper_bound()) }

    static func finalize() -> Int32 { MPI_Finalize() }

    /// MPI's text for an error code.
    static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        guard unsafe MPI_Error_string(code, &buffer, &length) == MPI_SUCCESS else { return "MPI error \(code)" }
        let bytes = buffer.prefix(Int(max(0, length))).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Posts a send of `values`' bytes. `values` must be kept, unmutated, until the request completes: the
    /// caller holds it in the pending send, and an `Array` buffer neither moves nor changes while it is held and
    /// not mutated, so the address MPI reads stays valid.
    static func send<T: BitwiseCopyable>(_ values: [T], to rank: Int, tag: Int) -> (Int32, Request) {
        var request = unsafe Request(raw: cmpi_request_null())
        let count = values.count * MemoryLayout<T>.stride
        let code = unsafe values.withUnsafeBytes { bytes in
            unsafe MPI_Isend(
                bytes.baseAddress, Int32(count), cmpi_byte(), Int32(rank), Int32(tag), cmpi_comm_world(), &request.raw)
        }
        return (code, request)
    }

    /// Posts a receive of at most `capacity` bytes into `buffer`, which must stay valid until it completes.
    static func receive(into buffer: UnsafeMutableRawPointer, capacity: Int, from rank: Int, tag: Int)
        -> (Int32, Request)
    {
        var request = unsafe Request(raw: cmpi_request_null())
        let code = unsafe MPI_Irecv(
            buffer, Int32(capacity), cmpi_byte(), Int32(rank), Int32(tag), cmpi_comm_world(), &request.raw)
        return (code, request)
    }

    /// Whether `request` has completed (it is then freed); the byte count received and the error, if any.
    static func test(_ request: inout Request) -> (done: Bool, bytes: Int, code: Int32) {
        var flag: Int32 = 0
        var status = MPI_Status()
        let code = unsafe MPI_Test(&request.raw, &flag, &status)
        guard code == MPI_SUCCESS else { return (true, 0, code) }
        guard flag != 0 else { return (false, 0, MPI_SUCCESS) }
        var count: Int32 = 0
        unsafe MPI_Get_count(&status, cmpi_byte(), &count)
        return (true, Int(count), MPI_SUCCESS)
    }

    /// Cancels a posted receive (a send is left to complete) and frees it.
    static func cancel(_ request: inout Request) {
        guard unsafe request.raw != cmpi_request_null() else { return }
        unsafe MPI_Cancel(&request.raw)
        unsafe MPI_Request_free(&request.raw)
    }

    /// A message from `rank` with `tag` that has arrived (or begun to), matched so that no other receive takes it;
    /// `nil` when none has yet.
    static func probe(from rank: Int, tag: Int) -> (code: Int32, message: Message?, bytes: Int) {
        var flag: Int32 = 0
        var message = unsafe Message(raw: cmpi_message_null())
        var status = MPI_Status()
        let code = unsafe MPI_Improbe(Int32(rank), Int32(tag), cmpi_comm_world(), &flag, &message.raw, &status)
        guard code == MPI_SUCCESS, flag != 0 else { return (code, nil, 0) }
        var count: Int32 = 0
        unsafe MPI_Get_count(&status, cmpi_byte(), &count)
        return (code, message, Int(count))
    }

    /// Receives a matched message of `bytes` bytes into new storage of `count` elements of `T`, straight into the
    /// array's buffer (no copy).
    static func receive<T: BitwiseCopyable>(_ message: inout Message, bytes: Int, as type: T.Type, count: Int)
        -> (Int32, [T])
    {
        var code: Int32 = MPI_SUCCESS
        let values = unsafe [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Large receives fault in huge pages while MPI copies into them (see HugePages).
            unsafe HugePages.advise(buffer)
            code = unsafe MPI_Mrecv(
                buffer.baseAddress, Int32(bytes), cmpi_byte(), &message.raw, nil)
            initialized = code == MPI_SUCCESS ? count : 0
        }
        return (code, values)
    }

    /// Gives the core to another thread between polls (`sched_yield`).
    static func yieldThread() { sched_yield() }

}

/// A buffer a tensor header is received into, owned by its pending receive until the receive completes or is
/// cancelled.
@safe final class HeaderBuffer: @unchecked Sendable {
    // Written only by MPI while the receive is posted, read only after it completed.
    private let buffer: UnsafeMutableRawBufferPointer

    init() {
        unsafe buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: TensorMessage.maximumHeaderBytes, alignment: 8)
    }

    deinit {
        unsafe buffer.deallocate()
    }

    func postReceive(from rank: Int, tag: Int) -> (Int32, MPICalls.Request) {
        unsafe MPICalls.receive(into: buffer.baseAddress!, capacity: buffer.count, from: rank, tag: tag)
    }

    /// The header in the first `count` bytes received.
    func parse(count: Int) throws(MPIError) -> TensorMessage.Header {
        try TensorMessage.parseHeader(unsafe Array(buffer.prefix(count)), count: count)
    }
}
