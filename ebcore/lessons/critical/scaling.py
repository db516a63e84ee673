"""The empirical model of large-batch training (McCandlish et al. 2018) fitted to measured points.

Steps ``S`` and examples ``E = S·B`` to reach a fixed target trade off along the hyperbola
``(S/S_min − 1)(E/E_min − 1) = 1``, which is the same as ``S(B) = S_min + E_min/B``:

- ``S_min``: the fewest steps any batch size needs (an infinitely large batch, pure gradient descent);
- ``E_min``: the fewest training samples (a batch of one, with its own best learning rate);
- ``B_crit = E_min/S_min``: the critical batch size, where a run needs twice ``S_min`` and twice ``E_min``.

Because ``S`` is linear in ``1/B``, the fit is a weighted least-squares line through (1/B, S), each
point weighted by ``1/S²`` (equal relative errors, as on the log–log chart).

The regions are read off the measured steps themselves (``doublings``): a doubling of the batch that
saves at least 80 % of the ideal halving of steps is *perfect scaling*, one that saves at most 20 % is
*maximal data parallelism*, those between show *diminishing returns* (Shallue et al. 2018's three
regions). On the fitted curve the same shares fall at ``B_crit/4`` and ``4·B_crit``,
since doubling from ``B`` saves ``B_crit/(B + B_crit)`` of the ideal there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["MAXIMAL_SHARE", "PERFECT_SHARE", "Doubling", "doublings", "fit", "Hyperbola",
           "maximal_from", "perfect_scaling", "perfect_until", "Region", "region_of_share"]

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


def region_of_share(share: float) -> Region:
    """The region of a doubling that saved ``share`` of the ideal halving of steps (negative: it cost steps)."""
    if share >= PERFECT_SHARE:
        return Region.PERFECT
    if share <= MAXIMAL_SHARE:
        return Region.MAXIMAL
    return Region.DIMINISHING


@dataclass(frozen=True)
class Doubling:
    """Two neighbouring measured batch sizes (``small`` < ``large``) and what the larger saved:
    ``share`` = (S_small − S_large) / (S_small · (1 − small/large)), the fraction of the ideal saving
    (half the steps for a doubling), and the ``region`` that share falls in; the two sizes' steps."""

    small: int
    large: int
    share: float
    region: Region
    steps_small: float
    steps_large: float

    @property
    def growth(self) -> float:
        """The larger size's steps over the smaller's, minus 1: > 0 when the bigger batch took more steps."""
        return self.steps_large / self.steps_small - 1


def doublings(points: Sequence[tuple[int, float | None]]) -> list[Doubling]:
    """Each step between neighbouring batch sizes of ``points`` ((batch, steps), steps None where the target
    was missed), ascending, whose steps were both measured: the measured share of the ideal saving."""
    pts = sorted(points)
    out = []
    for (b0, s0), (b1, s1) in zip(pts, pts[1:], strict=False):
        if s0 is None or s1 is None or not s0 > 0 or b1 <= b0:
            continue
        share = (s0 - s1) / (s0 * (1 - b0 / b1))
        out.append(Doubling(b0, b1, share, region_of_share(share), s0, s1))
    return out


def maximal_from(steps: Sequence[Doubling]) -> int | None:
    """The batch size from which every measured doubling (to the largest measured) saved at most 20 %:
    the smaller size of the first of the trailing unbroken run of maximal doublings (None: the last
    doubling still saved more, or there is none)."""
    start = None
    for d in reversed(steps):
        if d.region is not Region.MAXIMAL or (start is not None and d.large != start):
            break
        start = d.small
    return start


def perfect_until(steps: Sequence[Doubling]) -> int | None:
    """The batch size up to which every measured doubling, from the smallest, saved at least 80 %: the
    larger size of the last of the leading unbroken run of perfect doublings (None: the first did not)."""
    end = None
    for d in steps:
        if d.region is not Region.PERFECT or (end is not None and d.small != end):
            break
        end = d.large
    return end


def perfect_scaling(batch0: float, steps0: float, batches: Sequence[float]) -> list[tuple[float, float]]:
    """The perfect-scaling line through ``(batch0, steps0)``: twice the batch, half the steps."""
    return [(b, steps0 * batch0 / b) for b in batches]
