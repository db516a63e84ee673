"""What the critical-batch page draws and states: the runs read at one target (``analyse``), and the
curves, regions and ratios computed from that ``Analysis``.

The page reads widgets and hands these numbers to its charts and sentences; every curve, mark and
ratio it shows is computed here from the points of its table (``Analysis.shown``), so a sentence's
numbers always follow the settings and describe the runs in the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ebcore.lessons.critical import scaling
from ebcore.lessons.critical.experiment import N_TRAIN, Point, Trial, best_per_batch, by_batch
from ebcore.primitives.calc import loader_length

__all__ = ["LINE_BATCHES", "TRADEOFF_BATCHES", "analyse", "Analysis", "best_val_loss", "claim_conditions",
           "ClaimConditions", "critical_mark", "fit_line", "fixed_against_tuned", "perfect_line", "predicted_line",
           "prediction_error", "region_by_batch", "region_spans", "Span", "span", "tradeoff_curve", "updates_in"]


def best_val_loss(trials: Sequence[Trial]) -> list[tuple[int, float, float]]:
    """Per batch size: (batch, learning rate, lowest validation loss the runs reached, the median over the
    repeats of each run's lowest), at the learning rate where that median is lowest."""
    return [(b, lr, loss) for b, lr, loss, _ in
            by_batch(trials, lambda t: min((v for v in t.val_loss if math.isfinite(v)), default=math.inf))]


@dataclass(frozen=True)
class Analysis:
    """The runs read at one target: ``tuned`` points (best learning rate per size), ``shown`` (the tuned
    ones, or those at the one learning rate ``lr``: the table's), the measured doublings between the shown
    points (``doublings``: what the regions are read from) and the hyperbola fitted to the shown points that
    reached the target (``fit``: None when fewer than two did or they do not bend like the model)."""

    target: float
    lr: float | None
    tuned: list[Point]
    shown: list[Point]
    doublings: list[scaling.Doubling]
    fit: scaling.Hyperbola | None


def analyse(trials: Sequence[Trial], target: float, lr: float | None = None) -> Analysis:
    """Steps to ``target`` per batch size, tuned and (if ``lr`` is given) at that one learning rate; the
    doublings and the fit of the shown points (the tuned ones, or those at ``lr``)."""
    tuned = best_per_batch(trials, target)
    shown = tuned if lr is None else best_per_batch(trials, target, lr)
    reached = [(p.batch, p.steps) for p in shown if p.steps]
    try:
        hyperbola = scaling.fit(reached)
    except ValueError:
        hyperbola = None
    return Analysis(target, lr, tuned, shown, scaling.doublings([(p.batch, p.steps) for p in shown]), hyperbola)


def prediction_error(points: Sequence[Point], s_min: float, b_noise: float) -> float | None:
    """Mean relative gap |measured − predicted| / predicted between the measured steps and
    ``S_min(1 + B_noise/B)`` over the points that reached the target (None if none did)."""
    gaps = [abs(p.steps - s_min * (1 + b_noise / p.batch)) / (s_min * (1 + b_noise / p.batch))
            for p in points if p.steps]
    return sum(gaps) / len(gaps) if gaps else None


@dataclass(frozen=True)
class ClaimConditions:
    """What the experiment says about two folk claims (for the trade-offs page's claims table).

    ``b_crit`` from the tuned fit at ``target`` (None if it failed) and ``high``, the batch size from which
    every measured doubling saved at most 20 % of the ideal halving (None if none did); per smallest and
    largest batch, the lowest validation loss reached tuned (``best_small``, ``best_large``) and at the one
    learning rate ``lr`` (``large_fixed``), medians over the repeats."""

    target: float
    lr: float
    b_crit: float | None
    high: int | None
    small: int
    large: int
    best_small: float
    best_large: float
    large_fixed: float


def claim_conditions(trials: Sequence[Trial], target: float, lr: float) -> ClaimConditions:
    """Read ``ClaimConditions`` off the runs at ``target`` (tuned) and the one learning rate ``lr``."""
    tuned = analyse(trials, target)
    best = best_val_loss(trials)
    fixed = best_val_loss([t for t in trials if t.lr == lr])
    return ClaimConditions(
        target, lr, None if tuned.fit is None else tuned.fit.b_crit, scaling.maximal_from(tuned.doublings),
        best[0][0], best[-1][0], best[0][2], best[-1][2], fixed[-1][2],
    )


LINE_BATCHES: tuple[float, ...] = tuple(2 ** (k / 4) for k in range(12, 41))
"""Batch sizes (8 to 1,024, four points an octave) at which fitted and predicted lines are drawn."""
TRADEOFF_BATCHES: tuple[float, ...] = tuple(2 ** (k / 4) for k in range(8, 45))
"""Batch sizes (4 to 2,048) along which the S–E trade-off curve is drawn."""


def fit_line(fit: scaling.Hyperbola, largest: float = LINE_BATCHES[-1]) -> list[tuple[float, float]]:
    """The fitted ``S(B) = S_min(1 + B_crit/B)`` as (batch, steps) points along ``LINE_BATCHES``, up to the
    ``largest`` batch size measured."""
    return [(b, fit.steps(b)) for b in LINE_BATCHES if b <= largest]


def predicted_line(s_min: float, b_noise: float, largest: float = LINE_BATCHES[-1]) -> list[tuple[float, float]]:
    """McCandlish et al.'s prediction ``S_min(1 + B_noise/B)`` as (batch, steps) points along ``LINE_BATCHES``,
    up to the ``largest`` batch size measured."""
    return [(b, s_min * (1 + b_noise / b)) for b in LINE_BATCHES if b <= largest]


def tradeoff_curve(fit: scaling.Hyperbola) -> list[tuple[float, float]]:
    """The fitted hyperbola in the steps–examples plane: (steps, examples) along ``TRADEOFF_BATCHES``."""
    return [(fit.steps(b), fit.examples(b)) for b in TRADEOFF_BATCHES]


def critical_mark(fit: scaling.Hyperbola) -> tuple[float, float]:
    """Where the batch size equals B_crit on the trade-off curve: (2·S_min steps, 2·E_min examples)."""
    return 2 * fit.s_min, 2 * fit.e_min


def region_spans(steps: Sequence[scaling.Doubling]) -> list[tuple[float, float, scaling.Region]]:
    """The regions as (low, high, region) batch-size spans for shading, straight from the measured
    doublings: neighbouring doublings in the same region joined into one span."""
    spans: list[tuple[float, float, scaling.Region]] = []
    for d in steps:
        if spans and spans[-1][2] is d.region and spans[-1][1] == d.small:
            spans[-1] = (spans[-1][0], d.large, d.region)
        else:
            spans.append((d.small, d.large, d.region))
    return spans


def region_by_batch(steps: Sequence[scaling.Doubling]) -> dict[int, scaling.Doubling]:
    """Per batch size, the measured doubling that ends there (from the size below): the table's region."""
    return {d.large: d for d in steps}


def perfect_line(shown: Sequence[Point]) -> list[tuple[float, float]]:
    """The perfect-scaling line through the smallest shown batch size that reached the target (empty if none)."""
    reached = [p for p in shown if p.steps is not None]
    if not reached:
        return []
    first = reached[0]
    return scaling.perfect_scaling(first.batch, first.steps, [p.batch for p in shown])


@dataclass(frozen=True)
class Span:
    """The smallest and largest tuned batch sizes that reached the target, and how they compare:
    ``batch_ratio`` = large/small batch, ``steps_ratio`` = small's steps / large's steps."""

    small: Point
    large: Point
    batch_ratio: int
    steps_ratio: float


def span(points: Sequence[Point]) -> Span | None:
    """``Span`` over the points that reached the target (None when fewer than two did)."""
    reached = [p for p in points if p.steps is not None]
    if len(reached) < 2:
        return None
    small, large = reached[0], reached[-1]
    return Span(small, large, large.batch // small.batch, small.steps / large.steps)


def updates_in(epochs: int, batch: int, n_train: int = N_TRAIN) -> int:
    """Optimizer updates ``epochs`` epochs make at ``batch`` on a training set of ``n_train`` samples (the
    made-up task's by default; last batch kept)."""
    return epochs * loader_length(n_train, batch, False)


def fixed_against_tuned(shown: Sequence[Point], tuned: Sequence[Point]) -> tuple[Point, Point, float] | None:
    """The largest batch size at the one learning rate against the same size tuned: (fixed, tuned,
    fixed steps / tuned steps), or None when either missed the target."""
    if not shown or not tuned:
        return None
    big, best = shown[-1], tuned[-1]
    if big.steps is None or best.steps is None:
        return None
    return big, best, big.steps / best.steps
