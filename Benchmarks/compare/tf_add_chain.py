#!/usr/bin/env python3
"""TensorFlow's side of the scalar-add chain comparison (ActorFlow's side: `actorflow bench --workloads add-chain`).

Builds, with tf.compat.v1, the graph ActorFlow's `add-chain` workload builds: a float32 scalar placeholder `x`
and SIZE `add`s in a line, each adding `x` to the previous sum; the last sum is fetched with `x` fed. Grappler
and constant folding are off, so TensorFlow runs every add as written, and `inter_op_parallelism_threads`
equals the worker count given. Prints one JSON line per worker count with the median ns per op over the steps.

Not run in CI: it needs TensorFlow, which `run.sh` beside this file installs into a throwaway venv.

    python3 tf_add_chain.py --size 10000 --workers 1,2 --steps 30 [--trace none|full]
"""
import argparse
import json
import statistics
import time

import tensorflow as tf
from tensorflow.core.protobuf import rewriter_config_pb2


def session_config(workers):
    config = tf.compat.v1.ConfigProto(
        inter_op_parallelism_threads=workers, intra_op_parallelism_threads=1)
    rewrite = config.graph_options.rewrite_options
    rewrite.disable_meta_optimizer = True
    rewrite.constant_folding = rewriter_config_pb2.RewriterConfig.OFF
    config.graph_options.optimizer_options.opt_level = tf.compat.v1.OptimizerOptions.L0
    config.graph_options.optimizer_options.do_constant_folding = False
    return config


def measure(size, workers, steps, trace):
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=[], name="x")
        total = x
        for _ in range(size):
            total = tf.add(total, x)
    level = tf.compat.v1.RunOptions.FULL_TRACE if trace == "full" else tf.compat.v1.RunOptions.NO_TRACE
    options = tf.compat.v1.RunOptions(trace_level=level)
    with tf.compat.v1.Session(graph=graph, config=session_config(workers)) as session:
        def step():
            metadata = tf.compat.v1.RunMetadata()
            value = session.run(total, feed_dict={x: 1.0}, options=options, run_metadata=metadata)
            if trace == "full":
                # Read the metadata, as a user asking for a trace does: every NodeExecStats touched.
                touched = sum(len(d.node_stats) for d in metadata.step_stats.dev_stats)
                assert touched >= size, touched
            return value
        for _ in range(3):
            assert step() == size + 1.0
        samples = []
        for _ in range(steps):
            start = time.perf_counter_ns()
            step()
            samples.append((time.perf_counter_ns() - start) / size)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--trace", choices=["none", "full"], default="none")
    args = parser.parse_args()
    for workers in [int(w) for w in args.workers.split(",")]:
        ns = measure(args.size, workers, args.steps, args.trace)
        print(json.dumps({
            "system": "tensorflow", "version": tf.__version__, "workload": "add-chain", "nodes": args.size,
            "workers": workers, "traceLevel": args.trace, "nsPerNodeMedian": round(ns, 1)}))


if __name__ == "__main__":
    main()
