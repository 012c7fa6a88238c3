"""One-thread NumPy/OpenBLAS float32 matMul, the reference for `actorflow intraop --ops matmul` (README, "Intra-op
parallelism"). Run it in a throwaway virtualenv, never in CI:

    python3 -m venv /tmp/np && /tmp/np/bin/pip install numpy
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /tmp/np/bin/python scripts/bench-numpy-matmul.py

Operands of the size and value range `actorflow intraop` uses; N (default 1024) sets the size.
"""
import os
import time

import numpy as np

n = int(os.environ.get("N", "1024"))
a = ((np.arange(n * n, dtype=np.int64) * 2654435761 >> 7) % 2001 / 1000.0 - 1).astype(np.float32).reshape(n, n)
b = a[::-1].copy()
for _ in range(3):
    a @ b
times = []
for _ in range(20):
    start = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - start)
times.sort()
median = times[len(times) // 2]
print(f"numpy {np.__version__} OpenBLAS matmul {n}x{n} float32: median {median * 1e3:.3f} ms, "
      f"{2 * n ** 3 / median / 1e9:.2f} GFLOP/s")
