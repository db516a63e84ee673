"""The critical-batch page's runs as tidy rows (one dict per point), for "download as CSV".

Stable English column names, as in ``ebcore.lessons.tables``; steps count optimizer updates, examples count
training samples, losses are validation MSE.
"""

from __future__ import annotations

from collections.abc import Sequence

from ebcore.lessons.critical.experiment import NoiseCheckpoint, Point, Trial
from ebcore.lessons.critical.scaling import Doubling, Hyperbola

__all__ = ["epoch_budget", "noise_scale", "Rows", "steps_to_target", "trials"]

Rows = list[dict[str, object]]


def trials(runs: Sequence[Trial]) -> Rows:
    """Per trial and evaluation: batch size, learning rate, repeat, steps so far, epoch, validation loss."""
    return [{"batch_size": t.batch, "lr": t.lr, "repeat": t.rep, "epoch": e, "steps": s, "val_loss": v}
            for t in runs for e, (s, v) in enumerate(zip(t.steps, t.val_loss, strict=True))]


def steps_to_target(points: Sequence[Point], target: float, fit: Hyperbola | None, tuned: bool,
                    doublings: Sequence[Doubling] = ()) -> Rows:
    """Per batch size: the learning rate, the median, fastest and slowest steps over the repeats, examples
    to the target, the fitted steps, and the share of the ideal halving the doubling into this size saved
    and its region (empty for the smallest size or where a target was missed)."""
    into = {d.large: d for d in doublings}
    return [{"batch_size": p.batch, "target_val_loss": target, "lr_tuned": tuned, "lr": p.lr, "steps": p.steps,
             "steps_fastest": p.low, "steps_slowest": p.high, "examples": p.examples,
             "fitted_steps": None if fit is None else fit.steps(p.batch),
             "doubling_saved_share": into[p.batch].share if p.batch in into else None,
             "region": into[p.batch].region.value if p.batch in into else ""} for p in points]


def noise_scale(points: Sequence[NoiseCheckpoint]) -> Rows:
    """Per checkpoint: steps, training and validation loss, |G|², tr(Σ) and B_simple, exact and two-batch."""
    return [{"steps": p.step, "train_loss": p.train_loss, "val_loss": p.val_loss,
             "grad_sq": p.exact.grad_sq, "trace_sigma": p.exact.trace, "b_simple": p.exact.b_simple,
             "grad_sq_two_batch": p.estimate.grad_sq, "trace_sigma_two_batch": p.estimate.trace,
             "b_simple_two_batch": p.estimate.b_simple} for p in points]


def epoch_budget(rows: Sequence[tuple[int, float, float]], epochs: int) -> Rows:
    """Per batch size: validation loss after ``epochs`` epochs and the learning rate it used."""
    return [{"batch_size": b, "epochs": epochs, "lr": lr, "val_loss": loss} for b, lr, loss in rows]
