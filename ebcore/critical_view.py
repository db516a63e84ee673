"""What the critical-batch page draws and states, computed from one ``critical_batch.Analysis``.

The page reads widgets and hands these numbers to its charts and sentences; every curve, mark and
ratio it shows is computed here from the runs, so a sentence's numbers always follow the settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ebcore import scaling
from ebcore.calc import loader_length
from ebcore.critical_batch import N_TRAIN, Point

LINE_BATCHES: tuple[float, ...] = tuple(2 ** (k / 4) for k in range(12, 41))
"""Batch sizes (8 to 1,024, four points an octave) at which fitted and predicted lines are drawn."""
TRADEOFF_BATCHES: tuple[float, ...] = tuple(2 ** (k / 4) for k in range(8, 45))
"""Batch sizes (4 to 2,048) along which the S–E trade-off curve is drawn."""


def fit_line(fit: scaling.Hyperbola) -> list[tuple[float, float]]:
    """The fitted ``S(B) = S_min(1 + B_crit/B)`` as (batch, steps) points along ``LINE_BATCHES``."""
    return [(b, fit.steps(b)) for b in LINE_BATCHES]


def predicted_line(s_min: float, b_noise: float) -> list[tuple[float, float]]:
    """McCandlish et al.'s prediction ``S_min(1 + B_noise/B)`` as (batch, steps) points along ``LINE_BATCHES``."""
    return [(b, s_min * (1 + b_noise / b)) for b in LINE_BATCHES]


def tradeoff_curve(fit: scaling.Hyperbola) -> list[tuple[float, float]]:
    """The fitted hyperbola in the steps–examples plane: (steps, examples) along ``TRADEOFF_BATCHES``."""
    return [(fit.steps(b), fit.examples(b)) for b in TRADEOFF_BATCHES]


def critical_mark(fit: scaling.Hyperbola) -> tuple[float, float]:
    """Where the batch size equals B_crit on the trade-off curve: (2·S_min steps, 2·E_min examples)."""
    return 2 * fit.s_min, 2 * fit.e_min


def region_spans(fit: scaling.Hyperbola, top: float = 1e5) -> list[tuple[float, float, scaling.Region]]:
    """The three regions as (low, high, region) batch-size spans for shading, from 1 up to ``top``."""
    low, high = scaling.region_bounds(fit.b_crit)
    return [(1.0, low, scaling.Region.PERFECT), (low, high, scaling.Region.DIMINISHING),
            (high, top, scaling.Region.MAXIMAL)]


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


def tuned_span(tuned: Sequence[Point]) -> Span | None:
    """``Span`` over the tuned points that reached the target (None when fewer than two did)."""
    reached = [p for p in tuned if p.steps is not None]
    if len(reached) < 2:
        return None
    small, large = reached[0], reached[-1]
    return Span(small, large, large.batch // small.batch, small.steps / large.steps)


def updates_in(epochs: int, batch: int) -> int:
    """Optimizer updates ``epochs`` epochs make at ``batch`` on the experiment's training set (last batch kept)."""
    return epochs * loader_length(N_TRAIN, batch, False)


def fixed_against_tuned(shown: Sequence[Point], tuned: Sequence[Point]) -> tuple[Point, Point, float] | None:
    """The largest batch size at the one learning rate against the same size tuned: (fixed, tuned,
    fixed steps / tuned steps), or None when either missed the target."""
    if not shown or not tuned:
        return None
    big, best = shown[-1], tuned[-1]
    if big.steps is None or best.steps is None:
        return None
    return big, best, big.steps / best.steps
