#if canImport(Glibc)
import Glibc
#endif

/// The number of CPUs this process may use.
enum ProcessInfoCPUCount {
    /// Online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    static let online: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}
