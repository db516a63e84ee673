"""The slowest slider combinations of every training page, uncached: script time of one page run.

Each case opens one page through AppTest with a link's settings, after clearing every cache, and
times the script run (training included, in-process: ``EBLAB_WORKERS=0``). ``--root`` runs the same
cases against another checkout (e.g. a worktree of an older commit), so before/after figures come
from one machine in one sitting: ``python benchmarks/bench_worst.py --root ../old``.
Target (issue "live at class scale"): every case ≤ 1.5 s on one user.
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

CASES: list[tuple[str, str, dict[str, str]]] = [
    ("trade-offs 1-256, 15 epochs, 8 seeds", "batch_tradeoffs", {"bmin": "1", "bmax": "256", "epochs": "15",
                                                                 "seeds": "8"}),
    ("trade-offs 1-3, 15 epochs, lr 1", "batch_tradeoffs", {"bmin": "1", "bmax": "3", "epochs": "15", "lr": "1"}),
    ("trade-offs 1-256, scale + warm-up", "batch_tradeoffs", {"bmin": "1", "bmax": "256", "epochs": "15",
                                                              "scale": "true", "warmup": "true", "lr": "0.3"}),
    ("exam batch 1, 50 sittings", "exam_analogy", {"batch": "1", "epochs": "50", "seed": "7"}),
    ("exam batch 2, 50 sittings", "exam_analogy", {"batch": "2", "epochs": "50", "seed": "3"}),
    ("BatchNorm N 2000, B 50, 15 ep, 8 seeds, Adam", "batchnorm_last_batch",
     {"n": "2000", "batch": "50", "epochs": "15", "seeds": "8", "opt": "adam", "lr": "0.03"}),
    ("BatchNorm N 1999, B 50, 15 ep, 8 seeds, group", "batchnorm_last_batch",
     {"n": "1999", "batch": "50", "epochs": "15", "seeds": "8", "norm": "group", "opt": "sgd_momentum"}),
    ("epochs 30 points, log 2000 @ 10, 20 ep", "epochs_early_stopping",
     {"points": "30", "log_n": "2000", "log_batch": "10", "log_epochs": "20", "seed": "5"}),
    ("critical batch, seed 3", "critical_batch", {"seed": "3"}),
]


def run_cases(root: Path, names: list[str] | None) -> dict[str, float]:
    """Time every case in this process against the app at ``root`` (its caches cleared before each)."""
    os.environ["EBLAB_WARMUP"] = "0"
    os.environ["EBLAB_WORKERS"] = "0"
    sys.path.insert(0, str(root))
    os.chdir(root)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.nav import find

    out = {}
    for name, page, query in CASES:
        if names and name not in names:
            continue
        spec = find(page)
        if spec is None:
            continue
        st.cache_data.clear()
        at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=300)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(spec.file)
        start = time.perf_counter()
        at.run()
        out[name] = time.perf_counter() - start
        if at.exception:
            out[name] = float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="also time another checkout, side by side")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_cases(args.child, None)))
        return

    def measure(root: Path) -> dict[str, float]:
        done = subprocess.run([sys.executable, __file__, "--child", str(root)], capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    after = measure(HERE)
    before = measure(args.root.resolve()) if args.root else {}
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"{'case':<48}{'before s':>10}{'after s':>10}{'ratio':>8}")
    for name, _, _ in CASES:
        b, a = before.get(name, float("nan")), after.get(name, float("nan"))
        print(f"{name:<48}{b:>10.2f}{a:>10.2f}{a / b if b == b and b else float('nan'):>8.2f}")
    print(f"worst after: {max(after.values()):.2f} s; target <= 1.5 s")


if __name__ == "__main__":
    main()
