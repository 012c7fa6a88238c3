import CActorFlowLinux

/// Which pool worker, NUMA node and kernel thread the calling code runs on. Callable from any thread.
///
/// Tracing records these per firing; the session uses them to label its step statistics.
///
///     CurrentWorker.index      // 3 on worker af-w3-n1, nil on other threads
///     CurrentWorker.numaNode   // 1 there; elsewhere the node of the CPU this thread runs on (nil if unknown)
///     CurrentWorker.threadID   // the kernel's thread id (gettid), as LTTng's vtid
public enum CurrentWorker {
    /// The index of the calling thread in its ``WorkStealingExecutor``, or `nil` off the pool.
    public static var index: Int? { Worker.current?.index }

    /// The NUMA node of the calling thread: its worker's node on a pool thread, otherwise the node of the
    /// CPU it runs on right now in ``Topology/current()`` (`nil` when the kernel cannot say).
    public static var numaNode: Int? {
        if let worker = Worker.current { return worker.numaNode }
        guard let cpu = Affinity.currentCPU() else { return nil }
        return Topology.current().node(ofCPU: cpu)
    }

    /// The calling thread's kernel thread id (`gettid`), cached per thread.
    public static var threadID: UInt32 { Affinity.currentThreadID }
}

extension Worker {
    /// The worker running on this thread, or `nil`. Reads one thread-local pointer.
    static var current: Worker? {
        guard let pointer = unsafe CActorFlowLinux_get_current_worker() else { return nil }
        return unsafe Unmanaged<Worker>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Marks the calling thread as running `worker` (`nil` clears it). The worker must outlive the mark:
    /// its thread clears it before it ends.
    static func setCurrent(_ worker: Worker?) {
        guard let worker else {
            CActorFlowLinux_set_current_worker(nil)
            return
        }
        unsafe CActorFlowLinux_set_current_worker(Unmanaged.passUnretained(worker).toOpaque())
    }
}

/// The serial executor whose job (or firing) runs on this thread: what ``NodeSerialExecutor`` answers
/// `isIsolatingCurrentContext()` and `checkIsolated()` with. Marks are object identities as bit patterns
/// (0: none); they are compared, never dereferenced.
enum CurrentSerialExecutor {
    /// The mark of the running serial executor, 0 when none.
    static var mark: UInt { UInt(bitPattern: unsafe CActorFlowLinux_get_current_serial_executor()) }

    /// Whether `executor` is marked as running on this thread.
    static func isCurrent(_ executor: AnyObject) -> Bool {
        mark == UInt(bitPattern: ObjectIdentifier(executor))
    }

    /// Runs `body` with `executor` marked as running on this thread, restoring the previous mark after.
    @inline(__always)
    static func with<R, E: Error>(_ executor: AnyObject, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = exchange(executor)
        defer { restore(previous) }
        return try body()
    }

    /// Marks `executor` as running on this thread; returns the previous mark.
    static func exchange(_ executor: AnyObject) -> UInt {
        let previous = mark
        restore(UInt(bitPattern: ObjectIdentifier(executor)))
        return previous
    }

    /// Restores a mark returned by ``exchange(_:)``.
    static func restore(_ mark: UInt) {
        unsafe CActorFlowLinux_set_current_serial_executor(UnsafeRawPointer(bitPattern: mark))
    }
}
