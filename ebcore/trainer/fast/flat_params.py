"""A model's parameters as views of one flat buffer, so an element-wise optimizer updates them all
with one kernel per operation.

``torch.optim``'s updates (and ``ebcore.trainer.fast.lean_optim``'s copy of them) are element-wise: each weight's
new value depends only on its own gradient and state. On a network of ten small tensors, Adam issues
about seventy tiny kernels a step (seven operations × ten tensors); over one buffer holding all ten
it issues seven. The arithmetic per element is the same operation on the same values, so the weights
come out the same, bit for bit (``tests/test_direct_backprop.py`` checks it against the per-tensor update,
and ``tests/test_train_exact.py`` checks ``fit`` against the reference loop).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["ALIGN", "FlatParams"]

ALIGN = 16
"""Each parameter starts at a multiple of 16 floats (64 bytes) in the buffer, as a tensor of its own
would: kernels may pick their code path by a pointer's alignment, so the views keep the forward and
backward on the paths they take for the model's own parameters. The gaps hold zeros: an optimizer
step leaves zero weights with zero gradients at zero."""


class FlatParams:
    """Parameters (a model's, or any float32 tensors: the stacked network's) moved into one float32
    buffer for the length of a training run.

    While held, each ``params[i].data`` is a view of ``values``; ``load(grads)`` copies a step's
    gradients (one per parameter, in order) into ``grad``, the flat gradient an optimizer over
    ``[values]`` reads. ``release()`` gives every parameter its own storage again (same values)."""

    def __init__(self, params: list[Tensor]) -> None:
        self.params = params
        offsets, end = [], 0
        for p in params:
            offsets.append(end)
            end += -(-p.numel() // ALIGN) * ALIGN
        self.offsets = offsets  # where each parameter starts in the buffer (floats)
        self.values = torch.zeros(end)
        self.grad = torch.zeros(end)
        self._grad_views: list[Tensor] = []
        for p, offset in zip(params, offsets, strict=True):
            size = p.numel()
            view = self.values[offset:offset + size].view_as(p)
            view.copy_(p.detach())
            p.data = view
            self._grad_views.append(self.grad[offset:offset + size].view_as(p))

    def load(self, grads: list[Tensor]) -> Tensor:
        """Copy one step's per-parameter gradients into ``grad`` and return it."""
        torch._foreach_copy_(self._grad_views, grads)
        return self.grad

    def release(self) -> None:
        """Give every parameter its own contiguous storage again, keeping its current values."""
        for p in self.params:
            p.data = p.data.clone()
