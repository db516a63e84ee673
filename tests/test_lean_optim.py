"""``LeanOptimizer`` against ``torch.optim`` itself (its default CPU update), bit for bit."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ebcore.trainer.fast.lean_optim import LeanOptimizer

SHAPES = [(64, 2), (64,), (1,), (2, 64), (3, 5, 7), (1, 1), (17,)]


def reference(params: list[torch.Tensor], kind: str, momentum: float) -> torch.optim.Optimizer:
    if kind in ("sgd", "sgd_momentum"):
        return torch.optim.SGD(params, lr=0.1, momentum=momentum)
    if kind == "adam":
        return torch.optim.Adam(params, lr=0.1)
    return torch.optim.RMSprop(params, lr=0.1, momentum=momentum)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["sgd", "sgd_momentum", "adam", "rmsprop"]),
    momentum=st.sampled_from([0.0, 0.5, 0.9]),
    shapes=st.lists(st.sampled_from(SHAPES), min_size=1, max_size=6),
    lrs=st.lists(st.sampled_from([1e-4, 0.003, 0.01, 0.1, 0.3, 1.0, 3.0]), min_size=1, max_size=12),
    seed=st.integers(0, 2**16),
    skip=st.integers(0, 5),
    scale=st.sampled_from([1e-6, 1.0, 1e4]),
)
def test_the_same_weights_as_torch_optim_bit_for_bit(kind, momentum, shapes, lrs, seed, skip, scale):
    g = torch.Generator().manual_seed(seed)
    start = [torch.randn(s, generator=g) for s in shapes]
    ours = [p.clone().requires_grad_() for p in start]
    theirs = [p.clone().requires_grad_() for p in start]
    lean, optim = LeanOptimizer(ours, kind, momentum), reference(theirs, kind, momentum)
    for k, lr in enumerate(lrs):
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            # every so often one parameter gets no gradient this step: both must skip it
            if skip and (k + i) % (skip + 1) == 0 and len(ours) > 1:
                a.grad = b.grad = None
            else:
                grad = torch.randn(a.shape, generator=g) * scale
                a.grad, b.grad = grad.clone(), grad.clone()
        for group in optim.param_groups:
            group["lr"] = lr
        lean.step(lr)
        optim.step()
        for a, b in zip(ours, theirs, strict=True):
            assert torch.equal(a, b)


def test_an_unknown_optimizer_is_refused():
    with pytest.raises(ValueError, match="unknown optimizer"):
        LeanOptimizer([torch.zeros(1, requires_grad=True)], "lbfgs")
