// perf_event_open(2) for ActorFlow's hardware counters, as Swift sees it (through Sources/ActorFlowTracing only).
//
// glibc has no perf_event_open wrapper and Swift cannot fill `struct perf_event_attr`'s bit-fields, so this target
// opens, reads and closes one counter group per thread: three counting events on the calling thread (pid 0, cpu -1,
// user space only) read together with PERF_FORMAT_GROUP. Each thread's group is opened on its first read, cached in
// a pthread key and closed by the key's destructor when the thread exits, so no descriptor outlives its thread.
// Nothing here allocates Swift memory or hands out pointers: readings are returned by value.
#ifndef CACTORFLOWPERF_H
#define CACTORFLOWPERF_H

#ifdef __linux__

#include <stdint.h>

/// Which three events a group counts.
typedef enum {
    /// CPU cycles, retired instructions, last-level cache misses (PERF_TYPE_HARDWARE). Needs a PMU.
    CActorFlowPerf_hardware = 0,
    /// Task clock (ns), CPU clock (ns), page faults (PERF_TYPE_SOFTWARE). Work wherever perf events exist, PMU or
    /// not; the tests use them to exercise the same open/read/close path on machines without a PMU.
    CActorFlowPerf_software = 1,
} CActorFlowPerf_event_set;

/// One read of a group: the three counts in the set's order and the times the group was enabled and running (ns).
typedef struct {
    /// 0, or the errno of the failed open or read (the counts are then 0).
    int error;
    uint64_t counts[3];
    uint64_t time_enabled;
    uint64_t time_running;
} CActorFlowPerf_reading;

/// Opens a group of `set` on the calling thread, reads it once and closes it. Returns 0 or the errno of the first
/// call that failed. Never caches anything.
int CActorFlowPerf_probe(CActorFlowPerf_event_set set);

/// Reads the calling thread's group of `set`, opening it on the thread's first call. A failed open is remembered:
/// later calls on that thread return the same error without a system call.
CActorFlowPerf_reading CActorFlowPerf_thread_read(CActorFlowPerf_event_set set);

/// Closes the calling thread's groups now (the thread's exit does the same); the next read opens them again.
void CActorFlowPerf_thread_close(void);

/// How many counter descriptors this process holds open through this target (a leak check for tests).
long CActorFlowPerf_open_descriptor_count(void);

#endif // __linux__
#endif // CACTORFLOWPERF_H
