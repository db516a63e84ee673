"""The critical-batch page's cost, uncached, and what it measures across seeds and targets.

Prints, for the default view (seed 0) and for each other seed (the only setting that trains again:
the target, the learning-rate switch and the epoch budget only re-read cached runs), the runs × steps
of the experiment, the wall and CPU seconds of its ``fit_many`` calls (one per batch size) and of the
noise-scale run, and per seed and target the fitted S_min, E_min, B_crit, the region of each measured
doubling (p/d/m, what the page shades), where doubling stops saving steps (the lesson's question), the
noise scale at the target, how far S_min(1 + B_noise/B) is from the measured steps, and the largest
batch's steps at one learning rate against tuned; per seed, whether the tuned regions run in order
(perfect → diminishing → maximal) at every target.

Usage: python benchmarks/bench_critical_batch.py [seeds]   (default 3: seeds 0, 1, 2)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ebcore.lessons.critical import experiment as cb  # noqa: E402
from ebcore.lessons.critical import (
    scaling,  # noqa: E402
    view,  # noqa: E402
)
from ebcore.lessons.tradeoffs.experiment import machine  # noqa: E402
from ebcore.primitives.calc import loader_length  # noqa: E402
from ui.params import CriticalBatch as P  # noqa: E402


def timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def every_batch(settings: cb.Settings) -> list[cb.Trial]:
    """The whole experiment in one process: ``run_batch`` for every batch size (the page sends each as a job)."""
    return [t for b in cb.BATCHES for t in cb.run_batch(settings, b)]


def main(seeds: int) -> None:
    settings = cb.Settings()
    runs = len(cb.BATCHES) * settings.runs
    print(f"machine: {machine()}")
    print(f"experiment: {runs} runs ({len(cb.BATCHES)} batch sizes × {len(settings.lrs)} learning rates × "
          f"{settings.repeats} repeats), {cb.total_steps(settings):,} optimizer steps; per batch size (runs × steps):")
    for b in cb.BATCHES:
        print(f"  B = {b:5d}: {settings.runs} × {cb.epochs_for(b) * loader_length(cb.N_TRAIN, b, False):4d} "
              f"steps ({cb.epochs_for(b)} epochs)")
    fixed_lr = float(P.LR.default)
    in_order = 0
    for seed in range(seeds):
        trials, wall, cpu = timed(every_batch, cb.Settings(seed=seed))
        noise, n_wall, n_cpu = timed(cb.noise_run, seed)
        label = "default view" if seed == 0 else "another seed (worst slider move)"
        print(f"\nseed {seed} ({label}): experiment {wall:.2f} s wall / {cpu:.2f} s CPU, noise run "
              f"{n_wall:.2f} s / {n_cpu:.2f} s; uncached total {wall + n_wall:.2f} s")
        for target in cb.TARGETS:
            a = view.analyse(trials, target)
            fixed = cb.best_per_batch(trials, target, fixed_lr)
            reached = sum(p.steps is not None for p in a.tuned)
            at = cb.noise_at(noise, target)
            if a.fit is None:
                print(f"  target {target:g}: {reached}/{len(cb.BATCHES)} sizes reached it, no fit")
                continue
            h = a.fit
            regions = "".join(d.region.value[0] for d in a.doublings)
            ordered = regions == "".join(sorted(regions, key="pdm".index))
            in_order += ordered
            err = view.prediction_error(a.tuned, h.s_min, at.exact.b_simple)
            big, big_fixed = a.tuned[-1].steps, fixed[-1].steps
            fixed_text = ("not reached" if big_fixed is None else f"{big_fixed:,.0f}" if big is None else
                          f"{big_fixed:,.0f} ({big_fixed / big:.1f}×)")
            print(f"  target {target:g}: reached {reached}/{len(cb.BATCHES)}, S_min {h.s_min:6.1f}, "
                  f"E_min {h.e_min:7,.0f}, B_crit {h.b_crit:6.1f}, doublings {regions:7s} (p/d/m, "
                  f"{'in order' if ordered else 'NOT in order'}), stops saving from B = "
                  f"{scaling.maximal_from(a.doublings)}, "
                  f"B_simple at target {at.exact.b_simple:7.1f} (two-batch {at.estimate.b_simple:7.1f}), "
                  f"prediction off by {100 * err:3.0f} %, B = {cb.BATCHES[-1]} tuned "
                  f"{'not reached' if big is None else f'{big:,.0f} steps'} vs "
                  f"lr {fixed_lr:g}: {fixed_text}")
        steps = "  ".join(f"{p.batch}:{p.steps:,.0f}" if p.steps else f"{p.batch}:-"
                          for p in view.analyse(trials, float(P.TARGET.default)).tuned)
        print(f"  steps at the default target {P.TARGET.default}: {steps}")
    print(f"\ntuned regions in order (perfect → diminishing → maximal): {in_order} of {seeds * len(cb.TARGETS)} "
          "seed × target views")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
