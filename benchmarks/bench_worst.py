"""The slowest slider combinations of every training page, uncached: script time of one page run.

Each case opens one page through AppTest with a link's settings, after clearing every cache, and
times the script run (training included, in-process: ``EBLAB_WORKERS=0``). The process has opened
the home page once before, untimed, as a running server has imported everything. ``--root`` runs the same
cases against another checkout (e.g. a worktree of an older commit), so before/after figures come
from one machine in one sitting: ``python benchmarks/bench_worst.py --root ../old``.
Target (issue "live at class scale"): every case ≤ 1.5 s on one user; the critical page's default view ≤ 1.5 s
and any of its settings ≤ 3 s (issue "How big can a batch get?").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

AFTER = "_after"
"""A case's key naming a page opened (untimed, at its defaults, or ``"page?key=value"``) after the caches are
cleared: what the start-up warm-up has computed on a running server before anyone opens a page."""


def _after(value: str) -> tuple[str, dict[str, str]]:
    """``AFTER``'s page and query: ``"critical_batch?data=digits"`` → ``("critical_batch", {"data": "digits"})``."""
    page, _, query = value.partition("?")
    return page, dict(part.split("=", 1) for part in query.split("&") if part)

CASES: list[tuple[str, str, dict[str, str]]] = [
    ("trade-offs 1-256, 15 epochs, 8 seeds", "batch_tradeoffs", {"bmin": "1", "bmax": "256", "epochs": "15",
                                                                 "seeds": "8"}),
    ("  same, critical defaults cached (warm-up)", "batch_tradeoffs", {"bmin": "1", "bmax": "256", "epochs": "15",
                                                                     "seeds": "8", AFTER: "critical_batch"}),
    ("trade-offs 1-3, 15 epochs, lr 1", "batch_tradeoffs", {"bmin": "1", "bmax": "3", "epochs": "15", "lr": "1"}),
    ("trade-offs 1-256, scale + warm-up", "batch_tradeoffs", {"bmin": "1", "bmax": "256", "epochs": "15",
                                                              "scale": "true", "warmup": "true", "lr": "0.3"}),
    ("exam batch 1, 50 sittings", "exam_analogy", {"batch": "1", "epochs": "50", "seed": "7"}),
    ("exam batch 2, 50 sittings", "exam_analogy", {"batch": "2", "epochs": "50", "seed": "3"}),
    ("BatchNorm N 2000, B 50, 15 ep, 8 seeds, Adam", "batchnorm_last_batch",
     {"n": "2000", "batch": "50", "epochs": "15", "seeds": "8", "opt": "adam", "lr": "0.03"}),
    ("BatchNorm N 1999, B 50, 15 ep, 8 seeds, group", "batchnorm_last_batch",
     {"n": "1999", "batch": "50", "epochs": "15", "seeds": "8", "norm": "group", "opt": "sgd_momentum"}),
    # A last batch of 10: every variant runs (keep, drop_last, a safer batch of 49, the other norm).
    ("BatchNorm N 1960, B 50, 15 ep, 8 seeds, Adam", "batchnorm_last_batch",
     {"n": "1960", "batch": "50", "epochs": "15", "seeds": "8", "opt": "adam", "lr": "0.03"}),
    ("BatchNorm N 1960, B 50, 15 ep, 8 seeds, group", "batchnorm_last_batch",
     {"n": "1960", "batch": "50", "epochs": "15", "seeds": "8", "norm": "group", "opt": "sgd_momentum"}),
    # The widest batches: GroupNorm's kernel costs most per row there, and every probe is at batch 600.
    ("BatchNorm N 2000, B 600, 15 ep, 8 seeds, group, Adam", "batchnorm_last_batch",
     {"n": "2000", "batch": "600", "epochs": "15", "seeds": "8", "norm": "group", "opt": "adam", "lr": "0.03"}),
    ("epochs 30 points, log 2000 @ 10, 20 ep", "epochs_early_stopping",
     {"points": "30", "log_n": "2000", "log_batch": "10", "log_epochs": "20", "seed": "5"}),
    ("critical batch, default view", "critical_batch", {}),
    ("critical batch, seed 3", "critical_batch", {"seed": "3"}),
    # The real digits (issue 29): the made-up data's default runs cached (the warm-up's first page).
    ("critical batch, real digits, seed 7", "critical_batch", {"data": "digits", "seed": "7",
                                                               AFTER: "critical_batch"}),
    ("trade-offs 1-256 on digits, 15 epochs, 8 seeds", "batch_tradeoffs",
     {"bmin": "1", "bmax": "256", "epochs": "15", "seeds": "8", "data": "digits",
      AFTER: "critical_batch?data=digits"}),
    ("BatchNorm on digits, N 1437, B 50, 15 ep, 8 seeds, group, Adam", "batchnorm_last_batch",
     {"data": "digits", "digits_n": "1437", "batch": "50", "epochs": "15", "seeds": "8", "norm": "group",
      "opt": "adam", "lr": "0.03"}),
    ("BatchNorm on digits, N 1410, B 50, 15 ep, 8 seeds, Adam", "batchnorm_last_batch",
     {"data": "digits", "digits_n": "1410", "batch": "50", "epochs": "15", "seeds": "8", "opt": "adam",
      "lr": "0.03"}),
    ("exam on digits, batch 1, 50 sittings", "exam_analogy", {"batch": "1", "epochs": "50", "seed": "9",
                                                             "data": "digits"}),
    ("epochs: early stopping on digits, seed 9", "epochs_early_stopping", {"data": "digits", "seed": "9",
                                                                           "points": "30"}),
    ("digits: batch 8, 25 epochs, update 500 at 4", "real_digits", {"batch": "8", "epochs": "25", "look_batch": "4",
                                                                      "update": "500", "seed": "3"}),
]


