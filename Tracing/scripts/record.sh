#!/usr/bin/env bash
# Records an LTTng trace of the `actorflow` user-space events around one command, then prints the trace directory.
#
#   Tracing/scripts/record.sh [-o DIR] [-n SESSION] [--perf] [--] COMMAND [ARG...]
#
#   -o, --output DIR    where the trace goes (default: ./actorflow-trace-DATE-TIME); must not exist or be empty
#   -n, --name SESSION  the lttng session name (default: actorflow-DATE-TIME-PID)
#   --perf              also record perf:thread:cycles and perf:thread:instructions, if perf_event_open works here
#
# Uses the running session daemon (root's in /var/run/lttng, or yours in $LTTNG_HOME/.lttng, default ~/.lttng); if
# none runs, starts a private one (lttng-sessiond --daemonize --no-kernel) and stops it afterwards, and only that
# one. The channel blocks instead of discarding when its buffers are full (LTTNG_UST_ALLOW_BLOCKING=1 is set for
# the command), so no event is lost. Exits with the command's status; the trace directory is the last line printed
# on stdout, everything else from this script goes to stderr. Read it with `babeltrace2 DIR`.
set -euo pipefail

say() { echo "record.sh: $*" >&2; }
usage() { sed -n '4,9s/^# \{0,1\}//p' "$0"; }

output=""
session=""
perf=0
while [ $# -gt 0 ]; do
    case "$1" in
        -o | --output) [ $# -ge 2 ] || { usage >&2; exit 2; }; output=$2; shift 2 ;;
        -n | --name) [ $# -ge 2 ] || { usage >&2; exit 2; }; session=$2; shift 2 ;;
        --perf) perf=1; shift ;;
        -h | --help) usage; exit 0 ;;
        --) shift; break ;;
        -*) say "unknown option '$1'"; usage >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -eq 0 ]; then
    say "no command to record"
    usage >&2
    exit 2
fi

for tool in lttng lttng-sessiond; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        say "'$tool' not found: run scripts/setup.sh (or make test), which installs lttng-tools"
        exit 127
    fi
done

stamp=$(date +%Y%m%d-%H%M%S)
session=${session:-actorflow-$stamp-$$}
output=$(realpath -m -- "${output:-actorflow-trace-$stamp}")
if [ -e "$output" ] && [ -n "$(ls -A -- "$output")" ]; then
    say "output directory '$output' exists and is not empty"
    exit 2
fi

# --no-sessiond everywhere: the lttng client would otherwise spawn a daemon nobody stops.
lttng_() { lttng --no-sessiond "$@" >/dev/null; }

if [ "$(id -u)" -eq 0 ]; then
    rundir=/var/run/lttng
else
    rundir=${LTTNG_HOME:-$HOME}/.lttng
fi

started_pid=""
session_created=0
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$session_created" -eq 1 ]; then
        lttng_ stop "$session" 2>/dev/null || true
        lttng_ destroy "$session" || say "could not destroy session '$session'"
    fi
    if [ -n "$started_pid" ]; then
        kill -TERM "$started_pid" 2>/dev/null || true
        # Not our child (it daemonized), so poll; it flushes and exits within a second or two.
        for _ in $(seq 100); do
            kill -0 "$started_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$started_pid" 2>/dev/null; then
            say "lttng-sessiond $started_pid did not stop; killing it"
            kill -KILL "$started_pid" 2>/dev/null || true
        fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if lttng --no-sessiond list >/dev/null 2>&1; then
    say "using the running session daemon ($rundir)"
else
    say "no session daemon running: starting a private one ($rundir)"
    lttng-sessiond --daemonize --no-kernel
    # --daemonize returns once the daemon accepts commands and has written its pid file.
    started_pid=$(cat "$rundir/lttng-sessiond.pid")
fi

lttng_ create "$session" --output="$output"
session_created=1
lttng_ enable-channel --userspace --session="$session" --blocking-timeout=inf actorflow
lttng_ enable-event --userspace --session="$session" --channel=actorflow 'actorflow:*'
lttng_ add-context --userspace --session="$session" --channel=actorflow --type=vtid --type=vpid --type=procname

if [ "$perf" -eq 1 ]; then
    # On a machine without a PMU (most VMs), an app with a perf:thread context records nothing at all, silently:
    # add the counters only when the kernel opens one for us.
    if /usr/bin/python3 "$(dirname -- "$0")/perf_available.py" 2>/dev/null; then
        lttng_ add-context --userspace --session="$session" --channel=actorflow \
            --type=perf:thread:cycles --type=perf:thread:instructions
        say "recording perf:thread:cycles and perf:thread:instructions"
    else
        say "perf_event_open(PERF_COUNT_HW_CPU_CYCLES) fails here (no PMU?): recording without perf counters"
    fi
fi

lttng_ start "$session"
say "recording session '$session' into $output"

status=0
LTTNG_UST_ALLOW_BLOCKING=1 "$@" || status=$?

lttng_ stop "$session"
lttng_ destroy "$session"
session_created=0
say "command exited with status $status; trace: $output"
echo "$output"
exit "$status"
