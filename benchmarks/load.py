"""Load test of the live app: concurrent sessions speaking Streamlit's own websocket protocol.

Default (class mode): a fresh ``streamlit run``; N students (30) join within 20 s and go through every
page in their language (en/ko alternate), following the teacher's steps with a few tries of their
own (``devtools.load``), reading 5-15 s between moves (``--think 1,4`` makes it a stress test).
Prints per page p50/p95/max seconds from a change (or a page open) to the run finishing, errors,
cache misses, and the server's memory and CPU.
Then the consistency checks: runs of the same (page, settings) must show the same numbers, in
every session and on a second fresh server where one lone session computes them in turn; and a
slider moved mid-training must leave nothing partial in the cache. Targets: no errors, p95 ≤ 3 s.

``--replicas N`` runs the class through HAProxy on N fresh replicas (``devtools.replicas``; server
figures summed over them and HAProxy); ``--url URL`` sends it to a server or proxy already running
(no server figures); ``--root DIR`` to one fresh server of another checkout (before/after a change,
the same client). ``--downloads``: each student downloads a CSV on each page, with one click (a file
gone before its GET is an error). ``benchmarks/replicas.py`` puts 1 and 2 replicas side by side.
``--draggers N``: N more students drag the BatchNorm page's N to a new value every 0.3 s without
waiting for the page (epochs 15, seeds 8, Adam; ``devtools.load.dragger``) from the class's start to
its end; their own requests are not in the table. ``--alone-too`` runs the same class alone first (on
a fresh server of its own) and prints each page's change p95/max alone and with the draggers side by side.

Memory mode (``--memory``): a warm-up, then 1,000 random interactions (random pages, widget values
across their full ranges, 4 sessions at once, each replaced after 50 requests); prints the RSS
growth after the warm-up against the bound.

Run: ``python benchmarks/load.py [--sessions 30] [--links] [--think 5,15] [--downloads]
[--draggers N [--alone-too]] [--replicas N | --url URL | --root DIR] [--memory [--interactions 1000]]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools import live, load, replicas  # noqa: E402

TARGET_P95 = 3.0  # seconds
MEMORY_BOUND = 300.0  # MB of RSS growth over 1,000 interactions after the warm-up


def print_table(samples: list[load.Sample]) -> None:
    print(f"{'page':<24}{'kind':<8}{'n':>5}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'errors':>8}{'misses':>8}"
          f"{'hit p95':>9}{'miss p95':>9}")
    for r in load.summary(samples):
        flag = "  > target" if r["kind"] == "change" and r["p95"] > TARGET_P95 else ""
        print(f"{r['page']:<24}{r['kind']:<8}{r['n']:>5}{r['p50']:>8.2f}{r['p95']:>8.2f}{r['max']:>8.2f}"
              f"{r['errors']:>8}{r['misses']:>8}{r['hit_p95']:>9.2f}{r['miss_p95']:>9.2f}{flag}")
    errors = Counter(f"{s.page or 'home'}: {e[:150]}" for s in samples for e in s.errors)
    for text, count in errors.most_common(8):
        print(f"  {count:>4} × {text}")


@contextlib.contextmanager
def target(args: argparse.Namespace):
    """Where the class goes: ``--url``, else ``--replicas`` fresh servers (1: no proxy); (URL, pids to measure)."""
    if args.url:
        yield args.url.rstrip("/"), []
    elif args.root:  # another checkout's server (e.g. the code before a change), driven by this client
        with live.serve(root=Path(args.root).resolve()) as (url, proc):
            yield url, [proc.pid]
    else:
        with replicas.serving(args.replicas, warm=False) as (url, procs):
            yield url, [p.pid for p in procs]


def stats(pids: list[int]) -> dict[str, float]:
    """The served processes' figures summed (nan without any: ``--url``)."""
    return load.total_stats(pids) if pids else {"rss": math.nan, "peak": math.nan, "cpu": math.nan}


@dataclass
class ClassRun:
    """One class on one fresh server (or ``--url``): its samples, the draggers beside it, the figures."""

    draggers: int
    samples: list[load.Sample]
    drags: list[load.Drag]
    took: float  # seconds
    start: dict[str, float]  # the server's figures before and after the class (``stats``)
    end: dict[str, float]
    check: load.Interruption
    load: list[float]  # the machine's 1-min load average every 5 s during the class (2 cores)


