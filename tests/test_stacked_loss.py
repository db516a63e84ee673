"""The stacked losses against torch's per-run kernels: the same loss and gradient bits."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from ebcore.stacked import loss as stacked_loss
from ebcore.stacked.loss import StackedLoss, cascade_mean
from ebcore.trainer.fast.direct_backprop import loss_and_grad


def spread(g: torch.Generator, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=g) * torch.exp(3 * torch.randn(*shape, generator=g))


@settings(max_examples=60, deadline=None)
@given(batch=st.one_of(st.integers(1, 300), st.sampled_from([511, 512, 513, 4096, 4097, 4113, 70_001])),
       rows=st.integers(1, 5), classes=st.integers(2, 5), seed=st.integers(0, 10_000))
def test_cascade_mean_is_nll_loss_bit_for_bit(batch, rows, classes, seed):
    g = torch.Generator().manual_seed(seed)
    log_p = torch.log_softmax(spread(g, rows, batch, classes), -1)
    y = torch.randint(0, classes, (rows, batch), generator=g)
    expected = torch.stack([F.nll_loss(log_p[i], y[i]) for i in range(rows)])
    assert torch.equal(cascade_mean(log_p.gather(-1, y.unsqueeze(-1)).squeeze(-1)), expected)


def test_cascade_mean_is_not_a_plain_mean():
    # The test above could pass with torch.mean on lucky draws; a long batch of wide-ranging values
    # rounds differently in another summation order, so the cascade's order is what makes it exact.
    g = torch.Generator().manual_seed(0)
    picked = -spread(g, 64, 4097).abs()
    expected = torch.stack([F.nll_loss(row.unsqueeze(1), torch.zeros(4097, dtype=torch.long)) for row in picked])
    assert torch.equal(cascade_mean(picked), expected)
    assert not torch.equal(-picked.mean(1), expected)


@settings(max_examples=80, deadline=None)
@given(kind=st.sampled_from(["cross_entropy", "mse"]), k=st.integers(1, 9), batch=st.integers(1, 80),
       width=st.one_of(st.integers(1, 4), st.sampled_from([10, 16, 17])), steps=st.integers(1, 4),
       last=st.integers(1, 80), seed=st.integers(0, 10_000))
def test_stacked_loss_gives_each_runs_kernel_bits(kind, k, batch, width, steps, last, seed):
    g = torch.Generator().manual_seed(seed)
    width = max(width, 2) if kind == "cross_entropy" else width
    loss = StackedLoss(kind)
    tokens, expected_values = [], []
    for size in [batch] * steps + [last]:  # a partial last batch has its own width
        out = spread(g, k, size, width)
        if kind == "cross_entropy":
            y = torch.randint(0, width, (k, size), generator=g)
        else:
            y = spread(g, k, size, width)
        pairs = [loss_and_grad(kind, out[i].clone(), y[i].clone()) for i in range(k)]
        grad, token = loss.step(out, y)
        assert torch.equal(grad, torch.stack([p[1] for p in pairs]))
        tokens.append(token)
        expected_values.append(torch.stack([p[0] for p in pairs]))
    assert torch.equal(loss.values(tokens), torch.stack(expected_values, dim=1))


def test_the_batched_paths_are_taken_and_a_refused_probe_goes_per_run(monkeypatch):
    # The log-softmax by columns where a row fits in one vector (its terms then add in the rows' order): three
    # classes on every CPU build, the digits' ten where a vector holds 16 floats (AVX-512; with AVX2's 8 the
    # probe sends them by rows). Two classes go by rows, the faster there.
    assert stacked_loss.batched_way("cross_entropy", 8, 50, 3) == "columns"
    wide = torch.backends.cpu.get_cpu_capability().startswith("AVX512")
    assert stacked_loss.batched_way("cross_entropy", 8, 50, 10) == ("columns" if wide else "rows")
    assert stacked_loss.batched_way("cross_entropy", 8, 50, 2) == "rows"
    assert stacked_loss.batched_way("mse", 8, 16, 1) == "rows"
    out, y = torch.randn(3, 5, 2), torch.randint(0, 2, (3, 5))
    assert StackedLoss("cross_entropy").step(out, y)[1][0] == "picked"
    monkeypatch.setattr(stacked_loss, "batched_way", lambda *args: None)
    grad, token = StackedLoss("cross_entropy").step(out, y)
    assert token[0] == "values"
    assert torch.equal(grad, torch.stack([loss_and_grad("cross_entropy", out[i], y[i])[1] for i in range(3)]))


def test_a_row_longer_than_a_vector_adds_in_another_order_and_the_probe_sees_it():
    """The log-softmax by columns is not the rows' kernel in general: with rows as long as a vector or longer
    (16 floats with AVX-512, 8 with AVX2) the row kernel adds its terms in vector lanes, and about a tenth
    of the probe's values differ. The probe must see that and keep such shapes on the row kernel."""
    width = 4 * 16  # longer than a vector on any of torch's CPU builds
    g = torch.Generator().manual_seed(0)
    out, y = spread(g, 8, 50, width), torch.randint(0, width, (8, 50), generator=g)
    by_rows, by_columns = (stacked_loss._batched_cross_entropy(out, y, columns)[0] for columns in (False, True))
    assert not torch.equal(by_rows, by_columns)
    assert stacked_loss.batched_way("cross_entropy", 8, 50, width) == "rows"
