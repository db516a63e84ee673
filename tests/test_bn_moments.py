"""bn_moments: a stretch of steps' batch means and variances equal each step's own reductions, bit for bit."""

from __future__ import annotations

import torch
from conftest import one_ulp_up

from ebcore.stacked import bn_moments
from ebcore.stacked.net import _spread_randn


def _steps(sizes: list[int], channels: int = 32) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(len(sizes))
    return [_spread_randn(g, size, channels) for size in sizes]


def _alone(inputs):
    return [x.clone().mean([0]) for x in inputs], [x.clone().var([0], correction=0) for x in inputs]


def test_stretches_of_equal_batches_and_a_partial_last_one_equal_each_step():
    inputs = _steps([50] * 39 + [10] + [50] * 3 + [1])
    means, variances = bn_moments.batch_moments(inputs)
    expected_means, expected_vars = _alone(inputs)
    assert len(means) == len(inputs)
    for got, want in zip(means + variances, expected_means + expected_vars, strict=True):
        assert torch.equal(got, want)


def test_a_shape_the_probe_refuses_is_reduced_step_by_step(monkeypatch):
    asked = []

    def refuse(*shape):
        asked.append(shape)
        return False

    monkeypatch.setattr(bn_moments, "exact_stacked", refuse)
    inputs = _steps([7] * 5 + [3])
    means, variances = bn_moments.batch_moments(inputs)
    assert asked == [(5, 7, 32)]
    for got, want in zip(means + variances, sum(_alone(inputs), []), strict=True):
        assert torch.equal(got, want)


def test_the_probe_refuses_a_reduction_that_differs(monkeypatch):
    bn_moments.exact_stacked.cache_clear()
    monkeypatch.setattr(torch.Tensor, "mean", one_ulp_up(torch.Tensor.mean, lambda x: x.dim() == 3))
    assert not bn_moments.exact_stacked(6, 9, 32)
    monkeypatch.undo()
    bn_moments.exact_stacked.cache_clear()
    assert bn_moments.exact_stacked(6, 9, 32)
