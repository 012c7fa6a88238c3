import ActorFlowTracing
import Foundation

/// One step of a diamond graph `a → (b, c) → d`, emitted through the Swift door by real threads the way the step
/// engine and executor will: "worker 0" and "worker 1" are two threads, consumers start only after their producers
/// ended (enforced with semaphores), worker 1 wakes, steals `c` from worker 0 and parks again, and every output
/// buffer is allocated and freed. `c` is an async kernel that suspends once and is resumed by the same worker.
///
/// ActorFlowTracingTests records this with a private lttng session and checks every field, the per-thread order and
/// the cross-thread happens-before edges, so any change here must be mirrored in its expectations.
enum ScriptedStep {
    static let stepID = 42

    /// Emits the step and returns the kernel thread ids of the main thread and the two workers, in that order.
    static func emit() -> (main: Int32, worker0: Int32, worker1: Int32) {
        let names = ["a", "b", "c", "d"].map(InternedCString.init)
        let types = ["Const", "MatMul", "Relu", "Add"].map(InternedCString.init)
        let aEnded = DispatchSemaphore(value: 0)
        let cEnded = DispatchSemaphore(value: 0)
        let worker0Done = DispatchSemaphore(value: 0)
        let worker1Done = DispatchSemaphore(value: 0)
        let tids = ThreadIDs()

        @Sendable func run(op: Int, worker: Int, bytes: Int, allocationID: Int, suspends: Bool = false) {
            Tracepoints.opStart(stepID: stepID, opID: op, name: names[op], type: types[op], worker: worker, numaNode: 0)
            if suspends {
                Tracepoints.opSuspend(stepID: stepID, opID: op, name: names[op], worker: worker, numaNode: 0)
                Tracepoints.opResume(stepID: stepID, opID: op, name: names[op], worker: worker, numaNode: 0)
            }
            Tracepoints.alloc(stepID: stepID, opID: op, bytes: bytes, allocationID: allocationID, numaNode: 0)
            Tracepoints.opEnd(stepID: stepID, opID: op, name: names[op], worker: worker, numaNode: 0, outputBytes: bytes)
        }

        tids.main = currentThreadID()
        // As a cluster task does before its part of a cluster step.
        Tracepoints.clusterStep(clusterStep: 7, task: 1, tasks: 2)
        Tracepoints.stepBegin(stepID: stepID, nodeCount: 4)

        let worker0 = Thread {
            tids.worker0 = currentThreadID()
            Tracepoints.opScheduled(stepID: stepID, opID: 0)
            run(op: 0, worker: 0, bytes: 64, allocationID: 1)
            Tracepoints.opScheduled(stepID: stepID, opID: 1)
            Tracepoints.opScheduled(stepID: stepID, opID: 2)
            aEnded.signal()
            run(op: 1, worker: 0, bytes: 128, allocationID: 2)
            cEnded.wait()
            Tracepoints.opScheduled(stepID: stepID, opID: 3)
            run(op: 3, worker: 0, bytes: 128, allocationID: 4)
            Tracepoints.free(allocationID: 1, bytes: 64)
            Tracepoints.free(allocationID: 2, bytes: 128)
            Tracepoints.free(allocationID: 3, bytes: 32)
            worker0Done.signal()
        }
        let worker1 = Thread {
            tids.worker1 = currentThreadID()
            aEnded.wait()
            Tracepoints.workerWake(worker: 1)
            Tracepoints.steal(thief: 1, victim: 0, sameNode: true)
            run(op: 2, worker: 1, bytes: 32, allocationID: 3, suspends: true)
            cEnded.signal()
            Tracepoints.workerPark(worker: 1)
            worker1Done.signal()
        }
        worker0.start()
        worker1.start()
        worker0Done.wait()
        worker1Done.wait()
        // `d`'s output is the step's fetched value: it leaves with the result, so it is not freed inside the step.
        Tracepoints.stepEnd(stepID: stepID, status: .ok)
        return (tids.main, tids.worker0, tids.worker1)
    }
}

/// The calling thread's kernel id (what LTTng's `vtid` context records), read from `/proc/thread-self`, which links to
/// `PID/task/TID` (glibc's `gettid` is not visible to Swift without `_GNU_SOURCE`).
private func currentThreadID() -> Int32 {
    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    return target.split(separator: "/").last.flatMap { Int32($0) } ?? -1
}

/// The threads' kernel ids, each written by its own thread before the semaphores that publish it are signalled.
private final class ThreadIDs: @unchecked Sendable {
    // @unchecked: each field is written once by the thread it names and read by the main thread only after
    // `worker0Done`/`worker1Done` were waited for, which orders the write before the read.
    var main: Int32 = 0
    var worker0: Int32 = 0
    var worker1: Int32 = 0
}
