"""Per-step gradient norms of K stacked runs, reduced a chunk of steps at a time.

``fit`` records each step's global gradient norm from ``torch._foreach_norm`` over the model's gradients:
one L2 norm per parameter tensor. A stacked step holds K runs' gradients; taking their norms every step
costs one reduction per parameter tensor (ten for the demo MLP), about a tenth of a small stacked step.
``StepNorms`` instead copies each step's flat gradient (``FlatParams.grad``, every parameter of every
run in one buffer) into a row of a chunk buffer, one copy a step, and reduces all rows of a chunk with one
call per parameter tensor. Each (step, run, tensor) norm is still one contiguous stretch of floats
reduced on its own; ``exact_rows`` asks once per layout whether the chunked call gives the bits of
``_foreach_norm`` on that stretch as a fresh tensor (a reduction may pick its code path by the length,
stride and start of the stretches), and any tensor it does not vouch for is reduced stretch by stretch,
as ``fit`` would. The probe looks at ``PROBE_ROWS`` rows of the layout: a reduction over the last
dimension treats each output's stretch alike however many outputs there are (``tests/test_step_norms.py``
checks the chunked call against every stretch for 1 to 600 rows), and a probe over an exam epoch's
thousand rows would cost more than the norms it saves. A group with several learning-rate blocks keeps
no flat buffer; ``each_step`` takes its norms a step at a time.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

from ebcore.stacked.probe import bit_equal, fresh, spread_randn

__all__ = ["CHUNK_BYTES", "PROBE_ROWS", "each_step", "exact_rows", "StepNorms"]

CHUNK_BYTES = 16 * 2**20
"""At most this much gradient history is held before it is reduced (a chunk of steps)."""
PROBE_ROWS = 8
"""Rows (steps) of a layout a probe compares, each of K stretches; over the probe's random draws."""


def _chunk_views(buffer: Tensor, rows: int, offset: int, k: int, per_run: int) -> Tensor:
    """Rows ``0..rows-1`` of one parameter's stretch of ``buffer``: ``(rows, K, per_run)``, a view."""
    return buffer[:rows, offset:offset + k * per_run].unflatten(1, (k, per_run))


def _each(stretches: Tensor) -> Tensor:
    """The reference: ``_foreach_norm`` of every ``(row, run)`` stretch as a fresh tensor → ``(rows, K)``."""
    rows, k, _ = stretches.shape
    fresh = [s.clone(memory_format=torch.contiguous_format) for s in stretches.reshape(rows * k, -1).unbind(0)]
    return torch.stack(torch._foreach_norm(fresh)).view(rows, k)


@functools.lru_cache(maxsize=1024)
def exact_rows(k: int, per_run: int, width: int, offset: int) -> bool:
    """Whether ``vector_norm(..., dim=-1)`` over the ``(rows, K, per_run)`` view at ``offset`` of a
    ``(rows, width)`` buffer gives, for every stretch, ``_foreach_norm``'s bits on a fresh copy of it."""
    buffer = torch.zeros(PROBE_ROWS, width)
    view = _chunk_views(buffer, PROBE_ROWS, offset, k, per_run)

    def draw(g: torch.Generator) -> tuple[list[Tensor], list[Tensor]]:
        # random values only where this parameter's stretches lie: the rest of the row is never read
        view.copy_(spread_randn(g, PROBE_ROWS, k, per_run))
        return [torch.linalg.vector_norm(view, 2, -1)], [_each(view)]

    return bit_equal(draw)


class StepNorms:
    """Collects K stacked runs' step gradients (flat buffers of ``width`` floats, the parameters at
    ``layout`` = ``[(offset, per-run size), ...]`` in ``params`` order) and returns their per-tensor
    L2 norms, ``(K, steps, P)``, equal to ``_foreach_norm`` on each run's own gradients."""

    def __init__(self, layout: list[tuple[int, int]], k: int, width: int, steps: int) -> None:
        self.layout, self.k, self.width = layout, k, width
        self.rows = max(1, min(steps, CHUNK_BYTES // (4 * width)))
        self.buffer = torch.empty(self.rows, width)
        self.pending = 0
        self.done: list[Tensor] = []  # (steps of a chunk, K, P) per reduced chunk

    def add(self, flat_grad: Tensor) -> None:
        """Record one step's flat gradient (copied: the caller's buffer is reused next step)."""
        self.buffer[self.pending].copy_(flat_grad)
        self.pending += 1
        if self.pending == self.rows:
            self._reduce()

    def _reduce(self) -> None:
        rows, k = self.pending, self.k
        if rows == 0:
            return
        columns = []
        for offset, per_run in self.layout:
            view = _chunk_views(self.buffer, rows, offset, k, per_run)
            if exact_rows(k, per_run, self.width, offset):
                columns.append(torch.linalg.vector_norm(view, 2, -1))
            else:
                columns.append(_each(view))
        self.done.append(torch.stack(columns, dim=2))
        self.pending = 0

    def take(self) -> Tensor:
        """The norms of every step added since the last ``take``: ``(K, steps, P)``; starts afresh."""
        self._reduce()
        norms = torch.cat(self.done, dim=0) if self.done else torch.empty(0, self.k, len(self.layout))
        self.done = []
        return norms.transpose(0, 1)


# --- a step at a time: the groups that do not keep one flat buffer (several learning-rate blocks) ----------


def each_step(grads: list[Tensor]) -> Tensor:
    """Per run, the per-tensor L2 norms of one step's gradients ``grads`` (``(K, ...)`` each), ``(K, P)``:
    the norms ``fit`` takes with ``torch._foreach_norm``, in one reduction per tensor where that gives
    the same bits (asked once per shape)."""
    norms = []
    for grad in grads:
        if _norm_exact(tuple(grad.shape)):  # the row norms, as ``Tensor.norm(dim=1)`` without its wrapper
            norms.append(torch.linalg.vector_norm(grad.reshape(grad.shape[0], -1), 2, 1))
        else:
            norms.append(torch.stack(torch._foreach_norm([fresh(row) for row in grad.unbind(0)])))
    return torch.stack(norms, dim=1)


@functools.lru_cache(maxsize=1024)
def _norm_exact(shape: tuple[int, ...]) -> bool:
    """Whether a row-wise norm of a ``shape`` stack (run axis first) equals ``_foreach_norm`` of each row."""
    def draw(g: torch.Generator) -> tuple[list[Tensor], list[Tensor]]:
        grads = spread_randn(g, *shape)
        rows = torch.stack(torch._foreach_norm([fresh(row) for row in grads.unbind(0)]))
        return [torch.linalg.vector_norm(grads.view(shape[0], -1), 2, 1)], [rows]

    return bit_equal(draw)
