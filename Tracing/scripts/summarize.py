#!/usr/bin/python3
"""Summarizes an actorflow LTTng trace (CTF, as written by record.sh): steps, time per op, work per worker, local
versus remote steals, and memory.

    /usr/bin/python3 Tracing/scripts/summarize.py TRACE_DIR [--json] [--top N]

Op times are op_end minus op_start of the same (process, step, op). A worker's busy time is the sum of its ops'
times, its parked time the sum of its worker_park → worker_wake intervals. With --json the same numbers are
printed as one JSON object (keys as in the text report) for scripts.
"""

import argparse
import json
import sys

import actorflow_trace


def summarize(trace):
    events = trace.events
    open_ops, open_steps, parked, allocations = {}, {}, {}, {}
    ops, workers, steps = {}, {}, []
    steals = {"local": 0, "remote": 0}
    memory = {"allocations": 0, "allocated_bytes": 0, "freed_bytes": 0, "peak_live_bytes": 0, "live_bytes": 0}

    def worker(index):
        return workers.setdefault(index, {
            "ops": 0, "busy_ns": 0, "parked_ns": 0, "parks": 0, "local_steals": 0, "remote_steals": 0,
            "stolen_from": 0,
        })

    for event in events:
        fields = event.fields
        if event.name == "op_start":
            open_ops[(event.vpid, fields["step_id"], fields["op_id"])] = event
        elif event.name == "op_end":
            start = open_ops.pop((event.vpid, fields["step_id"], fields["op_id"]), None)
            if start is None:
                continue
            duration = event.ns - start.ns
            op = ops.setdefault(start.fields["op_name"], {
                "type": start.fields["op_type"], "count": 0, "total_ns": 0, "max_ns": 0, "output_bytes": 0,
            })
            op["count"] += 1
            op["total_ns"] += duration
            op["max_ns"] = max(op["max_ns"], duration)
            op["output_bytes"] += fields["output_bytes"]
            worker(start.fields["worker"])["ops"] += 1
            worker(start.fields["worker"])["busy_ns"] += duration
        elif event.name == "worker_park":
            parked[(event.vpid, fields["worker"])] = event.ns
            worker(fields["worker"])["parks"] += 1
        elif event.name == "worker_wake":
            since = parked.pop((event.vpid, fields["worker"]), None)
            if since is not None:
                worker(fields["worker"])["parked_ns"] += event.ns - since
        elif event.name == "steal":
            kind = "local" if fields["same_node"] else "remote"
            steals[kind] += 1
            worker(fields["thief"])[f"{kind}_steals"] += 1
            worker(fields["victim"])["stolen_from"] += 1
        elif event.name == "step_begin":
            open_steps[(event.vpid, fields["step_id"])] = event
        elif event.name == "step_end":
            begin = open_steps.pop((event.vpid, fields["step_id"]), None)
            steps.append({
                "step_id": fields["step_id"],
                "status": actorflow_trace.STEP_STATUS.get(fields["status"], str(fields["status"])),
                "node_count": begin.fields["node_count"] if begin else None,
                "duration_ns": event.ns - begin.ns if begin else None,
            })
        elif event.name == "alloc":
            allocations[(event.vpid, fields["allocation_id"])] = fields["bytes"]
            memory["allocations"] += 1
            memory["allocated_bytes"] += fields["bytes"]
            memory["live_bytes"] += fields["bytes"]
            memory["peak_live_bytes"] = max(memory["peak_live_bytes"], memory["live_bytes"])
        elif event.name == "free":
            if allocations.pop((event.vpid, fields["allocation_id"]), None) is not None:
                memory["freed_bytes"] += fields["bytes"]
                memory["live_bytes"] -= fields["bytes"]

    return {
        "events": len(events),
        "discarded_events": trace.discarded,
        "steps": steps,
        "ops": ops,
        "workers": {str(index): value for index, value in sorted(workers.items())},
        "steals": steals,
        "memory": memory,
    }


def print_report(summary, top):
    print(f"{summary['events']} events", end="")
    print(f", {summary['discarded_events']} discarded by the tracer" if summary["discarded_events"] else "")
    print(f"\nsteps: {len(summary['steps'])}")
    for step in summary["steps"]:
        duration = f"{step['duration_ns'] / 1000:.1f} us" if step["duration_ns"] is not None else "begin not traced"
        print(f"  step {step['step_id']}: {step['status']}, {step['node_count']} nodes, {duration}")

    ranked = sorted(summary["ops"].items(), key=lambda item: item[1]["total_ns"], reverse=True)
    print(f"\nops by total time (top {top} of {len(ranked)}):")
    print(f"  {'op':<32} {'type':<16} {'count':>7} {'total us':>12} {'mean us':>10} {'max us':>10}")
    for name, op in ranked[:top]:
        mean = op["total_ns"] / op["count"]
        print(f"  {name:<32} {op['type']:<16} {op['count']:>7} {op['total_ns'] / 1000:>12.1f} "
              f"{mean / 1000:>10.2f} {op['max_ns'] / 1000:>10.2f}")

    print("\nworkers:")
    print(f"  {'worker':>6} {'ops':>7} {'busy us':>12} {'parked us':>12} {'parks':>6} {'steals local':>13} "
          f"{'steals remote':>14} {'stolen from':>12}")
    for index, w in summary["workers"].items():
        print(f"  {index:>6} {w['ops']:>7} {w['busy_ns'] / 1000:>12.1f} {w['parked_ns'] / 1000:>12.1f} {w['parks']:>6} "
              f"{w['local_steals']:>13} {w['remote_steals']:>14} {w['stolen_from']:>12}")

    steals = summary["steals"]
    print(f"\nsteals: {steals['local']} local (same NUMA node), {steals['remote']} remote")
    memory = summary["memory"]
    print(f"memory: {memory['allocations']} allocations, {memory['allocated_bytes']} bytes allocated, "
          f"{memory['freed_bytes']} freed, peak live {memory['peak_live_bytes']} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace", nargs="+", help="trace directory (as printed by record.sh)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--top", type=int, default=20, help="ops to list, slowest total first (default 20)")
    arguments = parser.parse_args()

    trace = actorflow_trace.read(arguments.trace)
    if not trace.events:
        sys.exit(f"summarize: no actorflow events in {' '.join(arguments.trace)}")
    summary = summarize(trace)
    if arguments.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(summary, arguments.top)


if __name__ == "__main__":
    main()
