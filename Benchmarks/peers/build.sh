#!/usr/bin/env bash
# Builds the C++ peers of `actorflow metg --compare` (Task Bench) and `actorflow intraop --compare` into a cache
# directory, rebuilding a program only when its sources (or this script) changed. Prints the directory holding the
# programs as its last line.
#   Benchmarks/peers/build.sh [OUTPUT_DIR]      (default: .build/peers next to Benchmarks/)
# Needs g++ (with OpenMP) and oneTBB's headers and library: Debian's g++ and libtbb-dev, which scripts/setup.sh
# installs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../.build/peers}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cxx="${CXX:-g++}"
flags=(-O2 -std=c++17 -Wall -Wextra)

build() { # name, extra flags...
    local name="$1"; shift
    local stamp="$out/$name.sha256"
    local sum
    sum="$(cat "$here/$name.cpp" "$here/taskbench_common.h" "$here/build.sh" | sha256sum | cut -d' ' -f1) $cxx $*"
    if [ -x "$out/$name" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
        return 0
    fi
    echo "peers: building $name" >&2
    "$cxx" "${flags[@]}" "$here/$name.cpp" -o "$out/$name.tmp" "$@"
    mv "$out/$name.tmp" "$out/$name"
    echo "$sum" > "$stamp"
}

build tbb_flowgraph -ltbb
build openmp_tasks -fopenmp
build openmp_intraop -fopenmp -O3 -march=native
echo "$out"
