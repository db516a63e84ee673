"""BatchNorm records for many steps at once: each step's batch mean and biased variance per channel.

``fit`` records, per step, ``x.mean([0])`` and ``x.var([0], correction=0)`` of the BatchNorm layer's
input ``x`` ``(B, C)``: two reductions a step, a fifth of a small stacked step's time for the runs that
keep records. ``batch_moments`` reduces a stretch of steps with equal batch size in one call each over
the stacked ``(steps, B, C)`` inputs, where ``exact_stacked`` (asked once per shape) finds the bits those
of the single-step calls, and step by step where it does not.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import torch
from torch import Tensor

from ebcore.stacked.net import PROBE_TRIALS, _spread_randn


def _one(x: Tensor) -> tuple[Tensor, Tensor]:
    return x.mean([0]), x.var([0], correction=0)


@functools.lru_cache(maxsize=1024)
def exact_stacked(steps: int, batch: int, channels: int) -> bool:
    """Whether the mean and biased variance over dim 1 of a ``(steps, batch, channels)`` stack equal
    each step's own ``_one`` on a fresh ``(batch, channels)`` tensor (``PROBE_TRIALS`` steps at least)."""
    g = torch.Generator().manual_seed(5)
    for _ in range(-(-PROBE_TRIALS // steps)):
        xs = _spread_randn(g, steps, batch, channels)
        means, variances = xs.mean([1]), xs.var([1], correction=0)
        for s in range(steps):
            mean, var = _one(xs[s].clone())
            if not (torch.equal(mean, means[s]) and torch.equal(var, variances[s])):
                return False
    return True


def batch_moments(inputs: Sequence[Tensor]) -> tuple[list[Tensor], list[Tensor]]:
    """Per step, the mean and biased variance over the batch of ``inputs[s]`` ``(B_s, C)``: two lists of
    ``(C,)`` tensors, each the bits of ``x.mean([0])`` and ``x.var([0], correction=0)`` on that step alone."""
    means: list[Tensor] = []
    variances: list[Tensor] = []
    i = 0
    while i < len(inputs):
        j = i + 1
        while j < len(inputs) and inputs[j].shape == inputs[i].shape:
            j += 1
        batch, channels = inputs[i].shape
        if j - i > 1 and exact_stacked(j - i, batch, channels):
            stack = torch.stack(list(inputs[i:j]))
            means.extend(stack.mean([1]).unbind(0))
            variances.extend(stack.var([1], correction=0).unbind(0))
        else:
            for x in inputs[i:j]:
                mean, var = _one(x)
                means.append(mean)
                variances.append(var)
        i = j
    return means, variances
