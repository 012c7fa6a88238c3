import CActorFlowPerf

#if canImport(Glibc)
import Glibc
#endif

/// The one Swift door to `CActorFlowPerf` (perf_event_open counter groups, one per thread).
enum PerfEvents {
    /// A group's three counts and how long it was enabled and actually counting (ns).
    struct Reading: Sendable {
        var counts: (UInt64, UInt64, UInt64)
        var timeEnabled: UInt64
        var timeRunning: UInt64
    }

    /// Opens, reads and closes a group of `set` on the calling thread: 0, or the errno that stopped it.
    /// The corresponding C function is `CActorFlowPerf_probe`.
    static func probe(_ set: HardwareCounters.EventSet) -> Int32 {
        CActorFlowPerf_probe(set.cValue)
    }

    /// The calling thread's group of `set`, opened on first use: its reading, or the errno of the failure.
    /// The corresponding C function is `CActorFlowPerf_thread_read`.
    @inline(__always)
    static func threadRead(_ set: HardwareCounters.EventSet) -> Result<Reading, PerfError> {
        let r = CActorFlowPerf_thread_read(set.cValue)
        guard r.error == 0 else { return .failure(PerfError(code: r.error)) }
        return .success(Reading(counts: r.counts, timeEnabled: r.time_enabled, timeRunning: r.time_running))
    }

    /// Closes the calling thread's groups. The corresponding C function is `CActorFlowPerf_thread_close`.
    static func closeThreadGroups() {
        CActorFlowPerf_thread_close()
    }

    /// Counter descriptors open in the process. The corresponding C function is
    /// `CActorFlowPerf_open_descriptor_count`.
    static var openDescriptorCount: Int { Int(CActorFlowPerf_open_descriptor_count()) }

    /// An errno from perf_event_open, read or ioctl.
    struct PerfError: Error, Hashable, Sendable {
        var code: Int32

        /// `ENOENT (No such file or directory)`.
        var text: String {
            let message = unsafe String(cString: strerror(code))
            return "\(Self.symbol(code) ?? "errno \(code)") (\(message))"
        }

        private static func symbol(_ code: Int32) -> String? {
            switch code {
            case ENOENT: "ENOENT"
            case EACCES: "EACCES"
            case EPERM: "EPERM"
            case ENOSYS: "ENOSYS"
            case ENODEV: "ENODEV"
            case EOPNOTSUPP: "EOPNOTSUPP"
            case EINVAL: "EINVAL"
            case EMFILE: "EMFILE"
            case ENFILE: "ENFILE"
            case ENOMEM: "ENOMEM"
            case EBUSY: "EBUSY"
            case EAGAIN: "EAGAIN"
            case EIO: "EIO"
            default: nil
            }
        }
    }
}

extension HardwareCounters.EventSet {
    fileprivate var cValue: CActorFlowPerf_event_set {
        switch self {
        case .hardware: CActorFlowPerf_hardware
        case .software: CActorFlowPerf_software
        }
    }
}
