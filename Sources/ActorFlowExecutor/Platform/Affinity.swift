import CActorFlowLinux

/// The one Swift door to the thread and CPU calls of `CActorFlowLinux` (affinity, names, current CPU, tid).
package enum Affinity {
    /// The CPUs this process's threads may run on: its affinity mask, which the kernel already narrows to
    /// the cgroup's cpuset. Never empty (falls back to `0..<online count` if the call fails).
    ///
    /// The corresponding C function is `sched_getaffinity`.
    static func allowedCPUs() -> [Int] {
        var capacity = 256
        while true {
            var buffer = [CInt](repeating: 0, count: capacity)
            let count = unsafe buffer.withUnsafeMutableBufferPointer { pointer in
                unsafe CActorFlowLinux_allowed_cpus(pointer.baseAddress, CInt(capacity))
            }
            if count <= 0 {
                return Array(0..<ProcessInfoCPUCount.online)
            }
            if Int(count) <= capacity {
                return buffer.prefix(Int(count)).map(Int.init)
            }
            capacity = Int(count)
        }
    }

    /// Pins the calling thread to `cpu`. Returns `false` when the kernel refuses (the CPU does not exist or
    /// is outside the process's cpuset), leaving the thread unpinned.
    ///
    /// The corresponding C function is `pthread_setaffinity_np`.
    static func pinCurrentThread(to cpu: Int) -> Bool {
        CActorFlowLinux_pin_current_thread(CInt(cpu)) == 0
    }

    /// Names the calling thread (Linux keeps at most 15 bytes).
    ///
    /// The corresponding C function is `pthread_setname_np`.
    package static func nameCurrentThread(_ name: String) {
        _ = unsafe name.withCString { unsafe CActorFlowLinux_set_current_thread_name($0) }
    }

    /// The CPU the calling thread runs on right now, or `nil` when the kernel cannot say.
    ///
    /// The corresponding C function is `sched_getcpu`.
    static func currentCPU() -> Int? {
        let cpu = CActorFlowLinux_sched_getcpu()
        return cpu < 0 ? nil : Int(cpu)
    }

    /// The calling thread's kernel thread id (cached per thread).
    ///
    /// The corresponding C function is `gettid`.
    static var currentThreadID: UInt32 { CActorFlowLinux_gettid() }
}
