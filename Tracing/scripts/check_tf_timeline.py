#!/usr/bin/env python3
"""Checks that TensorFlow's own timeline reads an ActorFlow RunMetadata.

Loads a serialized RunMetadata (`.pb`, as `actorflow run --run-metadata FILE` or `try metadata.serializedData()`
writes it) with TensorFlow's protobuf classes, renders it with
`tensorflow.python.client.timeline.Timeline(md.step_stats).generate_chrome_trace_format(show_memory=True)`
and prints what came out: events per phase, processes, ops per type. Exits 1 when TensorFlow cannot parse the
file or when its timeline does not show exactly one op event per NodeExecStats.

This needs TensorFlow, so it runs by hand in a throwaway virtual environment, never in CI:

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu
    /tmp/tfvenv/bin/python Tracing/scripts/check_tf_timeline.py run_metadata.pb [--ours ours.json] [-o tf.json]

`--ours` also prints the counts of ActorFlow's own Chrome trace of the same run (ChromeTraceExporter) beside
TensorFlow's, for comparison. `-o` writes TensorFlow's trace JSON.
"""

import argparse
import collections
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's start-up chatter hides the report


def counts(trace: dict) -> dict:
    events = trace.get("traceEvents", [])
    phases = collections.Counter(e.get("ph", "?") for e in events)
    processes = sorted(
        e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "process_name"
    )
    threads = sorted(
        {(e.get("pid"), e.get("tid")) for e in events if e.get("ph") == "X"}, key=lambda t: (str(t[0]), str(t[1]))
    )
    ops = collections.Counter(e.get("name") for e in events if e.get("ph") == "X")
    return {"events": len(events), "phases": dict(sorted(phases.items())), "processes": processes,
            "op_tracks": len(threads), "ops": dict(sorted(ops.items()))}


def report(title: str, c: dict) -> None:
    print(f"{title}:")
    print(f"  events     {c['events']}")
    print("  by phase   " + ", ".join(f"{ph}={n}" for ph, n in c["phases"].items()))
    print(f"  op tracks  {c['op_tracks']}")
    for name in c["processes"]:
        print(f"  process    {name}")
    print("  ops        " + ", ".join(f"{op}×{n}" for op, n in c["ops"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_metadata", help="a serialized tensorflow.RunMetadata")
    parser.add_argument("--ours", help="ActorFlow's Chrome trace of the same run, to compare counts")
    parser.add_argument("-o", "--output", help="write TensorFlow's Chrome trace JSON here")
    args = parser.parse_args()

    try:
        from tensorflow.core.protobuf import config_pb2
        from tensorflow.python.client import timeline
    except ImportError as error:
        print(f"check_tf_timeline: TensorFlow is not importable here ({error}); see the usage in this file",
              file=sys.stderr)
        return 2

    metadata = config_pb2.RunMetadata()
    with open(args.run_metadata, "rb") as f:
        data = f.read()
    try:
        metadata.ParseFromString(data)
    except Exception as error:  # protobuf raises DecodeError, or others for broken input
        print(f"check_tf_timeline: TensorFlow cannot parse {args.run_metadata}: {error}", file=sys.stderr)
        return 1

    node_stats = sum(len(d.node_stats) for d in metadata.step_stats.dev_stats)
    print(f"{args.run_metadata}: {len(data)} bytes, {len(metadata.step_stats.dev_stats)} device(s), "
          f"{node_stats} NodeExecStats")
    for device in metadata.step_stats.dev_stats:
        names = ", ".join(f"{tid}={name}" for tid, name in sorted(device.thread_names.items()))
        print(f"  {device.device}: {len(device.node_stats)} nodes; thread_names: {names or '(none)'}")

    text = timeline.Timeline(metadata.step_stats).generate_chrome_trace_format(show_memory=True)
    trace = json.loads(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    tf_counts = counts(trace)
    report("TensorFlow timeline (show_memory=True)", tf_counts)
    if args.ours:
        with open(args.ours) as f:
            report("ActorFlow ChromeTraceExporter", counts(json.load(f)))

    op_events = tf_counts["phases"].get("X", 0)
    if op_events != node_stats:
        print(f"check_tf_timeline: TensorFlow drew {op_events} op events for {node_stats} NodeExecStats",
              file=sys.stderr)
        return 1
    print("ok: TensorFlow's timeline read every NodeExecStats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
