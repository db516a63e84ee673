"""The empirical model of large-batch training (McCandlish et al. 2018) fitted to measured points.

Steps ``S`` and examples ``E = S·B`` to reach a fixed target trade off along the hyperbola
``(S/S_min − 1)(E/E_min − 1) = 1``, which is the same as ``S(B) = S_min + E_min/B``:

- ``S_min``: the fewest steps any batch size needs (an infinitely large batch, pure gradient descent);
- ``E_min``: the fewest training samples (a batch of one, with its own best learning rate);
- ``B_crit = E_min/S_min``: the critical batch size, where a run needs twice ``S_min`` and twice ``E_min``.

Because ``S`` is linear in ``1/B``, the fit is a weighted least-squares line through (1/B, S), each
point weighted by ``1/S²`` (equal relative errors, as on the log–log chart). Regions follow from
the fitted curve: doubling ``B`` from ``B`` saves the fraction ``B_crit/(B + B_crit)`` of the ideal
halving, so ``B ≤ B_crit/4`` is *perfect scaling* (≥ 80 % of the ideal), ``B ≥ 4·B_crit`` *maximal
data parallelism* (≤ 20 %), and the sizes between show *diminishing returns*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

PERFECT_SHARE = 0.8
"""Doubling the batch counts as perfect scaling while it saves at least 80 % of the ideal halving."""
MAXIMAL_SHARE = 0.2
"""… and as maximal data parallelism once it saves at most 20 %."""


@dataclass(frozen=True)
class Hyperbola:
    """``S(B) = s_min + e_min/B`` (steps), ``E(B) = S(B)·B`` (samples); ``b_crit = e_min/s_min`` (samples)."""

    s_min: float
    e_min: float

    @property
    def b_crit(self) -> float:
        """The critical batch size ``E_min/S_min``, in samples per batch."""
        return self.e_min / self.s_min

    def steps(self, batch: float) -> float:
        """Predicted optimizer steps to the target at ``batch``."""
        return self.s_min + self.e_min / batch

    def examples(self, batch: float) -> float:
        """Predicted training samples to the target at ``batch``: ``steps × batch``."""
        return self.steps(batch) * batch


def fit(points: Sequence[tuple[float, float]]) -> Hyperbola:
    """Fit ``S = S_min + E_min/B`` to ``(batch, steps)`` points (weighted least squares in ``1/B``).

    Needs at least two distinct batch sizes and positive steps; raises ``ValueError`` otherwise or when
    the best line has a negative ``S_min`` or ``E_min`` (points that do not bend like the model).
    """
    pts = [(float(b), float(s)) for b, s in points]
    if len({b for b, _ in pts}) < 2 or any(b <= 0 or s <= 0 for b, s in pts):
        raise ValueError("the fit needs steps > 0 at two or more batch sizes > 0")
    w = [1 / s**2 for _, s in pts]
    x = [1 / b for b, _ in pts]
    sw = sum(w)
    mx = sum(wi * xi for wi, xi in zip(w, x, strict=True)) / sw
    my = sum(wi * s for wi, (_, s) in zip(w, pts, strict=True)) / sw
    sxx = sum(wi * (xi - mx) ** 2 for wi, xi in zip(w, x, strict=True))
    sxy = sum(wi * (xi - mx) * (s - my) for wi, xi, (_, s) in zip(w, x, pts, strict=True))
    e_min = sxy / sxx
    s_min = my - e_min * mx
    if s_min <= 0 or e_min <= 0:
        raise ValueError(f"the points do not follow S_min + E_min/B (S_min={s_min:.3g}, E_min={e_min:.3g})")
    return Hyperbola(s_min, e_min)


class Region(StrEnum):
    PERFECT = "perfect"
    DIMINISHING = "diminishing"
    MAXIMAL = "maximal"


def doubling_share(batch: float, b_crit: float) -> float:
    """The fraction of the ideal halving of steps that doubling the batch from ``batch`` saves on the
    fitted curve: ``(S(B) − S(2B)) / (S(B)/2) = B_crit/(B + B_crit)`` (1 = perfect, 0 = no gain)."""
    return b_crit / (batch + b_crit)


def region(batch: float, b_crit: float) -> Region:
    """Which of Shallue et al.'s three regions ``batch`` is in, judged on the fitted curve."""
    share = doubling_share(batch, b_crit)
    if share >= PERFECT_SHARE:
        return Region.PERFECT
    if share <= MAXIMAL_SHARE:
        return Region.MAXIMAL
    return Region.DIMINISHING


def region_bounds(b_crit: float) -> tuple[float, float]:
    """The batch sizes where the regions meet: ``(B_crit/4, 4·B_crit)`` for the 80 % / 20 % shares."""
    low = b_crit * (1 - PERFECT_SHARE) / PERFECT_SHARE
    high = b_crit * (1 - MAXIMAL_SHARE) / MAXIMAL_SHARE
    return low, high


def perfect_scaling(batch0: float, steps0: float, batches: Sequence[float]) -> list[tuple[float, float]]:
    """The perfect-scaling line through ``(batch0, steps0)``: twice the batch, half the steps."""
    return [(b, steps0 * batch0 / b) for b in batches]
