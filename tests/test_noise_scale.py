"""The gradient noise scale against brute force: per-sample gradients one backward pass at a time,
and the two-batch estimator's expectation over every batch a small training set allows."""

import itertools

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from ebcore.lessons.critical import noise_scale as ns
from ebcore.problems.models import mlp


def small_case(seed: int, n: int = 6, d: int = 3, out: int = 1):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    y = torch.randn(n, out, generator=g)
    return mlp(d, (4,), out, seed=seed), X, y


def by_hand(model, X, y) -> torch.Tensor:
    """One backward pass per sample: the gradient of F.mse_loss on that sample alone, flattened."""
    rows = []
    for i in range(X.shape[0]):
        model.zero_grad()
        F.mse_loss(model(X[i:i + 1]), y[i:i + 1]).backward()
        rows.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]))
    return torch.stack(rows)


@pytest.mark.parametrize("out", [1, 2])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_per_sample_gradients_equal_one_backward_pass_per_sample(seed, out):
    model, X, y = small_case(seed, out=out)
    assert torch.allclose(ns.per_sample_gradients(model, X, y), by_hand(model, X, y), atol=1e-6)


def exact(model, X, y) -> ns.NoiseScale:
    """The noise scale on the whole set, as the critical-batch page's ``noise_run`` measures it."""
    return ns.from_gradients(ns.per_sample_gradients(model, X, y))


@pytest.mark.parametrize("seed", [0, 3])
def test_exact_noise_scale_summed_by_hand(seed):
    model, X, y = small_case(seed, n=7)
    g = by_hand(model, X, y).double()
    n = g.shape[0]
    full = sum(g[i] for i in range(n)) / n
    trace = sum(float((g[i] - full) @ (g[i] - full)) for i in range(n)) / n
    # The full-batch gradient of the mean loss is the mean of the per-sample gradients.
    model.zero_grad()
    F.mse_loss(model(X), y).backward()
    batch = torch.cat([p.grad.reshape(-1) for p in model.parameters()]).double()
    got = exact(model, X, y)
    assert got.grad_sq == pytest.approx(float(full @ full), rel=1e-6)
    assert got.grad_sq == pytest.approx(float(batch @ batch), rel=1e-5)
    assert got.trace == pytest.approx(trace, rel=1e-6)
    assert got.b_simple == pytest.approx(trace / float(full @ full), rel=1e-6)


def exact_expectation(g: torch.Tensor, b: int) -> float:
    """E|G_B|² over every batch of ``b`` indices drawn with replacement (all n^b of them, equally likely)."""
    batches = list(itertools.product(range(g.shape[0]), repeat=b))
    return sum(float(g[list(idx)].mean(0).pow(2).sum()) for idx in batches) / len(batches)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 4), p=st.integers(1, 4),
       sizes=st.sampled_from([(1, 2), (1, 3), (2, 3)]))
def test_two_batch_estimator_is_unbiased_over_every_pair_of_batches(seed, n, p, sizes):
    b_small, b_big = sizes
    g = torch.randn(n, p, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    truth = ns.from_gradients(g)
    small = [float(g[list(i)].mean(0).pow(2).sum()) for i in itertools.product(range(n), repeat=b_small)]
    big = [float(g[list(i)].mean(0).pow(2).sum()) for i in itertools.product(range(n), repeat=b_big)]
    pairs = [ns.from_norms(b_small, s, b_big, b) for s in small for b in big]
    assert sum(e.grad_sq for e in pairs) / len(pairs) == pytest.approx(truth.grad_sq, rel=1e-9, abs=1e-12)
    assert sum(e.trace for e in pairs) / len(pairs) == pytest.approx(truth.trace, rel=1e-9, abs=1e-12)
    # And the identity behind it: E|G_B|² = |G|² + tr(Σ)/B.
    assert exact_expectation(g, b_big) == pytest.approx(truth.grad_sq + truth.trace / b_big, rel=1e-9)


def test_two_batch_average_approaches_the_exact_value():
    model, X, y = small_case(5, n=64, d=4)
    truth = exact(model, X, y)
    few = ns.two_batch(model, X, y, 2, 16, draws=8, seed=0)
    many = ns.two_batch(model, X, y, 2, 16, draws=20_000, seed=0)
    assert many.grad_sq == pytest.approx(truth.grad_sq, rel=0.05)
    assert many.trace == pytest.approx(truth.trace, rel=0.05)
    assert abs(many.b_simple - truth.b_simple) < abs(few.b_simple - truth.b_simple) + 0.05 * truth.b_simple


def test_from_norms_refuses_bad_sizes_and_b_simple_of_no_gradient():
    with pytest.raises(ValueError):
        ns.from_norms(4, 1.0, 4, 1.0)
    assert ns.NoiseScale(grad_sq=0.0, trace=1.0).b_simple == float("inf")


def test_weights_are_not_changed():
    model, X, y = small_case(1)
    before = [p.detach().clone() for p in model.parameters()]
    exact(model, X, y)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.parametrize("seed", [0, 1])
def test_cross_entropy_per_sample_gradients_equal_one_backward_pass_per_sample(seed):
    """The digits' noise scale: each sample's gradient of F.cross_entropy on that sample alone."""
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(12, 5, generator=g), torch.randint(0, 3, (12,), generator=g)
    model = mlp(5, (4,), 3, seed=seed)
    rows = []
    for i in range(X.shape[0]):
        model.zero_grad()
        F.cross_entropy(model(X[i:i + 1]), y[i:i + 1]).backward()
        rows.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]))
    assert torch.allclose(ns.per_sample_gradients(model, X, y, "cross_entropy"), torch.stack(rows), atol=1e-6)
    with pytest.raises(ValueError):
        ns.per_sample_gradients(model, X, y, "hinge")
