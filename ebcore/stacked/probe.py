"""Is a batched call bit-equal to the per-run calls for this shape? The one helper every such check uses.

Batched kernels (one ``baddbmm`` for K runs, one norm over their channels side by side, one reduction
over a stack of rows) often do the single-run arithmetic exactly, but not on every shape: BLAS and the
vectorised kernels choose their code path by shape. So before the stacked trainer batches a call, a
probe runs it both ways on random values and compares the bits. A kernel's choice depends on shapes,
not values, so one verdict holds for the shape (each probe caches it). Values spread over many
magnitudes make two summation orders round differently often, so a wrong order shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

__all__ = ["PROBE_OUTPUTS", "PROBE_TRIALS", "SEED", "bit_equal", "fresh", "parts_equal", "probe_trials",
           "spread_randn"]

SEED = 1234
"""Every probe's generator starts here: the same draws, so the same verdicts, in every process."""

PROBE_TRIALS = 8
"""Random draws a probe compares at most. Two summation orders often round to the same float on a small
problem, so one draw could pass by luck; values spread over many magnitudes make rounding differ often."""

PROBE_OUTPUTS = 8 * 4096
"""Values a probe compares in all (``probe_trials``): ``PROBE_TRIALS`` draws of a 4,096-value problem.
A summation order that differs shows in a large share of a layer's outputs, each a sum of several
terms of many magnitudes, so what makes a verdict safe is how many values were compared, not how many
draws made them."""

Draw = Callable[[torch.Generator], tuple[Sequence[Tensor], Sequence[Tensor]]]
"""One random trial: given the probe's generator, the batched call's results and the per-run calls'
results, position by position."""


def probe_trials(outputs: int) -> int:
    """Random draws for a probe comparing ``outputs`` values per draw (its smallest result of batch
    size, K × batch × width): enough for ``PROBE_OUTPUTS`` in all, between 1 and ``PROBE_TRIALS``. The
    gradients a training probe also compares (weights, biases, running statistics) are sums over the
    batch, so a larger batch makes each a longer sum: a wrong order shows in them more surely, not less."""
    return min(PROBE_TRIALS, max(1, -(-PROBE_OUTPUTS // max(outputs, 1))))


def spread_randn(g: torch.Generator, *shape: int) -> Tensor:
    """Normal values times ``exp(2·normal)``: many magnitudes, so summation orders round differently."""
    return torch.randn(*shape, generator=g) * torch.exp(2 * torch.randn(*shape, generator=g))


def fresh(t: Tensor) -> Tensor:
    """A copy in its own allocation: a single model's tensors are their own allocations, and BLAS may
    take another path for data that starts elsewhere in memory."""
    return t.clone(memory_format=torch.contiguous_format)


def parts_equal(draw: Draw, trials: int = PROBE_TRIALS, every: bool = False) -> list[bool]:
    """Per position of ``draw``'s results, whether the batched and per-run bits agreed in every one of
    ``trials`` draws (it stops early once no position agrees; ``every``: once one position differs)."""
    g = torch.Generator().manual_seed(SEED)
    same: list[bool] | None = None
    for _ in range(trials):
        batched, per_run = draw(g)
        now = [torch.equal(a, b) for a, b in zip(batched, per_run, strict=True)]
        same = now if same is None else [s and n for s, n in zip(same, now, strict=True)]
        if not (all(same) if every else any(same)):
            break
    return same


def bit_equal(draw: Draw, trials: int = PROBE_TRIALS) -> bool:
    """Whether the batched and per-run bits agreed everywhere in ``trials`` draws (stops at a difference)."""
    return all(parts_equal(draw, trials, every=True))
