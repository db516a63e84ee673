"""fit against the real thing: DataLoader batches and the notes' reference loop, bit for bit."""

from __future__ import annotations

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from devtools.reference import OPTIMIZERS, reference_loop
from ebcore import trainer
from ebcore.problems import data, models


def same_floats(a: list[float], b: list[float]) -> bool:
    """Equal float for float, where NaN equals NaN (a run that diverged must diverge in both loops)."""
    return len(a) == len(b) and all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))


def assert_same_state(a: nn.Module, b: nn.Module) -> None:
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for key in sa:
        # Bit for bit, a diverged run's NaNs included (lr 0.1 at batch 1 can blow up: both must)
        torch.testing.assert_close(sa[key], sb[key], rtol=0, atol=0, equal_nan=True, msg=key)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 50),
    batch_size=st.integers(1, 60),
    epochs=st.integers(0, 4),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**63 - 1),
)
def test_epoch_batches_are_the_dataloaders(n, batch_size, epochs, shuffle, drop_last, seed):
    dl = DataLoader(
        TensorDataset(torch.arange(n)),
        batch_size=batch_size,
        shuffle=shuffle,
        drop_last=drop_last,
        generator=torch.Generator().manual_seed(seed),
    )
    ours = list(
        trainer.epoch_batches(n, batch_size, shuffle=shuffle, drop_last=drop_last, seed=seed, epochs=epochs)
    )
    assert len(ours) == epochs
    for batches in ours:
        theirs = [b for (b,) in dl]
        assert len(batches) == len(theirs) == len(dl)
        for mine, real in zip(batches, theirs, strict=True):
            assert mine.dtype == torch.int64
            assert torch.equal(mine, real)


def problem(kind: str, n: int, seed: int):
    """A model and data: 'linear' regression, 'mlp' regression or 'classify' with cross-entropy."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 3, generator=g)
    if kind == "classify":
        y = (X[:, 0] + 0.5 * torch.randn(n, generator=g) > 0).long()
        return models.mlp(3, (8,), 2, seed=seed), X, y, "cross_entropy"
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(n, 1, generator=g)
    model = models.linear(3, 1, seed=seed) if kind == "linear" else models.mlp(3, (8, 8), 1, seed=seed)
    return model, X, y, "mse"


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["linear", "mlp", "classify"]),
    n=st.integers(1, 40),
    batch_size=st.integers(1, 16),
    epochs=st.integers(1, 4),
    drop_last=st.booleans(),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**32),
    optimizer=st.sampled_from(sorted(OPTIMIZERS)),
    momentum=st.sampled_from([0.0, 0.5]),
    lr=st.sampled_from([0.1, 0.01]),
)
def test_epoch_loss_and_weights_are_bit_exact(
    kind, n, batch_size, epochs, drop_last, shuffle, seed, optimizer, momentum, lr
):
    assume(not (drop_last and batch_size > n))
    if optimizer == "adam":
        momentum = 0.0
    model, X, y, loss = problem(kind, n, seed)
    cfg = trainer.TrainConfig(
        epochs,
        batch_size,
        lr=lr,
        optimizer=optimizer,
        momentum=momentum,
        drop_last=drop_last,
        shuffle=shuffle,
        seed=seed,
        loss=loss,
    )
    reference = copy.deepcopy(model)
    expected = reference_loop(reference, X, y, cfg)
    history = trainer.fit(model, X, y, cfg)
    assert same_floats(history.epoch_loss, expected)  # exact float equality, not approx
    assert_same_state(model, reference)


@pytest.mark.parametrize("batch_size", [16, 128])
def test_seed_experiment_is_reproduced_exactly(batch_size):
    """The notes' own setup: their data, a LinearModel wrapper, MSELoss, SGD(lr=0.1), 5 epochs."""

    class LinearModel(nn.Module):
        def __init__(self, linear):
            super().__init__()
            self.linear = linear

        def forward(self, x):
            return self.linear(x)

    X, y = data.seed_regression()
    model = models.linear()
    reference = LinearModel(copy.deepcopy(model))
    cfg = trainer.TrainConfig(epochs=5, batch_size=batch_size)
    expected = reference_loop(reference, X, y, cfg)
    assert same_floats(trainer.fit(model, X, y, cfg).epoch_loss, expected)
    assert torch.equal(model.weight, reference.linear.weight) and torch.equal(
        model.bias, reference.linear.bias
    )


def replay(model: nn.Module, X, y, cfg: trainer.TrainConfig):
    """Hand-run the reference loop, recording per step what fit claims to record."""
    optimizer = OPTIMIZERS[cfg.optimizer](model.parameters(), cfg)
    records = []
    for epoch, batches in enumerate(
        trainer.epoch_batches(
            X.shape[0],
            cfg.batch_size,
            shuffle=cfg.shuffle,
            drop_last=cfg.drop_last,
            seed=cfg.seed,
            epochs=cfg.epochs,
        )
    ):
        for step, idx in enumerate(batches):
            optimizer.zero_grad()
            outputs = model(X[idx])
            before = outputs.detach().clone()
            loss = (
                F.cross_entropy(outputs, y[idx])
                if cfg.loss == "cross_entropy"
                else F.mse_loss(outputs, y[idx])
            )
            loss.backward()
            grad_norm = torch.nn.utils.get_total_norm([p.grad for p in model.parameters()]).item()
            optimizer.step()
            with torch.no_grad():
                after = model(X[idx])
            records.append((epoch, step, idx, before, after, loss.item(), grad_norm))
    return records


@pytest.mark.parametrize("kind", ["linear", "classify"])
def test_recorded_steps_match_a_hand_replay(kind):
    model, X, y, loss = problem(kind, 37, seed=3)
    cfg = trainer.TrainConfig(epochs=3, batch_size=8, lr=0.05, optimizer="sgd_momentum", loss=loss, seed=11)
    records = replay(copy.deepcopy(model), X, y, cfg)
    history = trainer.fit(model, X, y, cfg, record_predictions=True)

    assert len(history.predictions) == len(records) == len(history.step_loss)
    changed = 0
    for rec, pred, loss_value, norm, size in zip(
        records,
        history.predictions,
        history.step_loss,
        history.step_grad_norm,
        history.step_batch_size,
        strict=True,
    ):
        epoch, step, idx, before, after, ref_loss, ref_norm = rec
        assert (pred.epoch, pred.step) == (epoch, step)
        assert torch.equal(pred.indices, idx)
        assert torch.equal(pred.outputs, before)  # answered before the update...
        changed += not torch.equal(pred.outputs, after)  # ...which then moved the answers
        assert loss_value == ref_loss
        assert norm == pytest.approx(ref_norm, rel=1e-6)
        assert size == idx.shape[0]
    assert changed > len(records) // 2

    if loss == "cross_entropy":
        for epoch in range(cfg.epochs):
            preds = [p for p in history.predictions if p.epoch == epoch]
            right = sum((p.outputs.argmax(1) == y[p.indices]).sum().item() for p in preds)
            assert history.epoch_accuracy[epoch] == right / sum(p.indices.shape[0] for p in preds)
