"""StepNorms: chunked per-step gradient norms equal fit's, whatever the chunk size and whatever the probe says."""

from __future__ import annotations

import pytest
import torch
from conftest import one_ulp_up

from ebcore import trainer
from ebcore.problems import models
from ebcore.stacked import fit_many, probe, step_norms
from ebcore.trainer import TrainConfig


def _runs(norm: str | None, n: int, batch_size: int, epochs: int):
    g = torch.Generator().manual_seed(3)
    X, y = torch.randn(n, 2, generator=g), torch.randint(2, (n,), generator=g)
    configs = [TrainConfig(epochs=epochs, batch_size=batch_size, lr=0.05, optimizer="adam", seed=s,
                           loss="cross_entropy") for s in range(4)]
    expected = [trainer.fit(models.mlp(2, (16, 16), 2, norm=norm, seed=s), X, y, c).step_grad_norm
                for s, c in enumerate(configs)]
    got = [h.step_grad_norm for h in fit_many([models.mlp(2, (16, 16), 2, norm=norm, seed=s) for s in range(4)],
                                               X, y, configs)]
    return expected, got


@pytest.mark.parametrize("rows", [1, 3, 7, 1000])
def test_norms_equal_fit_for_any_chunk_of_steps(monkeypatch, rows):
    # 7 steps an epoch (50 samples, batch 8, partial last): chunks of 1, 3 and 7 rows, and one chunk for all
    width = None

    real = step_norms.StepNorms.__init__

    def init(self, layout, k, width_, steps):
        nonlocal width
        width = width_
        monkeypatch.setattr(step_norms, "CHUNK_BYTES", rows * 4 * width_)
        real(self, layout, k, width_, steps)
        assert self.rows == min(rows, steps)

    monkeypatch.setattr(step_norms.StepNorms, "__init__", init)
    expected, got = _runs("batch", 50, 8, 3)
    assert width is not None  # the stacked group did take its norms from StepNorms
    assert got == expected


def test_a_layout_the_probe_refuses_is_reduced_stretch_by_stretch(monkeypatch):
    calls = []

    def refuse(*args):
        calls.append(args)
        return False

    monkeypatch.setattr(step_norms, "exact_rows", refuse)
    expected, got = _runs(None, 40, 6, 2)
    assert calls and got == expected


def test_the_reference_is_each_stretch_as_a_tensor_of_its_own():
    g = torch.Generator().manual_seed(0)
    buffer = probe.spread_randn(g, 5, 96)
    view = step_norms._chunk_views(buffer, 5, 16, 4, 20)
    reference = step_norms._each(view)
    assert reference.shape == (5, 4)
    for row in range(5):
        for run in range(4):
            start = 16 + 20 * run
            assert torch.equal(reference[row, run], torch.linalg.vector_norm(buffer[row, start:start + 20].clone()))


def test_the_probe_refuses_a_reduction_that_differs(monkeypatch):
    step_norms.exact_rows.cache_clear()
    monkeypatch.setattr(torch.linalg, "vector_norm", one_ulp_up(torch.linalg.vector_norm, lambda x: x.dim() == 3))
    assert not step_norms.exact_rows(4, 20, 96, 16)
    monkeypatch.undo()
    step_norms.exact_rows.cache_clear()
    assert step_norms.exact_rows(4, 20, 96, 16)


@pytest.mark.parametrize("rows", [1, 3, 40, 600])
@pytest.mark.parametrize("k,per_run,width,offset", [(8, 32, 2320, 528), (8, 1024, 9456, 784), (50, 2, 400, 288),
                                                    (3, 7, 48, 0)])
def test_the_chunked_call_treats_every_row_alike_however_many_rows(rows, k, per_run, width, offset):
    # The probe looks at PROBE_ROWS rows of a layout; here every stretch of 1 to 600 rows is compared.
    g = torch.Generator().manual_seed(rows + k)
    buffer = probe.spread_randn(g, rows, width)
    view = step_norms._chunk_views(buffer, rows, offset, k, per_run)
    assert torch.equal(torch.linalg.vector_norm(view, 2, -1), step_norms._each(view))
