"""The two per-step calls of a training loop, minus the Python wrappers around them.

On a small model one step costs tens of microseconds of arithmetic, and ``loss.backward()`` and
``optimizer.step()`` add about as much again in Python: building the backward seed, checking arguments,
the profiler's ``record_function`` and the hook machinery around every ``step``. Both trainers call
the same engine and the same update code through these, so their numbers are unchanged, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor
from torch.autograd.graph import _engine_run_backward

_ONE = torch.ones(())


def backward(loss: Tensor) -> None:
    """``loss.backward()`` for a 0-d float32 loss: the autograd engine, seeded with 1, accumulating into ``.grad``."""
    _engine_run_backward((loss,), (_ONE,), False, False, (), allow_unreachable=True, accumulate_grad=True)


def step_function(optimizer: torch.optim.Optimizer) -> Callable[[], object]:
    """``optimizer.step`` without the profiling and hook wrapper ``torch.optim`` patches around it.

    The wrapper only records a profiler range and runs step hooks (none are registered here); the
    function it wraps is the optimizer's own ``step`` with its grad-mode guard. Falls back to
    ``optimizer.step`` if this torch has no such wrapper.
    """
    inner = getattr(type(optimizer).step, "__wrapped__", None)
    if inner is None or optimizer._optimizer_step_pre_hooks or optimizer._optimizer_step_post_hooks:
        return optimizer.step
    return lambda: inner(optimizer)


def backward_many(losses: list[Tensor]) -> None:
    """``torch.autograd.backward(losses)``: each 0-d loss seeded with 1, in one engine call."""
    _engine_run_backward(tuple(losses), (_ONE,) * len(losses), False, False, (), allow_unreachable=True,
                         accumulate_grad=True)
