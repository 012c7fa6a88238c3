// perf_event_open(2) counter groups for the calling thread; the contract is in include/CActorFlowPerf.h.
#ifdef __linux__

#ifndef _GNU_SOURCE
#error "CActorFlowPerf needs _GNU_SOURCE (set by Package.swift) for syscall(2)"
#endif

#include "CActorFlowPerf.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { counters = 3, event_sets = 2 };

/// What a group's read(2) returns with PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING.
typedef struct {
    uint64_t nr;
    uint64_t time_enabled;
    uint64_t time_running;
    uint64_t values[counters];
} group_read_format;

typedef enum { group_untried = 0, group_open = 1, group_failed = 2 } group_status;

typedef struct {
    group_status status;
    int error;  // the open's errno when status is group_failed
    int fds[counters];  // fds[0] leads; all valid when status is group_open
} group_state;

/// One per thread that has read a group, owned by the pthread key below.
typedef struct {
    group_state sets[event_sets];
} thread_state;

static _Atomic long open_descriptors;
static pthread_key_t state_key;
static int state_key_error;  // written once under state_key_once
static pthread_once_t state_key_once = PTHREAD_ONCE_INIT;

static void close_fds(int *fds, int count) {
    for (int i = 0; i < count; i++) {
        if (fds[i] >= 0) {
            close(fds[i]);
            fds[i] = -1;
            atomic_fetch_sub_explicit(&open_descriptors, 1, memory_order_relaxed);
        }
    }
}

static int open_group(CActorFlowPerf_event_set set, int fds[counters]) {
    static const uint64_t hardware[counters] = {
        PERF_COUNT_HW_CPU_CYCLES, PERF_COUNT_HW_INSTRUCTIONS, PERF_COUNT_HW_CACHE_MISSES};
    static const uint64_t software[counters] = {
        PERF_COUNT_SW_TASK_CLOCK, PERF_COUNT_SW_CPU_CLOCK, PERF_COUNT_SW_PAGE_FAULTS};
    for (int i = 0; i < counters; i++) fds[i] = -1;
    for (int i = 0; i < counters; i++) {
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.size = sizeof attr;
        attr.type = set == CActorFlowPerf_hardware ? PERF_TYPE_HARDWARE : PERF_TYPE_SOFTWARE;
        attr.config = set == CActorFlowPerf_hardware ? hardware[i] : software[i];
        attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
        attr.disabled = i == 0;  // members follow the leader, which is enabled once the group is complete
        attr.exclude_kernel = 1;  // user space only: allowed at perf_event_paranoid 2 without privileges
        attr.exclude_hv = 1;
        long fd = syscall(SYS_perf_event_open, &attr, 0, -1, i == 0 ? -1 : fds[0], PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            int error = errno;
            close_fds(fds, i);
            return error;
        }
        fds[i] = (int)fd;
        atomic_fetch_add_explicit(&open_descriptors, 1, memory_order_relaxed);
    }
    if (ioctl(fds[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) != 0) {
        int error = errno;
        close_fds(fds, counters);
        return error;
    }
    return 0;
}

static CActorFlowPerf_reading read_group(int leader) {
    CActorFlowPerf_reading reading;
    memset(&reading, 0, sizeof reading);
    group_read_format buffer;
    ssize_t n;
    do {
        n = read(leader, &buffer, sizeof buffer);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        reading.error = errno;
        return reading;
    }
    if (n != (ssize_t)sizeof buffer || buffer.nr != counters) {
        reading.error = EIO;
        return reading;
    }
    for (int i = 0; i < counters; i++) reading.counts[i] = buffer.values[i];
    reading.time_enabled = buffer.time_enabled;
    reading.time_running = buffer.time_running;
    return reading;
}

static void close_thread_groups(thread_state *state) {
    for (int s = 0; s < event_sets; s++) {
        if (state->sets[s].status == group_open) close_fds(state->sets[s].fds, counters);
        state->sets[s].status = group_untried;
        state->sets[s].error = 0;
    }
}

static void destroy_thread_state(void *value) {
    thread_state *state = value;
    close_thread_groups(state);
    free(state);
}

static void create_state_key(void) {
    state_key_error = pthread_key_create(&state_key, destroy_thread_state);
}

int CActorFlowPerf_probe(CActorFlowPerf_event_set set) {
    int fds[counters];
    int error = open_group(set, fds);
    if (error != 0) return error;
    CActorFlowPerf_reading reading = read_group(fds[0]);
    close_fds(fds, counters);
    return reading.error;
}

CActorFlowPerf_reading CActorFlowPerf_thread_read(CActorFlowPerf_event_set set) {
    CActorFlowPerf_reading failed;
    memset(&failed, 0, sizeof failed);
    if (set != CActorFlowPerf_hardware && set != CActorFlowPerf_software) {
        failed.error = EINVAL;
        return failed;
    }
    pthread_once(&state_key_once, create_state_key);
    if (state_key_error != 0) {
        failed.error = state_key_error;
        return failed;
    }
    thread_state *state = pthread_getspecific(state_key);
    if (state == NULL) {
        state = calloc(1, sizeof *state);
        if (state == NULL) {
            failed.error = ENOMEM;
            return failed;
        }
        int error = pthread_setspecific(state_key, state);
        if (error != 0) {
            free(state);
            failed.error = error;
            return failed;
        }
    }
    group_state *group = &state->sets[set];
    if (group->status == group_untried) {
        int error = open_group(set, group->fds);
        group->status = error == 0 ? group_open : group_failed;
        group->error = error;
    }
    if (group->status == group_failed) {
        failed.error = group->error;
        return failed;
    }
    return read_group(group->fds[0]);
}

void CActorFlowPerf_thread_close(void) {
    pthread_once(&state_key_once, create_state_key);
    if (state_key_error != 0) return;
    thread_state *state = pthread_getspecific(state_key);
    if (state != NULL) close_thread_groups(state);
}

long CActorFlowPerf_open_descriptor_count(void) {
    return atomic_load_explicit(&open_descriptors, memory_order_relaxed);
}

#endif // __linux__
