// libnuma declares numa_warn and numa_error weak so that programs can replace them; these definitions
// keep its diagnostics off stderr and let Swift read them (Topology.libnumaDiagnostics).
#ifdef __linux__

#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE (Package.swift does, through cSettings)
#endif

#include "CActorFlowLinux.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t CActorFlowLinux_numa_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t CActorFlowLinux_numa_count = 0;   // guarded by CActorFlowLinux_numa_lock
static char CActorFlowLinux_numa_last[512];       // guarded by CActorFlowLinux_numa_lock

static void CActorFlowLinux_numa_record(const char *message) {
    pthread_mutex_lock(&CActorFlowLinux_numa_lock);
    CActorFlowLinux_numa_count++;
    strncpy(CActorFlowLinux_numa_last, message, sizeof(CActorFlowLinux_numa_last) - 1);
    CActorFlowLinux_numa_last[sizeof(CActorFlowLinux_numa_last) - 1] = '\0';
    pthread_mutex_unlock(&CActorFlowLinux_numa_lock);
}

// Replaces libnuma's weak definition (numa.h: `void numa_warn(int num, char *fmt, ...)`).
void numa_warn(int num, char *fmt, ...) {
    (void)num;
    char message[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    CActorFlowLinux_numa_record(message);
}

// Replaces libnuma's weak definition (numa.h: `void numa_error(char *where)`); errno names the cause.
void numa_error(char *where) {
    char message[512];
    snprintf(message, sizeof(message), "%s: %s", where, strerror(errno));
    CActorFlowLinux_numa_record(message);
}

uint64_t CActorFlowLinux_numa_diagnostic_count(void) {
    pthread_mutex_lock(&CActorFlowLinux_numa_lock);
    uint64_t count = CActorFlowLinux_numa_count;
    pthread_mutex_unlock(&CActorFlowLinux_numa_lock);
    return count;
}

size_t CActorFlowLinux_numa_last_diagnostic(char *buffer, size_t capacity) {
    pthread_mutex_lock(&CActorFlowLinux_numa_lock);
    size_t length = CActorFlowLinux_numa_count == 0 ? 0 : strlen(CActorFlowLinux_numa_last);
    if (capacity > 0) {
        size_t n = length < capacity - 1 ? length : capacity - 1;
        memcpy(buffer, CActorFlowLinux_numa_last, n);
        buffer[n] = '\0';
    }
    pthread_mutex_unlock(&CActorFlowLinux_numa_lock);
    return length;
}

#endif // __linux__
