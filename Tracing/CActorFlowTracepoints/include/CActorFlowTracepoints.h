// The C face of the `actorflow` LTTng-UST provider, as Swift sees it (through Sources/ActorFlowTracing only).
//
// For each event there is
//   - `CActorFlowTracepoints_<event>_enabled()`: a static inline relaxed load of the event's enabled flag (the
//     `state` field lttng-ust sets while a session has the event enabled), so the disabled path costs one load and
//     one branch inside the Swift caller, with no call;
//   - `CActorFlowTracepoints_<event>(...)`: an out-of-line function that fires the tracepoint (it checks the flag
//     again, so calling it while disabled is harmless).
// Field types and meanings: Tracing/README.md. Strings must be NUL-terminated and stay valid for the call.
#ifndef CACTORFLOWTRACEPOINTS_H
#define CACTORFLOWTRACEPOINTS_H

#ifdef __linux__

#include <stdbool.h>
#include <stdint.h>
#include <lttng/tracepoint-types.h>

// The tracepoint structs defined by actorflow_tp.c (LTTNG_UST_TRACEPOINT_DEFINE with hidden visibility): declared
// here so the enabled checks below compile to a single PC-relative load in whichever Swift module inlines them.
#define CACTORFLOWTRACEPOINTS_DECLARE(event) \
    extern struct lttng_ust_tracepoint lttng_ust_tracepoint_actorflow___##event __attribute__((visibility("hidden")))

CACTORFLOWTRACEPOINTS_DECLARE(step_begin);
CACTORFLOWTRACEPOINTS_DECLARE(step_end);
CACTORFLOWTRACEPOINTS_DECLARE(op_scheduled);
CACTORFLOWTRACEPOINTS_DECLARE(op_start);
CACTORFLOWTRACEPOINTS_DECLARE(op_end);
CACTORFLOWTRACEPOINTS_DECLARE(op_suspend);
CACTORFLOWTRACEPOINTS_DECLARE(op_resume);
CACTORFLOWTRACEPOINTS_DECLARE(steal);
CACTORFLOWTRACEPOINTS_DECLARE(worker_park);
CACTORFLOWTRACEPOINTS_DECLARE(worker_wake);
CACTORFLOWTRACEPOINTS_DECLARE(cluster_step);
CACTORFLOWTRACEPOINTS_DECLARE(alloc);
CACTORFLOWTRACEPOINTS_DECLARE(free);

#undef CACTORFLOWTRACEPOINTS_DECLARE

/// True while some tracing session has the event enabled. One relaxed load; never blocks.
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_is_enabled(const int *state) {
    return __atomic_load_n(state, __ATOMIC_RELAXED) != 0;
}

static inline __attribute__((always_inline)) bool CActorFlowTracepoints_step_begin_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___step_begin.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_step_end_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___step_end.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_op_scheduled_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___op_scheduled.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_op_start_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___op_start.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_op_end_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___op_end.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_op_suspend_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___op_suspend.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_op_resume_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___op_resume.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_steal_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___steal.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_worker_park_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___worker_park.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_worker_wake_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___worker_wake.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_cluster_step_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___cluster_step.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_alloc_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___alloc.state);
}
static inline __attribute__((always_inline)) bool CActorFlowTracepoints_free_enabled(void) {
    return CActorFlowTracepoints_is_enabled(&lttng_ust_tracepoint_actorflow___free.state);
}

void CActorFlowTracepoints_step_begin(uint64_t step_id, uint32_t node_count);
void CActorFlowTracepoints_step_end(uint64_t step_id, int32_t status);
void CActorFlowTracepoints_op_scheduled(uint64_t step_id, uint32_t op_id);
void CActorFlowTracepoints_op_start(uint64_t step_id, uint32_t op_id, const char *op_name, const char *op_type,
                                    int32_t worker, int32_t numa_node);
void CActorFlowTracepoints_op_end(uint64_t step_id, uint32_t op_id, const char *op_name, int32_t worker,
                                  int32_t numa_node, uint64_t output_bytes);
void CActorFlowTracepoints_op_suspend(uint64_t step_id, uint32_t op_id, const char *op_name, int32_t worker,
                                      int32_t numa_node);
void CActorFlowTracepoints_op_resume(uint64_t step_id, uint32_t op_id, const char *op_name, int32_t worker,
                                     int32_t numa_node);
void CActorFlowTracepoints_steal(int32_t thief, int32_t victim, uint8_t same_node);
void CActorFlowTracepoints_worker_park(int32_t worker);
void CActorFlowTracepoints_worker_wake(int32_t worker);
void CActorFlowTracepoints_cluster_step(uint64_t cluster_step, int32_t task, int32_t tasks);
void CActorFlowTracepoints_alloc(uint64_t step_id, uint32_t op_id, uint64_t bytes, uint64_t allocation_id,
                                 int32_t numa_node);
void CActorFlowTracepoints_free(uint64_t allocation_id, uint64_t bytes);

/// True when this process loaded liblttng-ust's tracepoint library and registered the actorflow tracepoints with it
/// (false only if the library could not be loaded: then every event stays disabled for the process's lifetime).
bool CActorFlowTracepoints_provider_registered(void);

/// The CPU's time-stamp counter (`rdtsc`, not serializing: a few cycles of reordering around it are below what a
/// trace resolves), or 0 on CPUs without one. Whether it is a usable clock here is decided in Swift
/// (ActorFlowTraceEvents/TimestampCounter.swift).
static inline uint64_t CActorFlowTracepoints_read_tsc(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    return 0;
#endif
}

#endif // __linux__

#endif // CACTORFLOWTRACEPOINTS_H
