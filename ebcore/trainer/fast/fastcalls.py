"""The backward call of a training loop, minus the Python wrapper around it.

On a small model one step costs tens of microseconds of arithmetic, and ``loss.backward()`` adds about
as much again in Python: building the backward seed and checking arguments. Where
``ebcore.trainer.fast.direct_backprop`` does not take a model, ``fit`` calls the same engine through this, so its
numbers are unchanged, bit for bit.
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch.autograd.graph import _engine_run_backward

__all__ = ["backward"]

_ONE = torch.ones(())


def backward(loss: Tensor) -> None:
    """``loss.backward()`` for a 0-d float32 loss: the autograd engine, seeded with 1, accumulating into ``.grad``."""
    _engine_run_backward((loss,), (_ONE,), False, False, (), allow_unreachable=True, accumulate_grad=True)
