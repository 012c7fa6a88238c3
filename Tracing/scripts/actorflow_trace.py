"""Reads the actorflow events of a CTF trace (as written by record.sh) through babeltrace2's Python bindings.

Shared by ctf_to_chrome.py and summarize.py. Needs Debian's python3-bt2, which loads only into Debian's own
interpreter: run the scripts as `/usr/bin/python3 SCRIPT` (their shebang), not with another python3 on PATH.
"""

import sys
from dataclasses import dataclass, field

try:
    import bt2
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit(
        "babeltrace2's Python bindings (bt2) are missing: run scripts/setup.sh (it installs python3-bt2), and run "
        "this script with Debian's /usr/bin/python3, which is the only interpreter they load into"
    )

PROVIDER = "actorflow:"

# The labels of step_end's `status` enumeration (Tracing/README.md).
STEP_STATUS = {0: "ok", 1: "failed", 2: "cancelled", 3: "deadline_exceeded"}


@dataclass
class Event:
    """One actorflow event: its name without the provider prefix, when and where it fired, and its payload."""

    name: str
    ns: int  # nanoseconds since the Unix epoch (LTTng's CLOCK_MONOTONIC clock, shifted by the trace's offset)
    vpid: int
    vtid: int
    procname: str
    fields: dict = field(default_factory=dict)


@dataclass
class Trace:
    events: list
    discarded: int  # events the tracer reported as lost (non-blocking channels, full buffers)


def _plain(value):
    """A bt2 field as a plain Python value: ints (enumerations included) and strings."""
    if isinstance(value, bt2._StringFieldConst):
        return str(value)
    if isinstance(value, (bt2._IntegerFieldConst, bt2._EnumerationFieldConst)):
        return int(value)
    return value


def read(paths):
    """Every actorflow event under `paths` (trace directories, searched recursively), in timestamp order."""
    try:
        return _read(paths)
    except (bt2._Error, RuntimeError) as error:
        # One line naming the trace, not a traceback: the trace is malformed or not a CTF trace.
        reason = str(error).strip().splitlines()
        raise SystemExit(f"Error: cannot read the trace in {', '.join(str(p) for p in paths)}: "
                         f"{reason[-1] if reason else type(error).__name__}")


def _read(paths):
    events = []
    discarded = 0
    for message in bt2.TraceCollectionMessageIterator([str(path) for path in paths]):
        if isinstance(message, bt2._DiscardedEventsMessageConst):
            discarded += message.count or 0
            continue
        if not isinstance(message, bt2._EventMessageConst):
            continue
        event = message.event
        if not event.name.startswith(PROVIDER):
            continue
        context = event.common_context_field or {}
        events.append(
            Event(
                name=event.name[len(PROVIDER):],
                ns=message.default_clock_snapshot.ns_from_origin,
                vpid=int(context["vpid"]) if "vpid" in context else -1,
                vtid=int(context["vtid"]) if "vtid" in context else -1,
                procname=str(context["procname"]) if "procname" in context else "",
                fields={name: _plain(value) for name, value in event.payload_field.items()},
            )
        )
    return Trace(events=events, discarded=discarded)
