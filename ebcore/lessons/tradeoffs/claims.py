"""The notes' claims about small and large batches, judged from a measured sweep (``SweepRun``s).

Each claim compares the sweep's smallest and largest batch and gets a verdict: it holds, it is too close
to call, or it does not hold here. Every verdict follows one stated rule: one of the two measurements,
*as the table shows it* (``DECIMALS``), is compared with two limits. Past the first limit the claim
holds, past the second it does not, in between it is too close to call. The page states each rule with
its limits, so a reader can check every verdict from the numbers in its row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from ebcore.lessons.tradeoffs.experiment import SweepRun
from ebcore.primitives import calc

__all__ = ["BN_RELIABLE", "BN_RELIABLE_FROM", "BN_UNRELIABLE", "BN_UNRELIABLE_BELOW", "CLAIMS", "DECIMALS",
           "GAP_TOLERANCE", "NOISE_MARGIN", "TIME_MARGIN", "Claim", "Verdict", "claims", "decimal_text"]


class Verdict(StrEnum):
    HOLDS = "holds"
    DEPENDS = "depends"
    FAILS = "fails"


CLAIMS = ("faster_epochs", "more_updates", "noisier", "memory", "generalise", "batchnorm")
"""The notes' claims, in table order; each compares the smallest and the largest swept batch."""

DECIMALS = {"faster_epochs": 1, "more_updates": 0, "noisier": 3, "memory": 0, "generalise": 3, "batchnorm": 3}
"""Decimals each claim's two values are shown with, and compared at: milliseconds per epoch, updates,
relative noise, bytes, nats, standard deviations. A verdict never rests on a digit the table hides."""

TIME_MARGIN = Fraction(4, 5)
"""Large-batch epochs count as faster only if they take under 80 % of the small batch's time."""
NOISE_MARGIN = Fraction(6, 5)
"""Small-batch gradients count as noisier only if their relative noise is over 1.2× the large batch's."""
GAP_TOLERANCE = Fraction(1, 50)
"""Validation losses (nats) closer than 0.020 count as equal: the sweep's run-to-run jitter."""
BN_UNRELIABLE_BELOW = calc.BN_RELIABLE_BATCH
"""The notes: BatchNorm's statistics are reliable from about 16–32 samples. Under 16 they are not."""
BN_RELIABLE_FROM = 2 * calc.BN_RELIABLE_BATCH
"""From 32 samples on they are."""
BN_UNRELIABLE = Fraction(round(1000 / math.sqrt(BN_UNRELIABLE_BELOW)), 1000)
"""A batch mean off by more than 0.250 standard deviations (1/√16): statistics as shaky as a batch under 16."""
BN_RELIABLE = Fraction(round(1000 / math.sqrt(BN_RELIABLE_FROM)), 1000)
"""A batch mean off by 0.177 standard deviations (1/√32) or less: as reliable as a batch of 32 or more."""


@dataclass(frozen=True)
class Claim:
    """A claim, the small- and large-batch measurements as shown, and the rule that gives its verdict.

    ``small``/``large``: the two values rounded to ``DECIMALS[key]`` (``inf`` for a diverged run's loss,
    or BatchNorm's error at a batch of 1). The rule: ``tested`` (``"small"`` or ``"large"``) names the
    value compared; ``above`` says which way the claim holds. With ``above``, the claim holds if the
    tested value is over ``hold`` and does not hold if it is ``fail`` or less; otherwise (``above`` false)
    it holds under ``hold`` and does not hold at ``fail`` or more. In between it is too close to call.
    ``hold``/``fail`` are exact (a ``Fraction``) or ``inf``; ``decimal_text`` writes them out.
    """

    key: str
    small: float
    large: float
    verdict: Verdict
    tested: str
    above: bool
    hold: Fraction | float
    fail: Fraction | float


def _shown(value: float, decimals: int) -> Fraction | float:
    """``value`` as the table shows it, exactly (``inf`` stays ``inf``)."""
    return Fraction(f"{value:.{decimals}f}") if math.isfinite(value) else math.inf