def run_cases(root: Path, names: list[str] | None) -> dict[str, list[float]]:
    """Time every case in this process against the app at ``root`` (its caches cleared before each):
    ``[wall s, CPU s]`` per case (CPU time is the steadier figure on a shared machine)."""
    os.environ["EBLAB_WARMUP"] = "0"
    os.environ["EBLAB_WORKERS"] = "0"
    sys.path.insert(0, str(root))
    os.chdir(root)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.nav import find

    # A server has imported everything before anyone opens a page: open the home page once, untimed,
    # so the first case does not pay for importing torch, pandas and the app.
    AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=300).run()
    # ... and its training process has paid torch's first-use costs (``ebcore.startup``, where it exists).
    try:
        from ebcore import startup
    except ImportError:
        pass
    else:
        startup.warm()
    out = {}
    for name, page, query in CASES:
        if names and name not in names:
            continue
        spec = find(page)
        if spec is None:
            continue
        st.cache_data.clear()
        query = dict(query)
        before = query.pop(AFTER, None)
        if before is not None:
            before_page, before_query = _after(before)
            if find(before_page) is None:
                continue
            first = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=300)
            for key, value in before_query.items():
                first.query_params[key] = value
            first.switch_page(find(before_page).file)
            first.run()
        at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=300)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(spec.file)
        start, cpu = time.perf_counter(), time.process_time()
        at.run()
        out[name] = [time.perf_counter() - start, time.process_time() - cpu]
        if at.exception:
            out[name] = [float("nan"), float("nan")]
    return out


WORKER_WARM_S = 4.0
"""Seconds a fresh server is left alone after its first page, so its training worker has started and
paid torch's first-use costs (``ui.jobs:warm``) before a case is timed."""


def run_cases_live(root: Path, names: list[str] | None) -> dict[str, list[float]]:
    """Time every case on a fresh server of the checkout at ``root``: ``[wall s, server CPU s]`` per case."""
    import asyncio

    sys.path.insert(0, str(HERE))
    from devtools import live, load
    from devtools.wsclient import Session

    async def one(url: str, pid: int, page: str, query: dict[str, str]) -> list[float]:
        session = await Session.connect(url)
        await session.open("")
        await asyncio.sleep(WORKER_WARM_S)
        before = query.pop(AFTER, None)
        if before is not None:
            await session.open(*_after(before))
        await session.close()
        session = await Session.connect(url)
        cpu = load.server_stats(pid)["cpu"]
        run = await session.open(page, query)
        used = load.server_stats(pid)["cpu"] - cpu
        await session.close()
        return [float("nan"), float("nan")] if run.errors else [run.seconds, used]

    out = {}
    for name, page, query in CASES:
        if names and name not in names:
            continue
        with live.serve(root=root, env={"EBLAB_WARMUP": "0"}) as (url, proc):
            out[name] = asyncio.run(one(url, proc.pid, page, dict(query)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="also time another checkout, side by side")
    parser.add_argument("--live", action="store_true", help="time each case on a fresh real server instead")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_cases(args.child, None)))
        return

    def measure(root: Path) -> dict[str, list[float]]:
        if args.live:
            return run_cases_live(root, None)
        done = subprocess.run([sys.executable, __file__, "--child", str(root)], capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    after = measure(HERE)
    before = measure(args.root.resolve()) if args.root else {}
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    nan = [float("nan"), float("nan")]
    print(f"{'case':<48}{'before wall':>12}{'cpu':>7}{'after wall':>12}{'cpu':>7}{'cpu ratio':>10}")
    for name, _, _ in CASES:
        (bw, bc), (aw, ac) = before.get(name, nan), after.get(name, nan)
        ratio = ac / bc if bc == bc and bc else float("nan")
        print(f"{name:<48}{bw:>12.2f}{bc:>7.2f}{aw:>12.2f}{ac:>7.2f}{ratio:>10.2f}")
    worst = max(after.items(), key=lambda kv: kv[1][0])
    print(f"worst after: {worst[1][0]:.2f} s wall ({worst[0]}); target <= 1.5 s")


if __name__ == "__main__":
    main()