def run_class(args: argparse.Namespace, draggers: int) -> ClassRun:
    """The class (``--sessions``, ``--seed``, …) with ``draggers`` students dragging the BatchNorm page's N."""
    with target(args) as (url, pids):
        start = stats(pids)
        began = time.perf_counter()
        drags: list[load.Drag] = []
        machine: list[float] = []
        samples = asyncio.run(watching(machine, load.classroom(
            url, args.sessions, args.seed, links=args.links, think=args.think, start=args.join,
            downloads=args.downloads, draggers=draggers, drags=drags)))
        took = time.perf_counter() - began
        end = stats(pids)
        check = asyncio.run(load.interruption(url))
    return ClassRun(draggers, samples, drags, took, start, end, check, machine)


async def watching(machine: list[float], work):
    """Await ``work``, appending the machine's 1-min load average to ``machine`` every 5 s meanwhile:
    the other work on a shared machine, which the figures include."""
    task = asyncio.ensure_future(work)
    while not task.done():
        machine.append(os.getloadavg()[0])
        await asyncio.wait([task], timeout=5.0)
    return task.result()


def report_class(args: argparse.Namespace, run: ClassRun) -> None:
    where = args.url or (f"{args.replicas} replicas behind HAProxy" if args.replicas > 1
                         else f"one server of {args.root}" if args.root else "one server")
    cpu = run.end["cpu"] - run.start["cpu"]
    print(f"\n{where}: {args.sessions} sessions (seed {args.seed}) joining within {args.join:.0f} s, "
          f"thinking {args.think[0]:g}-{args.think[1]:g} s "
          f"between moves, {'links, one tab per page' if args.links else 'sidebar navigation'}, "
          f"draggers: {run.draggers}; {len(run.samples)} requests in {run.took:.0f} s; server CPU "
          f"{cpu:.0f} s ({cpu / run.took:.1f} cores busy); machine load average (1 min, 2 cores) during "
          f"the class {statistics.mean(run.load):.1f} mean, {min(run.load):.1f}-{max(run.load):.1f}")
    print_table(run.samples)
    print(f"server memory: {run.start['rss']:.0f} MB at start, {run.end['rss']:.0f} MB at the end, "
          f"peak {run.end['peak']:.0f} MB (VmHWM)")
    for d in run.drags:
        print(f"dragger {d.student} on {d.link}: {load.DRAG_KEY} to a new value every {load.DRAG_EVERY:g} s without "
              f"waiting, {d.changes} changes in {d.seconds:.0f} s; the last answered in {d.last:.2f} s; "
              f"errors {len(d.errors)}" + (f" {d.errors[:2]}" if d.errors else "") + " (not in the table)")


def side_by_side(alone: ClassRun, dragged: ClassRun) -> None:
    """Each page's change p95 and max (s) of the class alone and with the draggers, the same class."""
    print(f"\nthe class's changes alone and with {dragged.draggers} dragging (their own requests not counted):")
    print(f"{'page':<24}{'n':>5}{'p95 alone':>11}{'p95 drag':>10}{'max alone':>11}{'max drag':>10}"
          f"{'errors':>8}")
    rows = {r["page"]: r for r in load.summary(alone.samples) if r["kind"] == "change"}
    for r in load.summary(dragged.samples):
        if r["kind"] == "change" and (a := rows.get(r["page"])):
            print(f"{r['page']:<24}{r['n']:>5}{a['p95']:>11.2f}{r['p95']:>10.2f}{a['max']:>11.2f}{r['max']:>10.2f}"
                  f"{a['errors'] + r['errors']:>8}")


def class_mode(args: argparse.Namespace) -> None:
    runs = []
    for draggers in ([0] if args.draggers and args.alone_too else []) + [args.draggers]:
        runs.append(run_class(args, draggers))
        report_class(args, runs[-1])
    if len(runs) == 2:
        side_by_side(*runs)

    samples, check = [s for run in runs for s in run.samples], runs[-1].check
    seen = load.groups(samples)
    shared = sum(len({s.student for s in samples if s.group == g}) > 1 for g in seen)
    bad = {g: f for g, f in seen.items() if len(f) > 1}
    print(f"\nfingerprints: {len(seen)} (page, settings) groups, {shared} seen by 2+ sessions, {len(bad)} inconsistent"
          + (" (over both classes)" if len(runs) == 2 else ""))
    for group in list(bad)[:5]:
        group_runs = [s.run for s in samples if s.fingerprint and s.group == group]
        other = next(r for r in group_runs if load.app_fingerprint(r) != load.app_fingerprint(group_runs[0]))
        detail = load.differences(group_runs[0], other)
        print(f"  {load.group_link(group)}\n" + "\n".join(f"      {d}" for d in detail[:4]))
    wanted = sorted(seen)[: args.solo] + [(load.INTERRUPT_PAGE, check.settings)]
    with live.serve(root=Path(args.root).resolve() if args.root else live.ROOT) as (url, _):
        reference = asyncio.run(load.solo(url, wanted))
    differ = load.mismatches(seen, reference)
    print(f"solo on a fresh server: {len(wanted) - 1} groups recomputed one at a time, {len(differ)} differ")
    for group in differ[:5]:
        run, ref = next(s.run for s in samples if s.fingerprint and s.group == group), reference[group]
        detail = load.differences(run, ref.run) if ref.run else ref.errors
        print(f"  {load.group_link(group)}\n" + "\n".join(f"      {d}" for d in detail[:4]))
    ok = check.passed(reference[(load.INTERRUPT_PAGE, check.settings)].fingerprint)
    print(f"interruption: stopped at first progress {check.interrupted}, reopened settings trained again "
          f"{check.reopened_missed}, same numbers as an uninterrupted run {ok} -> {'PASS' if ok else 'FAIL'}"
          + (f" {check.errors}" if check.errors else ""))


