// The `actorflow` LTTng-UST tracepoint provider: one LTTNG_UST_TRACEPOINT_EVENT per event of Tracing/README.md.
//
// This header is read several times by lttng-ust's macros (LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ), which is why it
// lives outside include/: SwiftPM's generated module map must never import it. Only actorflow_tp.c includes it,
// and lttng-ust re-includes it through LTTNG_UST_TRACEPOINT_INCLUDE below, found through the target's
// `.headerSearchPath(".")`.
//
// Integer widths (the same in the README's catalog): step ids, byte counts and allocation ids are uint64; op ids
// and node counts uint32; worker, thief, victim and NUMA node int32 with -1 meaning "not a pool worker" or
// "unknown node"; same_node uint8 (0 or 1); step status an int32 enumeration.

#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER actorflow

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./actorflow_tp.h"

#if !defined(ACTORFLOW_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define ACTORFLOW_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_ENUM(actorflow, step_status,
    LTTNG_UST_TP_ENUM_VALUES(
        lttng_ust_field_enum_value("ok", 0)
        lttng_ust_field_enum_value("failed", 1)
        lttng_ust_field_enum_value("cancelled", 2)
        lttng_ust_field_enum_value("deadline_exceeded", 3)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, step_begin,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, node_count),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, node_count, node_count)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, step_end,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, int32_t, status),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_enum(actorflow, step_status, int32_t, status, status)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, op_scheduled,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, op_id),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, op_id, op_id)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, op_start,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, op_id, const char *, op_name, const char *, op_type,
                      int32_t, worker, int32_t, numa_node),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, op_id, op_id)
        lttng_ust_field_string(op_name, op_name)
        lttng_ust_field_string(op_type, op_type)
        lttng_ust_field_integer(int32_t, worker, worker)
        lttng_ust_field_integer(int32_t, numa_node, numa_node)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, op_end,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, op_id, const char *, op_name, int32_t, worker,
                      int32_t, numa_node, uint64_t, output_bytes),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, op_id, op_id)
        lttng_ust_field_string(op_name, op_name)
        lttng_ust_field_integer(int32_t, worker, worker)
        lttng_ust_field_integer(int32_t, numa_node, numa_node)
        lttng_ust_field_integer(uint64_t, output_bytes, output_bytes)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, op_suspend,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, op_id, const char *, op_name, int32_t, worker,
                      int32_t, numa_node),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, op_id, op_id)
        lttng_ust_field_string(op_name, op_name)
        lttng_ust_field_integer(int32_t, worker, worker)
        lttng_ust_field_integer(int32_t, numa_node, numa_node)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, op_resume,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, op_id, const char *, op_name, int32_t, worker,
                      int32_t, numa_node),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, op_id, op_id)
        lttng_ust_field_string(op_name, op_name)
        lttng_ust_field_integer(int32_t, worker, worker)
        lttng_ust_field_integer(int32_t, numa_node, numa_node)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, steal,
    LTTNG_UST_TP_ARGS(int32_t, thief, int32_t, victim, uint8_t, same_node),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int32_t, thief, thief)
        lttng_ust_field_integer(int32_t, victim, victim)
        lttng_ust_field_integer(uint8_t, same_node, same_node)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, worker_park,
    LTTNG_UST_TP_ARGS(int32_t, worker),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int32_t, worker, worker)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, worker_wake,
    LTTNG_UST_TP_ARGS(int32_t, worker),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int32_t, worker, worker)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, cluster_step,
    LTTNG_UST_TP_ARGS(uint64_t, cluster_step, int32_t, task, int32_t, tasks),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, cluster_step, cluster_step)
        lttng_ust_field_integer(int32_t, task, task)
        lttng_ust_field_integer(int32_t, tasks, tasks)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, alloc,
    LTTNG_UST_TP_ARGS(uint64_t, step_id, uint32_t, op_id, uint64_t, bytes, uint64_t, allocation_id,
                      int32_t, numa_node),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, step_id, step_id)
        lttng_ust_field_integer(uint32_t, op_id, op_id)
        lttng_ust_field_integer(uint64_t, bytes, bytes)
        lttng_ust_field_integer(uint64_t, allocation_id, allocation_id)
        lttng_ust_field_integer(int32_t, numa_node, numa_node)
    )
)

LTTNG_UST_TRACEPOINT_EVENT(actorflow, free,
    LTTNG_UST_TP_ARGS(uint64_t, allocation_id, uint64_t, bytes),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, allocation_id, allocation_id)
        lttng_ust_field_integer(uint64_t, bytes, bytes)
    )
)

#endif // ACTORFLOW_TP_H

#include <lttng/tracepoint-event.h>
