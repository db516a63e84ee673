"""How long the fast paths' start-up self-check takes (``ebcore.trainer.fast.selfcheck``; target < 0.1 s).

Each repeat starts a fresh Python process that imports torch and the trainer, as a worker does, and
times the first ``check()`` in it (what a training process pays at start, the trainer's first-call
costs included), then a second one; it prints every figure and the medians. Nothing is asserted:
the machine's load moves the figures.

Run: ``python benchmarks/bench_selfcheck.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import time
import torch
from ebcore.trainer.fast import selfcheck
for _ in range(2):
    began = time.perf_counter()
    assert selfcheck.check()
    print(1000 * (time.perf_counter() - began))
"""


def main(repeats: int) -> None:
    first, second = [], []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
        a, b = (float(v) for v in out.stdout.split())
        first.append(a)
        second.append(b)
        print(f"first check in a fresh process {a:6.1f} ms, the next {b:6.1f} ms")
    print(f"median of {repeats}: first {statistics.median(first):.1f} ms, next {statistics.median(second):.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    main(parser.parse_args().repeats)