def memory_mode(args: argparse.Namespace) -> None:
    with live.serve() as (url, proc):
        start = load.server_stats(proc.pid)
        warm = asyncio.run(load.random_walk(url, args.warmup, args.memory_sessions, seed=args.seed + 1))
        after_warmup = load.server_stats(proc.pid)
        trace = []

        def every_100(done: int) -> None:
            if done % 100 == 0 and (not trace or trace[-1][0] != done):  # each worker reports its last
                trace.append((done, load.server_stats(proc.pid)["rss"]))

        began = time.perf_counter()
        samples = asyncio.run(load.random_walk(url, args.interactions, args.memory_sessions, seed=args.seed,
                                               on_progress=every_100))
        took = time.perf_counter() - began
        time.sleep(2)  # let the server drop the last sessions' runs
        end = load.server_stats(proc.pid)
    print(f"memory: {args.warmup} warm-up and {args.interactions} random interactions "
          f"({args.memory_sessions} sessions at once) in {took:.0f} s; machine load average "
          f"{os.getloadavg()[2]:.1f} (15 min; 2 cores)")
    print_table(warm + samples)
    print("RSS MB after n interactions: " + ", ".join(f"{n}: {mb:.0f}" for n, mb in trace))
    growth = end["rss"] - after_warmup["rss"]
    print(f"server memory: {start['rss']:.0f} MB at start, {after_warmup['rss']:.0f} MB after the warm-up, "
          f"{end['rss']:.0f} MB at the end, peak {end['peak']:.0f} MB")
    verdict = "PASS" if growth < MEMORY_BOUND and not math.isnan(growth) else "FAIL"
    print(f"growth over {args.interactions} interactions: {growth:+.0f} MB (bound {MEMORY_BOUND:.0f} MB) -> {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent students (class mode)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--links", action="store_true", help="open each page from a link in a new tab")
    parser.add_argument("--think", type=lambda v: tuple(map(float, v.split(","))), default=(5.0, 15.0),
                        help="seconds a student reads between moves, LOW,HIGH (uniform); 1,4 is a stress test")
    parser.add_argument("--join", type=float, default=20.0, help="students join within this many seconds")
    parser.add_argument("--solo", type=int, default=1000, help="at most this many groups recomputed solo")
    parser.add_argument("--replicas", type=int, default=1, help="class mode on N replicas behind HAProxy")
    parser.add_argument("--url", default="", help="class mode against this running server or proxy")
    parser.add_argument("--root", default="", help="class mode on one fresh server of the checkout at ROOT "
                        "(e.g. a worktree of the code before a change), driven by this checkout's client")
    parser.add_argument("--downloads", action="store_true", help="each student downloads a CSV on each page")
    parser.add_argument("--draggers", type=int, default=0, help="N more students drag the BatchNorm page's N to "
                        "a new value every 0.3 s without waiting (epochs 15, seeds 8, Adam) while the class runs")
    parser.add_argument("--alone-too", action="store_true", help="with --draggers: first the same class alone on "
                        "a fresh server, then with the draggers on another; the change p95/max side by side")
    parser.add_argument("--memory", action="store_true", help="memory mode instead of class mode")
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100, help="random interactions before measuring")
    parser.add_argument("--memory-sessions", type=int, default=4)
    args = parser.parse_args()
    if args.alone_too and args.url:
        parser.error("--alone-too needs a fresh server for each class (the second would find the first's runs cached)")
    (memory_mode if args.memory else class_mode)(args)


if __name__ == "__main__":
    main()
