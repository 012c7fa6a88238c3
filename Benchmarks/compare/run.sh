#!/usr/bin/env bash
# The scalar-add chain, TensorFlow against ActorFlow, in one sitting (not run in CI).
#
# Installs TensorFlow (CPU) into a throwaway venv (default /tmp/actorflow-tf-venv; set TF_VENV to reuse
# another), builds ActorFlow in release mode, then runs the same graph — SIZE scalar float32 adds fed by a
# placeholder — on both, 1 and 2 workers, untraced and fully traced with the metadata read. Prints one JSON
# line per measurement.
#
#   Benchmarks/compare/run.sh [SIZE] [STEPS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
size="${1:-10000}"
steps="${2:-30}"
venv="${TF_VENV:-/tmp/actorflow-tf-venv}"

if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python3" -c 'import tensorflow' 2>/dev/null || "$venv/bin/pip" install -q tensorflow-cpu

(cd "$root" && swift build -c release --product actorflow >/dev/null)
actorflow="$root/.build/release/actorflow"
json="$(mktemp)"
trap 'rm -f "$json"' EXIT

for trace in none full; do
    TF_CPP_MIN_LOG_LEVEL=3 "$venv/bin/python3" "$here/tf_add_chain.py" \
        --size "$size" --workers 1,2 --steps "$steps" --trace "$trace" 2>/dev/null
    "$actorflow" bench --workloads add-chain --size "$size" --workers 1,2 --policies ws-numa \
        --trace "$trace" --repetitions "$steps" --json "$json" >/dev/null
    python3 - "$json" <<'PY'
import json, sys
for row in json.load(open(sys.argv[1]))["results"]:
    if row["policy"] == "ws-numa":
        print(json.dumps({"system": "actorflow", "workload": row["workload"], "nodes": row["nodes"],
                          "workers": row["workers"], "traceLevel": row["traceLevel"],
                          "nsPerNodeMedian": row["nsPerNodeMedian"]}))
PY
done
