import ActorFlowCore
import ActorFlowTestSupport
import Synchronization
import Testing

/// `AllocationScope`: which NDArrays it tracks, TensorFlow's per-op figures, and the frees of shared buffers.
@Suite("AllocationScope tracks NDArray buffers")
struct AllocationScopeTests {
    @Test("with no scope installed, values carry no allocation")
    func untracked() {
        #expect(AllocationScope.current == nil)
        let value = NDArray([1, 2, 3] as [Float])
        #expect(value.allocationID == nil)
        #expect(value.numaNode == nil)
    }

    @Test("a new buffer under a scope gets an id and the scope's node; copies and reshapes share them")
    func newBuffersAndSharers() throws {
        let scope = AllocationScope(numaNode: 3)
        let (value, copy, reshaped) = try scope.installed { () throws(SessionError) in
            #expect(AllocationScope.current === scope)
            let value = NDArray([1, 2, 3, 4] as [Int32])
            return (value, value, try value.reshaped(to: [2, 2]))
        }
        #expect(AllocationScope.current == nil)
        let id = try #require(value.allocationID)
        #expect(value.numaNode == 3)
        #expect(copy.allocationID == id && reshaped.allocationID == id && reshaped.numaNode == 3)
        var outputs = [reshaped]
        let summary = scope.close(outputs: &outputs)
        #expect(summary.totalBytes == 16 && summary.allocationCount == 1)
        #expect(summary.outputs == [OutputAllocation(
            allocationID: id, numaNode: 3, isAllocatedByOp: true, hasSingleReference: false)])
    }

    @Test("temporaries: total, peak, live and temporary bytes, and records of the allocations and the free")
    func temporaries() throws {
        let scope = AllocationScope(numaNode: 0)
        var outputs = scope.installed { () -> [NDArray] in
            let temporary = NDArray([Float](repeating: 1, count: 100))            // 400 bytes
            return withExtendedLifetime(temporary) { [NDArray([Float(2), 3])] }  // 8 bytes, while 400 are live
        }
        let summary = scope.close(outputs: &outputs)
        #expect(summary.totalBytes == 408)
        #expect(summary.peakBytes == 408)
        #expect(summary.liveBytes == 8)
        #expect(summary.temporaryBytes == 400)
        #expect(summary.allocationCount == 2)
        let output = try #require(outputs[0].allocationID)
        #expect(summary.outputs == [OutputAllocation(
            allocationID: output, numaNode: 0, isAllocatedByOp: true, hasSingleReference: true)])
        let records = scope.records
        #expect(records.map(\.bytes) == [400, 8, -400])
        #expect(records[0].allocationID == records[2].allocationID && records[1].allocationID == output)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.nanos <= $1.nanos })
        #expect(scope.summary == summary)
    }

    @Test("frees after the op's end are recorded until sealed, without lowering its live bytes")
    func freesAfterTheEnd() throws {
        let scope = AllocationScope(numaNode: 0)
        var outputs = scope.installed { [NDArray([Int64(1), 2])] }
        let summary = scope.close(outputs: &outputs)
        outputs = []
        #expect(scope.records.map(\.bytes) == [16, -16])
        #expect(scope.summary?.liveBytes == 16 && summary.liveBytes == 16)
        scope.seal()
        #expect(scope.records.isEmpty)
        var more = scope.installed { [NDArray([Int64(1)])] }
        more = []
        #expect(scope.records.isEmpty, "a sealed scope keeps no records")
        #expect(more.isEmpty)
    }

    @Test("a value built on an input's storage forwards it: same id, nothing allocated; untracked inputs stay so")
    func forwardingInputs() throws {
        let producer = AllocationScope(numaNode: 1)
        let tracked = producer.installed { NDArray([1, 2, 3, 4] as [Float]) }
        let untracked = NDArray([5, 6] as [Float])
        let consumer = AllocationScope(numaNode: 0, forwarding: [tracked, untracked])
        var outputs = try consumer.installed { () throws(SessionError) in
            [
                try NDArray(storage: tracked.storage, dimensions: [2, 2]),
                try NDArray(storage: untracked.storage, dimensions: [1, 2]),
                NDArray(unchecked: .float32([7]), dimensions: [1]),
            ]
        }
        #expect(outputs[0].allocationID == tracked.allocationID && outputs[0].numaNode == 1)
        #expect(outputs[1].allocationID == nil)
        #expect(outputs[2].allocationID != nil && outputs[2].numaNode == 0)
        let summary = consumer.close(outputs: &outputs)
        #expect(summary.totalBytes == 4 && summary.temporaryBytes == 0)
        #expect(summary.outputs.map(\.isAllocatedByOp) == [false, false, true])
        #expect(summary.outputs[1] == .untracked)
        #expect(!summary.outputs[0].hasSingleReference, "the input still holds the buffer")
    }

    @Test("empty values are never tracked; equality ignores where buffers came from")
    func emptyAndEquality() {
        let scope = AllocationScope(numaNode: 0)
        let (empty, tracked) = scope.installed { (NDArray([Float]()), NDArray([1, 2] as [Float])) }
        #expect(empty.allocationID == nil)
        #expect(tracked.allocationID != nil)
        #expect(tracked == NDArray([1, 2] as [Float]))
        #expect(tracked != NDArray([1, 3] as [Float]))
    }

    @Test("scopes nest, and suspended() runs with none")
    func nesting() {
        let outer = AllocationScope(numaNode: 0)
        let inner = AllocationScope(numaNode: 1)
        let nodes = outer.installed { () -> [Int?] in
            let a = NDArray([Float(1)])
            let b = inner.installed { NDArray([Float(2)]) }
            let c = AllocationScope.suspended { NDArray([Float(3)]) }
            #expect(AllocationScope.current === outer)
            return [a.numaNode, b.numaNode, c.numaNode, NDArray([Float(4)]).numaNode]
        }
        #expect(nodes == [0, 1, nil, 0])
        #expect(outer.close().totalBytes == 8 && inner.close().totalBytes == 4)
    }

    @Test("a buffer dropped on another thread is freed there, once, when its last sharer goes")
    func freeOnAnotherThread() async throws {
        let scope = AllocationScope(numaNode: 0)
        let value = scope.installed { NDArray([Double](repeating: 0, count: 8)) }
        _ = scope.close()
        let handoff = Handoff([value, try value.reshaped(to: [2, 4])])
        await blocking { handoff.values.withLock { _ = $0.removeLast() } }
        #expect(scope.records.map(\.bytes) == [64], "a sharer is still alive")
        await blocking { handoff.values.withLock { $0.removeAll() } }
        #expect(scope.records.map(\.bytes) == [64], "the test's own copy is still alive")
        _ = consume value
        #expect(scope.records.map(\.bytes) == [64, -64])
    }

    @Test("the event sink sees each allocation and free with the scope's step and op")
    func eventSink() throws {
        let sink = RecordingSink()
        let scope = AllocationScope(numaNode: 2, events: sink, stepID: 9, opID: 4)
        var outputs = scope.installed { () -> [NDArray] in
            _ = NDArray([Int32(1), 2])
            return [NDArray([true, false, true])]
        }
        _ = scope.close(outputs: &outputs)
        let id = try #require(outputs[0].allocationID)
        outputs = []
        let seen = sink.events.withLock { $0 }
        #expect(seen.count == 4)
        // The temporary is dropped at once, before the output is made.
        #expect(seen[0].hasPrefix("+") && seen[0].hasSuffix(" 8 node 2 step 9 op 4"))
        #expect(seen[1] == "-" + seen[0].dropFirst().prefix { $0 != " " } + " 8")
        #expect(seen[2] == "+\(id) 3 node 2 step 9 op 4")
        #expect(seen[3] == "-\(id) 3")
    }

    @Test("the process's live counts include a tracked buffer until its last sharer is dropped")
    func processTotals() {
        // Other suites may track buffers meanwhile; theirs are small next to this one.
        let bytes = 8 << 20
        let scope = AllocationScope(numaNode: 0)
        var value: NDArray? = scope.installed { NDArray([Int32](repeating: 1, count: bytes / 4)) }
        _ = scope.close()
        let before = TrackedMemory.liveBytes
        let onNode = TrackedMemory.liveBytes(onNUMANode: 0)
        #expect(before >= bytes && onNode >= bytes && TrackedMemory.liveAllocationCount >= 1)
        #expect(value?.byteCount == bytes)
        value = nil
        let drop = before - TrackedMemory.liveBytes
        #expect(abs(drop - bytes) < 1 << 20, "dropped \(drop) bytes")
    }

    @Test("a lazy scope makes no scope for an op that allocates nothing, and describes its forwarded outputs")
    func lazyScopeThatAllocatesNothing() throws {
        let producer = AllocationScope(numaNode: 1)
        let input = producer.installed { NDArray([1, 2] as [Float]) }
        _ = producer.close()
        let lazy = LazyAllocationScope()
        var outputs = lazy.installed(numaNode: 2, forwarding: [input]) { () -> [NDArray] in
            let view = try! input.reshaped(to: [2, 1])        // shares the input's buffer: no allocation
            return [view, NDArray([Float]())]                  // an empty buffer is not tracked
        }
        let (summary, scope) = lazy.finish(outputs: &outputs)
        #expect(scope == nil)
        #expect(summary.numaNode == 2 && summary.totalBytes == 0 && summary.allocationCount == 0)
        #expect(summary.outputs == [
            OutputAllocation(allocationID: input.allocationID, numaNode: 1, isAllocatedByOp: false, hasSingleReference: false),
            .untracked,
        ])
    }

    @Test("a lazy scope makes its scope at the op's first allocation; it counts as a scope installed from the start")
    func lazyScopeThatAllocates() throws {
        let sink = RecordingSink()
        let input = NDArray([7, 8] as [Int32])
        let lazy = LazyAllocationScope()
        for step in Int64(1)...2 {
            var outputs = lazy.installed(numaNode: 2, forwarding: [input], events: sink, stepID: step, opID: 7) {
                do {
                    let temporary = NDArray([Float](repeating: 1, count: 4))      // 16 bytes, dropped here
                    _ = temporary
                }
                return [input, NDArray([Float(1), 2, 3])]                          // forwards one, allocates 12
            }
            let (summary, made) = lazy.finish(outputs: &outputs)
            let scope = try #require(made)
            #expect(summary.numaNode == 2 && summary.totalBytes == 28 && summary.peakBytes == 16)
            #expect(summary.temporaryBytes == 16 && summary.allocationCount == 2)
            #expect(!summary.outputs[0].isAllocatedByOp && summary.outputs[1].isAllocatedByOp)
            #expect(scope.summary == summary && outputs[1].numaNode == 2)
            let id = try #require(outputs[1].allocationID)
            #expect(sink.events.withLock { $0.last } == "+\(id) 12 node 2 step \(step) op 7")
            #expect(scope.records.map(\.bytes) == [16, -16, 12])
        }
    }

    @Test("AllocationScope.current under a lazy scope makes the real scope")
    func lazyScopeCurrent() {
        let lazy = LazyAllocationScope()
        var none: [NDArray] = []
        let seen = lazy.installed(numaNode: 0) { AllocationScope.current }
        #expect(seen != nil)
        #expect(lazy.finish(outputs: &none).scope === seen)
        #expect(AllocationScope.current == nil)
        #expect(lazy.installed(numaNode: 0) { 1 } == 1)
        #expect(lazy.finish(outputs: &none).scope == nil)
    }
}

/// Values handed to another thread to be dropped there.
private final class Handoff: Sendable {
    let values: Mutex<[NDArray]>
    init(_ values: [NDArray]) { self.values = Mutex(values) }
}

/// Records the sink's calls as text.
private final class RecordingSink: AllocationEventSink {
    let events = Mutex<[String]>([])

    func allocated(id: Int, bytes: Int, numaNode: Int, stepID: Int64, opID: Int) {
        events.withLock { $0.append("+\(id) \(bytes) node \(numaNode) step \(stepID) op \(opID)") }
    }

    func freed(id: Int, bytes: Int) {
        events.withLock { $0.append("-\(id) \(bytes)") }
    }
}
