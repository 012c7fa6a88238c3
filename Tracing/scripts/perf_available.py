#!/usr/bin/python3
"""Exits 0 if this process can open a user-space CPU-cycles counter on itself, as lttng-ust's perf:thread
contexts do, and 1 (with the reason on stderr) otherwise.

Used by record.sh --perf: on a machine without a PMU (most VMs) an application traced with a perf:thread context
records no event at all, so the context must only be added when the counter opens.
"""

import ctypes
import os
import platform
import sys

# perf_event_open(2) syscall numbers.
SYSCALLS = {"x86_64": 298, "aarch64": 241, "ppc64le": 319, "s390x": 331, "riscv64": 241}

PERF_TYPE_HARDWARE = 0
PERF_COUNT_HW_CPU_CYCLES = 0
PERF_ATTR_SIZE_VER0 = 64
# Bits of the flags word that follows sample_type/read_format: disabled (0), exclude_kernel (5), exclude_hv (6).
FLAGS = (1 << 0) | (1 << 5) | (1 << 6)


class PerfEventAttr(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_uint32),
        ("size", ctypes.c_uint32),
        ("config", ctypes.c_uint64),
        ("sample_period", ctypes.c_uint64),
        ("sample_type", ctypes.c_uint64),
        ("read_format", ctypes.c_uint64),
        ("flags", ctypes.c_uint64),
        ("wakeup_events", ctypes.c_uint32),
        ("bp_type", ctypes.c_uint32),
        ("config1", ctypes.c_uint64),
    ]


def main() -> int:
    number = SYSCALLS.get(platform.machine())
    if number is None:
        print(f"perf_available: unknown syscall number on {platform.machine()}", file=sys.stderr)
        return 1
    attr = PerfEventAttr(
        type=PERF_TYPE_HARDWARE, size=PERF_ATTR_SIZE_VER0, config=PERF_COUNT_HW_CPU_CYCLES, flags=FLAGS
    )
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(number, ctypes.byref(attr), 0, -1, -1, 0)
    if fd < 0:
        print(f"perf_available: perf_event_open failed: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        return 1
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
