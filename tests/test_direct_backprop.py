"""``DirectBackprop`` against autograd: outputs, loss, every gradient and BatchNorm's state, bit for bit,
and ``FlatParams`` (one buffer, one update) against the per-tensor optimizer it replaces."""

from __future__ import annotations

import copy

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from ebcore.problems import models
from ebcore.trainer.fast.direct_backprop import DirectBackprop, supports
from ebcore.trainer.fast.flat_params import FlatParams
from ebcore.trainer.fast.lean_optim import LeanOptimizer


def autograd_step(model: nn.Module, loss: str, x: torch.Tensor, y: torch.Tensor):
    for p in model.parameters():
        p.grad = None
    out = model(x)
    value = F.mse_loss(out, y) if loss == "mse" else F.cross_entropy(out, y)
    value.backward()
    return value, out, [p.grad for p in model.parameters()]


def batch(g: torch.Generator, size: int, features: int, outputs: int, loss: str):
    x = torch.randn(size, features, generator=g) * 3
    if loss == "mse":
        return x, torch.randn(size, outputs, generator=g)
    return x, torch.randint(0, outputs, (size,), generator=g)


@settings(max_examples=80, deadline=None)
@given(
    norm=st.sampled_from([None, "batch", "layer", "group"]),
    hidden=st.sampled_from([(), (1,), (8,), (5, 7), (64, 64), (3, 16, 9)]),
    features=st.integers(1, 5),
    outputs=st.integers(1, 4),
    loss=st.sampled_from(["mse", "cross_entropy"]),
    sizes=st.lists(st.integers(2, 70), min_size=1, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_the_same_step_as_autograd_bit_for_bit(norm, hidden, features, outputs, loss, sizes, seed):
    if loss == "cross_entropy" and outputs == 1:
        outputs = 2
    g = torch.Generator().manual_seed(seed)
    theirs = models.mlp(features, hidden, outputs, norm=norm, seed=seed) if hidden else models.linear(
        features, outputs, seed=seed)
    ours = copy.deepcopy(theirs)
    direct = DirectBackprop(ours, loss)
    for size in sizes:  # several steps, with an update between them, so BatchNorm's running state moves
        x, y = batch(g, size, features, outputs, loss)
        assert supports(ours, loss, x, y)
        want = autograd_step(theirs, loss, x, y)
        got = direct.step(x, y)
        assert torch.equal(got[0], want[0]) and torch.equal(got[1], want[1].detach())
        assert len(got[2]) == len(want[2])
        for a, b in zip(got[2], want[2], strict=True):
            assert a.shape == b.shape and torch.equal(a, b)
        with torch.no_grad():
            for p, q, grad in zip(ours.parameters(), theirs.parameters(), got[2], strict=True):
                p.sub_(0.1 * grad)
                q.sub_(0.1 * q.grad)
        for (name, a), b in zip(ours.state_dict().items(), theirs.state_dict().values(), strict=True):
            assert torch.equal(a, b), name


def test_a_batch_of_one_fails_as_the_module_does():
    theirs = models.mlp(2, (4,), 2, norm="batch")
    ours = copy.deepcopy(theirs)
    x, y = torch.randn(1, 2), torch.tensor([1])
    with pytest.raises(ValueError) as want:
        autograd_step(theirs, "cross_entropy", x, y)
    with pytest.raises(ValueError) as got:
        DirectBackprop(ours, "cross_entropy").step(x, y)
    assert str(got.value) == str(want.value)
    assert ours[1].num_batches_tracked.item() == theirs[1].num_batches_tracked.item() == 1


def test_what_it_does_not_take_trains_through_autograd():
    x, y = torch.randn(4, 2), torch.randn(4, 1)
    plain = models.mlp(2, (4,), 1)
    assert supports(plain, "mse", x, y)
    assert not supports(plain, "mse", x, torch.randn(4))  # would broadcast
    assert not supports(nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1)), "mse", x, y)
    frozen = models.mlp(2, (4,), 1)
    frozen[0].weight.requires_grad_(False)
    assert not supports(frozen, "mse", x, y)
    hooked = models.mlp(2, (4,), 1)
    hooked[1].register_forward_hook(lambda *_: None)
    assert not supports(hooked, "mse", x, y)
    assert not supports(plain, "mse", x.double(), y)


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["sgd", "sgd_momentum", "adam", "rmsprop"]),
    momentum=st.sampled_from([0.0, 0.5, 0.9]),
    shapes=st.lists(st.sampled_from([(64, 2), (64,), (1,), (2, 64), (3, 5), (1, 1), (17,), (9, 9)]),
                    min_size=1, max_size=8),
    steps=st.integers(1, 12),
    seed=st.integers(0, 2**16),
    scale=st.sampled_from([1e-6, 1.0, 1e4]),
)
def test_one_flat_update_equals_the_per_tensor_update(kind, momentum, shapes, steps, seed, scale):
    g = torch.Generator().manual_seed(seed)
    start = [torch.randn(s, generator=g) for s in shapes]
    alone = [p.clone() for p in start]
    held = [nn.Parameter(p.clone()) for p in start]
    flat = FlatParams(held)
    per_tensor, one = LeanOptimizer(alone, kind, momentum), LeanOptimizer([flat.values], kind, momentum)
    for k in range(steps):
        grads = [torch.randn(s, generator=g) * scale for s in shapes]
        lr = [1e-3, 0.01, 0.1, 1.0][k % 4]
        per_tensor.step(lr, grads)
        one.step(lr, [flat.load(grads)])
        for a, b in zip(alone, held, strict=True):
            assert torch.equal(a, b)
    flat.release()
    before = held[0].clone()
    flat.values.add_(1)  # released: the parameters no longer live in the buffer
    assert torch.equal(held[0], before)
