"""The notes' claims about small and large batches, judged from a measured sweep (``tradeoffs.run_sweep``).

Each claim compares the sweep's smallest and largest batch and gets a verdict: it holds, it depends,
or it does not hold here. The thresholds below say when a difference counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ebcore.tradeoffs import SweepRun


class Verdict(StrEnum):
    HOLDS = "holds"
    DEPENDS = "depends"
    FAILS = "fails"


CLAIMS = ("faster_epochs", "more_updates", "noisier", "memory", "generalise", "batchnorm")
"""The notes' claims, in table order; each compares the smallest and the largest swept batch."""

TIME_MARGIN = 0.8
"""Large-batch epochs count as faster only if they take under 80 % of the small batch's time."""
NOISE_MARGIN = 1.2
GAP_TOLERANCE = 0.02
"""Validation losses (nats) closer than this count as equal: the sweep's run-to-run jitter."""
BN_RELIABLE = 0.25
"""A batch mean off by more than a quarter standard deviation makes BatchNorm's statistics unreliable
(batches below ~16 samples, in line with the notes' "reliable from ~16–32")."""


@dataclass(frozen=True)
class Claim:
    """A claim with the small- and large-batch measurements and the verdict they imply."""

    key: str
    small: float
    large: float
    verdict: Verdict


def _compare(more: bool, less: bool) -> Verdict:
    return Verdict.HOLDS if more else Verdict.FAILS if less else Verdict.DEPENDS


def claims(runs: Sequence[SweepRun]) -> list[Claim]:
    """Verdicts for ``CLAIMS`` from a sweep, comparing its smallest and largest batch.

    - ``faster_epochs`` (large batches have faster epochs): holds if the large batch's epoch takes
      < 80 % of the small one's, fails if it takes longer. Values: seconds per epoch.
    - ``more_updates`` (small batches make more updates per epoch). Values: updates per epoch.
    - ``noisier`` (small batches have noisier gradients): holds if relative noise is > 1.2× higher.
    - ``memory`` (large batches need more memory): computed activation bytes.
    - ``generalise`` (small batches generalise better): final validation loss; holds if the small
      batch's is lower by more than ``GAP_TOLERANCE``, fails if higher by more, else depends.
      A diverged run counts as worst.
    - ``batchnorm`` (small batches make BatchNorm statistics unreliable): batch-mean error; holds if
      the small batch's exceeds ``BN_RELIABLE`` while the large one's does not.
    """
    if len(runs) < 2:
        raise ValueError("claims compare at least two batch sizes")
    small, large = min(runs, key=lambda r: r.batch), max(runs, key=lambda r: r.batch)
    val_s = small.final_val if not small.diverged else math.inf
    val_l = large.final_val if not large.diverged else math.inf
    out = [
        Claim("faster_epochs", small.seconds_per_epoch, large.seconds_per_epoch,
              _compare(large.seconds_per_epoch < TIME_MARGIN * small.seconds_per_epoch,
                       large.seconds_per_epoch >= small.seconds_per_epoch)),
        Claim("more_updates", small.updates_per_epoch, large.updates_per_epoch,
              _compare(small.updates_per_epoch > large.updates_per_epoch,
                       small.updates_per_epoch <= large.updates_per_epoch)),
        Claim("noisier", small.noise, large.noise,
              _compare(small.noise > NOISE_MARGIN * large.noise, small.noise <= large.noise)),
        Claim("memory", small.act_bytes, large.act_bytes,
              _compare(large.act_bytes > small.act_bytes, large.act_bytes <= small.act_bytes)),
        Claim("generalise", val_s, val_l,
              _compare(val_s < val_l - GAP_TOLERANCE, val_s > val_l + GAP_TOLERANCE)),
        Claim("batchnorm", small.bn_mean_error, large.bn_mean_error,
              _compare(small.bn_mean_error > BN_RELIABLE >= large.bn_mean_error,
                       small.bn_mean_error <= BN_RELIABLE)),
    ]
    return out
