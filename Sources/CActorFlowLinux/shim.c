#ifdef __linux__

#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE (Package.swift does, through cSettings)
#endif

#include "CActorFlowLinux.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Thread_local void *CActorFlowLinux_tls_current_worker = NULL;
_Thread_local const void *CActorFlowLinux_tls_current_serial_executor = NULL;
static _Thread_local uint32_t CActorFlowLinux_tls_tid = 0;

int CActorFlowLinux_allowed_cpus(int *cpus, int capacity) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        return -errno;
    }
    int count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &set)) {
            if (count < capacity) {
                cpus[count] = cpu;
            }
            count++;
        }
    }
    return count;
}

int CActorFlowLinux_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        return EINVAL;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int CActorFlowLinux_set_current_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

int CActorFlowLinux_sched_getcpu(void) { return sched_getcpu(); }

uint32_t CActorFlowLinux_gettid(void) {
    if (CActorFlowLinux_tls_tid == 0) {
        CActorFlowLinux_tls_tid = (uint32_t)syscall(SYS_gettid);
    }
    return CActorFlowLinux_tls_tid;
}

int CActorFlowLinux_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns) {
    struct timespec timeout;
    struct timespec *timeout_pointer = NULL;
    if (timeout_ns >= 0) {
        timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
        timeout.tv_nsec = (long)(timeout_ns % 1000000000);
        timeout_pointer = &timeout;
    }
    long result = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, timeout_pointer, NULL, 0);
    return result == 0 ? 0 : errno;
}

int CActorFlowLinux_futex_wake(uint32_t *word, int count) {
    long result = syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
    return result < 0 ? 0 : (int)result;
}

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CACTORFLOWLINUX_THREAD_SANITIZER 1
#endif
#endif

#ifdef CACTORFLOWLINUX_THREAD_SANITIZER
void __tsan_acquire(void *address);
void __tsan_release(void *address);
void CActorFlowLinux_tsan_acquire(const void *address) { __tsan_acquire((void *)address); }
void CActorFlowLinux_tsan_release(const void *address) { __tsan_release((void *)address); }
#else
void CActorFlowLinux_tsan_acquire(const void *address) { (void)address; }
void CActorFlowLinux_tsan_release(const void *address) { (void)address; }
#endif

#endif // __linux__
