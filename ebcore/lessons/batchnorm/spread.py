"""How noisy the mean and variance BatchNorm takes from a batch are: many random batches of each size
drawn from one channel, the spread of their statistics, and the ratios the BatchNorm page states from
the table it shows (``batchnorm`` re-exports these names; pure, seeded through ``torch.Generator``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from ebcore.primitives import calc

__all__ = ["SPREAD_DECIMALS", "SpreadRatio", "StatSpread", "batch_stat_spread", "spread_ratio", "spread_sizes"]


@dataclass(frozen=True)
class StatSpread:
    """Batch statistics of one channel over many random batches of ``size`` samples.

    ``means``/``variances`` (length ``draws``): each batch's mean and biased variance — exactly what
    BatchNorm normalises with in training mode. ``true_mean``/``true_var``: the same over all samples.
    ``mean_sd``/``var_sd``: the spread (standard deviation) of those batch values. ``mean_sd_theory``:
    the textbook spread of a mean of ``size`` samples drawn without replacement,
    ``σ/√size · √((N − size)/(N − 1))``.
    """

    size: int
    means: list[float]
    variances: list[float]
    true_mean: float
    true_var: float
    mean_sd: float
    var_sd: float
    mean_sd_theory: float


def batch_stat_spread(
    values: Tensor, sizes: Sequence[int], draws: int = 2000, seed: int = 0
) -> list[StatSpread]:
    """Draw ``draws`` random batches of each size in ``sizes`` from ``values`` (1-D, one channel).

    Each batch is a sample without replacement: the full batches of shuffled epochs, as a shuffled
    DataLoader makes them (batches of one epoch never share a sample). Sizes must be from 1 to
    ``len(values)``; a batch of 1's variance is 0 every time (what BatchNorm would divide by, so it
    refuses in training mode). Returns one ``StatSpread`` per size, in the given order.
    """
    if values.dim() != 1 or values.shape[0] < 2:
        raise ValueError("values must be a 1-D tensor of at least 2 samples")
    n = values.shape[0]
    if draws < 2:
        raise ValueError(f"draws must be at least 2, got {draws}")
    values = values.double()
    true_mean = values.mean().item()
    true_var = values.var(correction=0).item()
    sigma = math.sqrt(true_var)
    g = torch.Generator().manual_seed(seed)
    out = []
    for size in sizes:
        if not 1 <= size <= n:
            raise ValueError(f"batch size must be from 1 to {n}, got {size}")
        # Batches as a shuffled DataLoader makes them: shuffle (random keys, argsort), cut into full
        # batches, as many shuffles as it takes. Each batch is a uniform sample without replacement.
        per_shuffle = n // size
        shuffles = -(-draws // per_shuffle)
        order = torch.rand(shuffles, n, generator=g).argsort(dim=1)[:, : per_shuffle * size]
        picks = order.reshape(-1, size)[:draws]
        batches = values[picks]
        means = batches.mean(dim=1)
        variances = batches.var(dim=1, correction=0)
        fpc = math.sqrt((n - size) / (n - 1))
        out.append(
            StatSpread(
                size=size,
                means=means.tolist(),
                variances=variances.tolist(),
                true_mean=true_mean,
                true_var=true_var,
                mean_sd=means.std().item(),
                var_sd=variances.std().item(),
                mean_sd_theory=sigma / math.sqrt(size) * fpc,
            )
        )
    return out


def spread_sizes(n: int, batch_size: int) -> list[int]:
    """The batch sizes worth comparing for ``n`` samples in batches of ``batch_size``: 6 (the notes'
    tiny last batch), the actual last batch when it is partial (1 included: its variance is always 0),
    ``batch_size`` and 300 (the notes' batch) — each only if it is from 1 to ``n``; sorted, without
    repeats. The first is the loader's own last batch whenever that is the smallest."""
    last = calc.loader_last_batch(n, batch_size)
    candidates = {6, batch_size, 300} | ({last} if last < batch_size else set())
    return sorted(s for s in candidates if 1 <= s <= n)


SPREAD_DECIMALS = 4
"""Decimals the spread table shows; the ratios the page states are taken from the values as shown."""


@dataclass(frozen=True)
class SpreadRatio:
    """How much farther the smallest batch's mean wanders than the largest's, from the table's numbers.

    ``shown``: the two batches' measured spreads and theory spreads rounded to ``SPREAD_DECIMALS``
    (``mean_small, mean_large, theory_small, theory_large``); ``measured``/``theory``: their ratios;
    ``sqrt``: √(large/small), what 1/√b alone predicts (without the finite-population correction).
    """

    small: int
    large: int
    shown: tuple[float, float, float, float]
    measured: float
    theory: float
    sqrt: float


def spread_ratio(spreads: Sequence[StatSpread]) -> SpreadRatio | None:
    """The first and last of ``spreads`` (smallest and largest batch) compared, from the values as the
    table shows them; ``None`` when there is nothing to compare (one size, or the larger batch's mean
    never moves at the table's precision: a batch of the whole set)."""
    small, large = spreads[0], spreads[-1]
    shown = tuple(round(v, SPREAD_DECIMALS) for v in (small.mean_sd, large.mean_sd, small.mean_sd_theory,
                                                       large.mean_sd_theory))
    if large.size <= small.size or shown[1] == 0 or shown[3] == 0:
        return None
    return SpreadRatio(small.size, large.size, shown, shown[0] / shown[1], shown[2] / shown[3],
                       math.sqrt(large.size / small.size))