def _judge(value: Fraction | float, above: bool, hold: Fraction | float, fail: Fraction | float) -> Verdict:
    if above:
        return Verdict.HOLDS if value > hold else Verdict.FAILS if value <= fail else Verdict.DEPENDS
    return Verdict.HOLDS if value < hold else Verdict.FAILS if value >= fail else Verdict.DEPENDS


def _claim(key: str, small: float, large: float, tested: str, above: bool, limits) -> Claim:
    s, lg = _shown(small, DECIMALS[key]), _shown(large, DECIMALS[key])
    hold, fail = limits(s, lg)
    value = s if tested == "small" else lg
    return Claim(key, float(s), float(lg), _judge(value, above, hold, fail), tested, above, hold, fail)


def _minus(a: Fraction | float, b: Fraction) -> Fraction | float:
    return a - b if math.isfinite(a) else a


def claims(runs: Sequence[SweepRun]) -> list[Claim]:
    """Verdicts for ``CLAIMS`` from a sweep, comparing its smallest and largest batch (values as shown).

    - ``faster_epochs`` (large batches finish an epoch faster), milliseconds per epoch: holds if the
      large batch's epoch takes under 80 % of the small one's, does not hold if it takes as long or longer.
    - ``more_updates`` (small batches make more updates per epoch): holds if the small batch makes more.
    - ``noisier`` (small batches give noisier gradients), relative noise: holds if the small batch's is
      over 1.2× the large one's, does not hold if it is no higher.
    - ``memory`` (large batches need more memory), computed activation bytes: holds if the large needs more.
    - ``generalise`` (small batches generalise better), final validation loss: holds if the small batch's
      is lower by more than ``GAP_TOLERANCE``, does not hold if it is higher by that much or more.
      A diverged run's loss is ``inf``: it counts as the worse one.
    - ``batchnorm`` (small batches upset BatchNorm), RMS error of a batch's mean in standard deviations:
      holds if the small batch's is over ``BN_UNRELIABLE`` (as for a batch under 16; a batch of 1, which
      BatchNorm refuses, is ``inf``), does not hold if it is ``BN_RELIABLE`` or less (as for 32 or more).
    """
    if len(runs) < 2:
        raise ValueError("claims compare at least two batch sizes")
    small, large = min(runs, key=lambda r: r.batch), max(runs, key=lambda r: r.batch)
    val_s = small.final_val if not small.diverged else math.inf
    val_l = large.final_val if not large.diverged else math.inf
    return [
        _claim("faster_epochs", 1000 * small.seconds_per_epoch, 1000 * large.seconds_per_epoch, "large", False,
               lambda s, lg: (TIME_MARGIN * s, s)),
        _claim("more_updates", small.updates_per_epoch, large.updates_per_epoch, "small", True,
               lambda s, lg: (lg, lg)),
        _claim("noisier", small.noise, large.noise, "small", True, lambda s, lg: (NOISE_MARGIN * lg, lg)),
        _claim("memory", small.act_bytes, large.act_bytes, "large", True,
               lambda s, lg: (s, s)),
        _claim("generalise", val_s, val_l, "small", False,
               lambda s, lg: (_minus(lg, GAP_TOLERANCE), _minus(lg, -GAP_TOLERANCE))),
        _claim("batchnorm", small.bn_mean_error, large.bn_mean_error, "small", True,
               lambda s, lg: (BN_UNRELIABLE, BN_RELIABLE)),
    ]


def decimal_text(value: Fraction | float, decimals: int = 0) -> str:
    """An exact limit written out in full, with at least ``decimals`` decimals (its column's):
    ``Fraction(142, 25)`` → ``"5.68"``, ``Fraction(1, 4)`` at 3 → ``"0.250"`` (limits are products of shown
    decimals and 0.8, 1.2 or ± 0.020, so they always end); ``inf`` → ``"∞"``."""
    if not math.isfinite(value):
        return "∞"
    value = Fraction(value)
    for places in range(decimals, 12):
        if (value * 10**places).denominator == 1:
            return f"{float(value):,.{places}f}"
    return f"{float(value):,.12g}"
