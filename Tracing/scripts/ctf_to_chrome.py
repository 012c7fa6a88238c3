#!/usr/bin/python3
"""Converts an actorflow LTTng trace (CTF, as written by record.sh) to Chrome trace-event JSON, which
https://ui.perfetto.dev and chrome://tracing open as a timeline.

    /usr/bin/python3 Tracing/scripts/ctf_to_chrome.py TRACE_DIR [-o timeline.json]

One process per traced process (vpid) and one lane per thread (vtid), named after the executor worker whose ops it
ran. On those lanes:
  - op_start/op_end pairs are complete slices ("X") named after the op, with its type, ids, worker, NUMA node and
    output size as arguments (an op_start without its op_end becomes an open "B" slice);
  - an async op that suspends is cut into one slice per running stretch (op_start or op_resume → op_suspend or
    op_end), each on the lane of the thread that ran it, and each suspension is an async span "<op> suspended"
    on the process, so the gap shows;
  - worker_park → worker_wake are "parked" slices (a park never followed by a wake lasts to the end of the trace);
  - steals are instant events on the thief's lane, named "steal local" or "steal remote";
  - steps are async spans ("b"/"e") on the process, named "step N", with the end status;
  - alloc/free drive a per-process "live bytes" counter;
  - in a trace of a cluster session's ranks (one process each), cluster_step names each process after its task
    ("task 1: actorflow-mpi (4242)", sorted by task) and marks each task's part of a cluster step with an instant
    event "cluster step N" on the process.
Timestamps are microseconds from the first event. Needs the vtid and vpid contexts (record.sh adds them).
"""

import argparse
import json
import sys

import actorflow_trace

