#if canImport(Glibc)
import Glibc
#endif

/// Gives up the CPU while a test waits for another thread to reach a state (no timing involved).
func sched_yieldForTests() {
    sched_yield()
}
