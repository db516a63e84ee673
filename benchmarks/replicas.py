"""One server against N replicas behind HAProxy: the same class on each, side by side.

Each side starts fresh (``devtools.replicas.serving``: one ``streamlit run``, or N replicas and
HAProxy on loopback), is opened once as the teacher does before class (every replica its own
warm-up), and is left until its processes are idle; then the class of ``devtools.load.classroom``
joins: N students (60) within 20 s, every page in their language, the teacher's moves with tries of
their own, a CSV downloaded on each page, reading 5-15 s between moves.

It prints, per page: changes (and page opens, downloads), their p95 seconds, errors and cache
misses (runs that trained: each replica has its own caches) on each side and the ratio of the
p95s; the summed RSS and CPU of everything serving (replicas and HAProxy); how the students spread
over the replicas; and the target: on the replicas, every page's change p95 within 2 s and no errors.

Run: ``python benchmarks/replicas.py [--sessions 60] [--replicas 2] [--think 5,15] [--join 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools import load, replicas  # noqa: E402

TARGET_P95 = 2.0  # seconds, a change on the replicas


@dataclass
class Side:
    """One side's class: its samples, wall seconds, figures at start and end (``load.total_stats``)."""

    name: str
    samples: list[load.Sample]
    took: float
    start: dict[str, float]
    end: dict[str, float]
    settled: float  # seconds the warm-up took to go idle before the class came


def settle(pids: list[int], quiet: float = 0.3, every: float = 3.0, limit: float = 180.0) -> float:
    """Wait until the processes use less than ``quiet`` CPU-s over ``every`` s (the warm-up is done),
    at most ``limit`` s; the seconds waited."""
    began = time.perf_counter()
    before = load.total_stats(pids)["cpu"]
    while time.perf_counter() - began < limit:
        time.sleep(every)
        now = load.total_stats(pids)["cpu"]
        if now - before < quiet:
            break
        before = now
    return time.perf_counter() - began


def run_side(n: int, args: argparse.Namespace) -> Side:
    """The class on ``n`` replicas (1: one server, no proxy)."""
    with replicas.serving(n, warm=True) as (url, procs):
        pids = [p.pid for p in procs]
        settled = settle(pids)
        start = load.total_stats(pids)
        began = time.perf_counter()
        samples = asyncio.run(load.classroom(url, args.sessions, args.seed, think=args.think, start=args.join,
                                             downloads=True))
        took = time.perf_counter() - began
        end = load.total_stats(pids)
    name = "1 server" if n == 1 else f"{n} replicas"
    return Side(name, samples, took, start, end, settled)


def table(one: Side, many: Side) -> bool:
    """Print both sides per page and kind; True if ``many`` meets the target."""
    rows = {(r["page"], r["kind"]): r for r in load.summary(one.samples)}
    other = {(r["page"], r["kind"]): r for r in load.summary(many.samples)}
    print(f"{'page':<24}{'kind':<10}" + "".join(f"{h:>{w}}" for h, w in (
        (f"{one.name}: n", 14), ("p95 s", 8), ("err", 5), ("miss", 6), (f"{many.name}: n", 16), ("p95 s", 8),
        ("err", 5), ("miss", 6), ("p95 ratio", 11))))
    ok = True
    for key in dict.fromkeys([*rows, *other]):
        a, b = rows.get(key, {}), other.get(key, {})
        pa, pb = a.get("p95", math.nan), b.get("p95", math.nan)
        over = key[1] == "change" and not pb <= TARGET_P95
        ok = ok and not over and not b.get("errors", 0)
        print(f"{key[0]:<24}{key[1]:<10}{a.get('n', 0):>14}{pa:>8.2f}{a.get('errors', 0):>5}{a.get('misses', 0):>6}"
              f"{b.get('n', 0):>16}{pb:>8.2f}{b.get('errors', 0):>5}{b.get('misses', 0):>6}"
              f"{pb / pa if pa else math.nan:>11.2f}" + ("  > target" if over else ""))
    return ok and not any(s.errors for s in many.samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60, help="students in each class")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--think", type=lambda v: tuple(map(float, v.split(","))), default=(5.0, 15.0),
                        help="seconds a student reads between moves, LOW,HIGH (uniform)")
    parser.add_argument("--join", type=float, default=20.0, help="students join within this many seconds")
    args = parser.parse_args()
    one, many = run_side(1, args), run_side(args.replicas, args)
    print(f"{args.sessions} students joining within {args.join:.0f} s, reading {args.think[0]:g}-{args.think[1]:g} s "
          f"between moves, a CSV on each page; machine load average {os.getloadavg()[1]:.1f} (5 min; "
          f"{os.cpu_count()} cores)")
    ok = table(one, many)
    for side in (one, many):
        cpu = side.end["cpu"] - side.start["cpu"]
        errors = Counter(f"{s.page or 'home'} {s.kind}: {e[:120]}" for s in side.samples for e in s.errors)
        print(f"{side.name}: {len(side.samples)} requests in {side.took:.0f} s, {sum(errors.values())} errors; "
              f"RSS {side.start['rss']:.0f} MB at start, {side.end['rss']:.0f} MB at the end (summed), peaks summed "
              f"{side.end['peak']:.0f} MB; CPU {cpu:.0f} s ({cpu / side.took:.1f} cores busy); warm-up idle after "
              f"{side.settled:.0f} s")
        for text, count in errors.most_common(5):
            print(f"  {count:>4} × {text}")
    spread = Counter(next(s.replica for s in many.samples if s.student == i and s.replica)
                     for i in range(args.sessions) if any(s.student == i and s.replica for s in many.samples))
    print(f"students per replica: {dict(sorted(spread.items()))}; RSS ratio {many.end['rss'] / one.end['rss']:.2f}")
    print(f"target ({many.name}: every page's change p95 <= {TARGET_P95:g} s, 0 errors): {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