def convert(trace):
    events = trace.events
    if not events:
        return {"traceEvents": [], "displayTimeUnit": "ns"}
    origin = events[0].ns
    last = events[-1].ns

    def us(ns):
        return (ns - origin) / 1000.0

    out = []
    processes = {}  # vpid -> procname
    lane_workers = {}  # (vpid, vtid) -> worker index seen on that lane
    open_ops = {}  # (vpid, step_id, op_id) -> the op_start or op_resume event that began its running stretch
    op_starts = {}  # (vpid, step_id, op_id) -> its op_start event (type, worker), while it has not ended
    suspended = {}  # (vpid, step_id, op_id) -> its op_suspend event, while suspended
    parked = {}  # (vpid, worker) -> worker_park event
    live_bytes = {}  # vpid -> bytes currently allocated
    tasks = {}  # vpid -> its cluster task (rank), from cluster_step
    allocations = {}  # (vpid, allocation_id) -> bytes

    for event in events:
        fields = event.fields
        processes.setdefault(event.vpid, event.procname)
        lane = {"pid": event.vpid, "tid": event.vtid}
        if "worker" in fields and event.name in (
                "op_start", "op_end", "op_suspend", "op_resume", "worker_park", "worker_wake"):
            lane_workers.setdefault((event.vpid, event.vtid), fields["worker"])

        if event.name == "op_start":
            key = (event.vpid, fields["step_id"], fields["op_id"])
            open_ops[key] = event
            op_starts[key] = event
        elif event.name in ("op_end", "op_suspend"):
            key = (event.vpid, fields["step_id"], fields["op_id"])
            start = open_ops.pop(key, None)
            first = op_starts.get(key)
            if start is None or first is None:
                continue  # its op_start predates the trace
            args = {
                "op_type": first.fields["op_type"], "op_id": fields["op_id"], "step_id": fields["step_id"],
                "worker": start.fields["worker"], "numa_node": start.fields["numa_node"],
            }
            if event.name == "op_end":
                args["output_bytes"] = fields["output_bytes"]
                del op_starts[key]
            else:
                args["then"] = "suspended"
                suspended[key] = event
                out.append({
                    "ph": "b", "name": f"{fields['op_name']} suspended", "cat": "suspended",
                    "id": f"{fields['step_id']}.{fields['op_id']}", "pid": event.vpid, "tid": event.vtid,
                    "ts": us(event.ns), "args": {"op_id": fields["op_id"], "step_id": fields["step_id"]},
                })
            out.append({
                "ph": "X", "name": start.fields["op_name"], "cat": "op", "pid": start.vpid, "tid": start.vtid,
                "ts": us(start.ns), "dur": (event.ns - start.ns) / 1000.0, "args": args,
            })
        elif event.name == "op_resume":
            key = (event.vpid, fields["step_id"], fields["op_id"])
            if suspended.pop(key, None) is not None:
                out.append({
                    "ph": "e", "name": f"{fields['op_name']} suspended", "cat": "suspended",
                    "id": f"{fields['step_id']}.{fields['op_id']}", "pid": event.vpid, "tid": event.vtid,
                    "ts": us(event.ns), "args": {"resumed_by_worker": fields["worker"]},
                })
            if key in op_starts:
                open_ops[key] = event
        elif event.name == "worker_park":
            parked[(event.vpid, fields["worker"])] = event
        elif event.name == "worker_wake":
            park = parked.pop((event.vpid, fields["worker"]), None)
            if park is not None:
                out.append({
                    "ph": "X", "name": "parked", "cat": "idle", "pid": park.vpid, "tid": park.vtid,
                    "ts": us(park.ns), "dur": (event.ns - park.ns) / 1000.0, "args": {"worker": fields["worker"]},
                })
        elif event.name == "steal":
            kind = "local" if fields["same_node"] else "remote"
            out.append({
                "ph": "i", "s": "t", "name": f"steal {kind}", "cat": "steal", **lane, "ts": us(event.ns),
                "args": {"thief": fields["thief"], "victim": fields["victim"], "same_node": fields["same_node"]},
            })
        elif event.name == "cluster_step":
            tasks[event.vpid] = fields["task"]
            out.append({
                "ph": "i", "s": "p", "name": f"cluster step {fields['cluster_step']}", "cat": "cluster",
                "pid": event.vpid, "tid": event.vtid, "ts": us(event.ns),
                "args": {"task": fields["task"], "tasks": fields["tasks"]},
            })
        elif event.name == "step_begin":
            out.append({
                "ph": "b", "name": f"step {fields['step_id']}", "cat": "step", "id": fields["step_id"],
                "pid": event.vpid, "tid": event.vtid, "ts": us(event.ns), "args": {"node_count": fields["node_count"]},
            })
        elif event.name == "step_end":
            status = actorflow_trace.STEP_STATUS.get(fields["status"], str(fields["status"]))
            out.append({
                "ph": "e", "name": f"step {fields['step_id']}", "cat": "step", "id": fields["step_id"],
                "pid": event.vpid, "tid": event.vtid, "ts": us(event.ns), "args": {"status": status},
            })
        elif event.name in ("alloc", "free"):
            key = (event.vpid, fields["allocation_id"])
            if event.name == "alloc":
                allocations[key] = fields["bytes"]
                live_bytes[event.vpid] = live_bytes.get(event.vpid, 0) + fields["bytes"]
            elif allocations.pop(key, None) is not None:
                live_bytes[event.vpid] = live_bytes.get(event.vpid, 0) - fields["bytes"]
            else:
                continue  # freed memory allocated before the trace began
            out.append({
                "ph": "C", "name": "live bytes", "pid": event.vpid, "ts": us(event.ns),
                "args": {"bytes": live_bytes[event.vpid]},
            })

    for key, start in open_ops.items():
        out.append({
            "ph": "B", "name": start.fields["op_name"], "cat": "op", "pid": start.vpid, "tid": start.vtid,
            "ts": us(start.ns), "args": {"op_type": op_starts[key].fields["op_type"], "note": "no op_end in the trace"},
        })
    for park in parked.values():
        out.append({
            "ph": "X", "name": "parked", "cat": "idle", "pid": park.vpid, "tid": park.vtid, "ts": us(park.ns),
            "dur": (last - park.ns) / 1000.0, "args": {"worker": park.fields["worker"], "until": "end of trace"},
        })

    metadata = []
    for vpid, procname in sorted(processes.items()):
        task = tasks.get(vpid)
        label = f"{procname} ({vpid})" if task is None else f"task {task}: {procname} ({vpid})"
        metadata.append({"ph": "M", "name": "process_name", "pid": vpid, "args": {"name": label}})
        if task is not None:
            metadata.append({"ph": "M", "name": "process_sort_index", "pid": vpid, "args": {"sort_index": task}})
    lanes = sorted({(e.vpid, e.vtid) for e in events})
    for vpid, vtid in lanes:
        worker = lane_workers.get((vpid, vtid))
        name = f"worker {worker}" if worker is not None and worker >= 0 else "thread"
        metadata.append({"ph": "M", "name": "thread_name", "pid": vpid, "tid": vtid, "args": {"name": f"{name} ({vtid})"}})
        if worker is not None and worker >= 0:
            metadata.append({"ph": "M", "name": "thread_sort_index", "pid": vpid, "tid": vtid, "args": {"sort_index": worker}})

    return {"traceEvents": metadata + out, "displayTimeUnit": "ns"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace", nargs="+", help="trace directory (as printed by record.sh)")
    parser.add_argument("-o", "--output", help="JSON file to write (default: standard output)")
    arguments = parser.parse_args()

    trace = actorflow_trace.read(arguments.trace)
    if not trace.events:
        sys.exit(f"ctf_to_chrome: no actorflow events in {' '.join(arguments.trace)}")
    if trace.discarded:
        print(f"ctf_to_chrome: warning: the tracer discarded {trace.discarded} events", file=sys.stderr)
    document = convert(trace)
    if arguments.output:
        with open(arguments.output, "w") as file:
            json.dump(document, file)
        print(f"ctf_to_chrome: wrote {len(document['traceEvents'])} trace events to {arguments.output}", file=sys.stderr)
    else:
        json.dump(document, sys.stdout)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
