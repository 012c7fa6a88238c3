// The `actorflow` provider's one translation unit: it creates the probes (the code that serializes each event into
// the ring buffer), defines the tracepoint structs and registers both with lttng-ust from constructors. It also
// defines the out-of-line wrappers that Swift calls once an event's enabled flag (include/CActorFlowTracepoints.h)
// reads true.
#ifdef __linux__

// Everything lives in one image (the executable or library that links this target), so keep the symbols hidden:
// two images each carrying this provider would otherwise interpose each other's tracepoint structs.
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
#define LTTNG_UST_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#include "actorflow_tp.h"

#include "CActorFlowTracepoints.h"

void CActorFlowTracepoints_step_begin(uint64_t step_id, uint32_t node_count) {
    lttng_ust_tracepoint(actorflow, step_begin, step_id, node_count);
}

void CActorFlowTracepoints_step_end(uint64_t step_id, int32_t status) {
    lttng_ust_tracepoint(actorflow, step_end, step_id, status);
}

void CActorFlowTracepoints_op_scheduled(uint64_t step_id, uint32_t op_id) {
    lttng_ust_tracepoint(actorflow, op_scheduled, step_id, op_id);
}

void CActorFlowTracepoints_op_start(uint64_t step_id, uint32_t op_id, const char *op_name, const char *op_type,
                                    int32_t worker, int32_t numa_node) {
    lttng_ust_tracepoint(actorflow, op_start, step_id, op_id, op_name, op_type, worker, numa_node);
}

void CActorFlowTracepoints_op_end(uint64_t step_id, uint32_t op_id, const char *op_name, int32_t worker,
                                  int32_t numa_node, uint64_t output_bytes) {
    lttng_ust_tracepoint(actorflow, op_end, step_id, op_id, op_name, worker, numa_node, output_bytes);
}

void CActorFlowTracepoints_op_suspend(uint64_t step_id, uint32_t op_id, const char *op_name, int32_t worker,
                                      int32_t numa_node) {
    lttng_ust_tracepoint(actorflow, op_suspend, step_id, op_id, op_name, worker, numa_node);
}

void CActorFlowTracepoints_op_resume(uint64_t step_id, uint32_t op_id, const char *op_name, int32_t worker,
                                     int32_t numa_node) {
    lttng_ust_tracepoint(actorflow, op_resume, step_id, op_id, op_name, worker, numa_node);
}

void CActorFlowTracepoints_steal(int32_t thief, int32_t victim, uint8_t same_node) {
    lttng_ust_tracepoint(actorflow, steal, thief, victim, same_node);
}

void CActorFlowTracepoints_worker_park(int32_t worker) {
    lttng_ust_tracepoint(actorflow, worker_park, worker);
}

void CActorFlowTracepoints_worker_wake(int32_t worker) {
    lttng_ust_tracepoint(actorflow, worker_wake, worker);
}

void CActorFlowTracepoints_cluster_step(uint64_t cluster_step, int32_t task, int32_t tasks) {
    lttng_ust_tracepoint(actorflow, cluster_step, cluster_step, task, tasks);
}

void CActorFlowTracepoints_alloc(uint64_t step_id, uint32_t op_id, uint64_t bytes, uint64_t allocation_id,
                                 int32_t numa_node) {
    lttng_ust_tracepoint(actorflow, alloc, step_id, op_id, bytes, allocation_id, numa_node);
}

void CActorFlowTracepoints_free(uint64_t allocation_id, uint64_t bytes) {
    lttng_ust_tracepoint(actorflow, free, allocation_id, bytes);
}

bool CActorFlowTracepoints_provider_registered(void) {
    // Filled in by the LTTNG_UST_TRACEPOINT_DEFINE constructor: the dlopen'ed liblttng-ust-tracepoint and the
    // registration entry point it used for this image's tracepoints.
    return lttng_ust_tracepoint_dlopen_ptr != NULL
        && lttng_ust_tracepoint_dlopen_ptr->liblttngust_handle != NULL
        && lttng_ust_tracepoint_dlopen_ptr->lttng_ust_tracepoint_module_register != NULL;
}

#endif // __linux__
