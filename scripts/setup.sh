#!/usr/bin/env bash
# Installs the Debian packages ActorFlow builds and tests with, only those that are missing.
# Idempotent: a second run installs nothing and takes well under a second.
set -euo pipefail

packages=(
    pkg-config
    libnuma-dev      # NUMA topology and node-local memory (CNUMA)
    numactl          # `numactl --hardware`, used by the two-node topology test
    liblttng-ust-dev # the actorflow tracepoint provider (CLTTngUST)
    lttng-tools      # lttng / lttng-sessiond, for recording traces and the round-trip test
    babeltrace2      # reads recorded CTF traces back
    python3-bt2      # babeltrace2's Python bindings, used by Tracing/scripts
    g++              # the C++ Task Bench peers of `actorflow metg --compare` (Benchmarks/peers, with OpenMP)
    libtbb-dev       # oneTBB's flow graph, for the tbb peer
    libopenmpi-dev   # Open MPI's headers and libmpi, for ActorFlowMPI (CMPI)
    openmpi-bin      # mpirun, which starts the ranks of an ActorFlowMPI program and its tests
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
