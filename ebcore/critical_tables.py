"""The critical-batch page's runs as tidy rows (one dict per point), for "download as CSV".

Stable English column names, as in ``ebcore.tables``; steps count optimizer updates, examples count
training samples, losses are validation MSE.
"""

from __future__ import annotations

from collections.abc import Sequence

from ebcore.critical_batch import NoiseCheckpoint, Point, Trial
from ebcore.scaling import Hyperbola, region

Rows = list[dict[str, object]]


def trials(runs: Sequence[Trial]) -> Rows:
    """Per trial and evaluation: batch size, learning rate, steps so far, epoch, validation loss."""
    return [{"batch_size": t.batch, "lr": t.lr, "epoch": e, "steps": s, "val_loss": v}
            for t in runs for e, (s, v) in enumerate(zip(t.steps, t.val_loss, strict=True))]


def steps_to_target(points: Sequence[Point], target: float, fit: Hyperbola | None, tuned: bool) -> Rows:
    """Per batch size: the learning rate, steps and examples to the target, the fitted steps and the region."""
    return [{"batch_size": p.batch, "target_val_loss": target, "lr_tuned": tuned, "lr": p.lr, "steps": p.steps,
             "examples": p.examples, "fitted_steps": None if fit is None else fit.steps(p.batch),
             "region": "" if fit is None else region(p.batch, fit.b_crit).value} for p in points]


def noise_scale(points: Sequence[NoiseCheckpoint]) -> Rows:
    """Per checkpoint: steps, training and validation loss, |G|², tr(Σ) and B_simple, exact and two-batch."""
    return [{"steps": p.step, "train_loss": p.train_loss, "val_loss": p.val_loss,
             "grad_sq": p.exact.grad_sq, "trace_sigma": p.exact.trace, "b_simple": p.exact.b_simple,
             "grad_sq_two_batch": p.estimate.grad_sq, "trace_sigma_two_batch": p.estimate.trace,
             "b_simple_two_batch": p.estimate.b_simple} for p in points]


def epoch_budget(rows: Sequence[tuple[int, float, float]], epochs: int) -> Rows:
    """Per batch size: validation loss after ``epochs`` epochs and the learning rate it used."""
    return [{"batch_size": b, "epochs": epochs, "lr": lr, "val_loss": loss} for b, lr, loss in rows]
