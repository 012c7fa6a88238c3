#!/usr/bin/env bash
# ActorFlowMPI against raw Open MPI on this machine, in one sitting: the one-way latency of a 4-byte tensor (a
# float32 scalar), the bandwidth of a 64 MiB tensor, and the tiled matmul over 2 ranks against one process.
# Needs the release build of actorflow-mpi (swift build -c release --product actorflow-mpi) and mpicc.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/actorflow-mpi
[ -x "$bin" ] || swift build -c release --product actorflow-mpi
raw=$(mktemp -d)/raw_pingpong
mpicc -O2 -o "$raw" Benchmarks/mpi/raw_pingpong.c
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
run() { mpirun "${root[@]}" -np 2 --bind-to core "$@"; }
run "$raw" --bytes 4 --iterations 20000
run "$bin" pingpong --bytes 4 --iterations 20000
run "$raw" --bytes 67108864 --iterations 20
run "$bin" pingpong --bytes 67108864 --iterations 20
for size in 512 1024; do run "$bin" matmul --size "$size" --steps 20; done
