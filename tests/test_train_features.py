"""fit's knobs and records: config checks, budget, early stopping, warm-up, BatchNorm, logs."""

from __future__ import annotations

import copy
import math
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader

from ebcore import trainer
from ebcore.primitives.calc import loader_length
from ebcore.problems import data, models

# --- configuration -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": True}, "batch_size"),
        ({"lr": 0.0}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"optimizer": "adagrad"}, "optimizer"),
        ({"momentum": 1.0}, "momentum"),
        ({"optimizer": "adam", "momentum": 0.9}, "momentum"),
        ({"drop_last": 1}, "drop_last"),
        ({"shuffle": "yes"}, "shuffle"),
        ({"seed": -1}, "seed"),
        ({"loss": "bce"}, "loss"),
        ({"lr_scale_base_batch": 0}, "lr_scale_base_batch"),
        ({"warmup_epochs": 11}, "warmup_epochs"),
        ({"warmup_start_factor": 0.0}, "warmup_start_factor"),
        ({"patience": -1}, "patience"),
        ({"patience": 2, "min_delta": -0.1}, "min_delta"),
        ({"restore_best_weights": True}, "restore_best_weights"),
        ({"monitor": "val_accuracy"}, "monitor"),
    ],
)
def test_bad_config_names_the_argument(kwargs, name):
    args = {"epochs": 10, "batch_size": 4} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}\b|{name}="):
        trainer.TrainConfig(**args)


def test_sgd_momentum_defaults_to_the_notes_momentum():
    assert trainer.TrainConfig(1, 1, optimizer="sgd_momentum").momentum == trainer.SGD_MOMENTUM_DEFAULT == 0.9
    assert trainer.TrainConfig(1, 1, optimizer="sgd_momentum", momentum=0.5).momentum == 0.5
    assert hash(trainer.TrainConfig(1, 1)) == hash(trainer.TrainConfig(1, 1))


# --- budget --------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 3000), batch=st.integers(1, 3000), epochs=st.integers(1, 50), drop_last=st.booleans())
def test_steps_needed_counts_dataloader_batches(n, batch, epochs, drop_last):
    cfg = trainer.TrainConfig(epochs, batch, drop_last=drop_last)
    per_epoch = len(DataLoader(range(n), batch_size=batch, drop_last=drop_last))
    assert trainer.steps_needed(n, cfg) == epochs * per_epoch
    assert trainer.samples_needed(n, cfg, n_val=7) == epochs * (n + 7)


def test_over_budget_raises_before_any_work():
    X, y = data.seed_regression(n=1000)
    model = models.linear()
    before = copy.deepcopy(model.state_dict())
    too_many_steps = trainer.TrainConfig(epochs=trainer.STEP_BUDGET // 1000 + 1, batch_size=1)
    assert trainer.steps_needed(1000, too_many_steps) > trainer.STEP_BUDGET
    calls = []
    with pytest.raises(ValueError, match="budget"):
        trainer.fit(model, X, y, too_many_steps, on_epoch=lambda h, e: calls.append(e))
    too_many_samples = trainer.TrainConfig(epochs=trainer.SAMPLE_BUDGET // 1000 + 1, batch_size=1000)
    assert trainer.steps_needed(1000, too_many_samples) <= trainer.STEP_BUDGET
    with pytest.raises(ValueError, match="budget"):
        trainer.fit(model, X, y, too_many_samples)
    too_many_epochs = trainer.TrainConfig(epochs=trainer.EPOCH_BUDGET + 1, batch_size=1000)
    assert trainer.steps_needed(1, too_many_epochs) <= trainer.STEP_BUDGET
    with pytest.raises(ValueError, match="epochs"):
        trainer.fit(model, X[:1], y[:1], too_many_epochs)
    with pytest.raises(ValueError, match="no batch"):
        trainer.fit(model, X[:3], y[:3], trainer.TrainConfig(1, 4, drop_last=True))
    assert calls == []
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key])
    fits = trainer.TrainConfig(epochs=trainer.STEP_BUDGET // 1000, batch_size=1)
    assert trainer.check_budget(1000, fits) == trainer.steps_needed(1000, fits) <= trainer.STEP_BUDGET


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 5000),
    batch=st.integers(1, 5000),
    drop_last=st.booleans(),
    n_val=st.sampled_from([0, 1, 500, 5000]),
)
def test_max_epochs_is_the_largest_that_passes(n, batch, drop_last, n_val):
    most = trainer.max_epochs(n, batch, drop_last=drop_last, n_val=n_val)
    if most >= 1:
        cfg = trainer.TrainConfig(most, batch, drop_last=drop_last)
        assert trainer.check_budget(n, cfg, n_val) == trainer.steps_needed(n, cfg)
    if most < trainer.EPOCH_BUDGET and loader_length(n, batch, drop_last) > 0:
        with pytest.raises(ValueError, match="budget"):
            trainer.check_budget(n, trainer.TrainConfig(most + 1, batch, drop_last=drop_last), n_val)


# --- early stopping --------------------------------------------------------------------------------


def overfitting_problem(seed: int):
    """A wide MLP on few noisy, shuffled samples: validation loss falls, then wanders up."""
    X, y = data.seed_regression(n=60, noise=0.5, seed=seed)
    perm = torch.randperm(60, generator=torch.Generator().manual_seed(seed))
    (X_train, y_train), validation = data.validation_split(X[perm], y[perm], 0.3)
    return models.mlp(1, (32,), 1, seed=seed), X_train, y_train, validation


def keras_rule(series: list[float], patience: int, min_delta: float) -> tuple[int, int | None, int]:
    """Keras 3 EarlyStopping(monitor, mode='min') replayed by hand on a recorded series.

    Returns (best epoch, stopped epoch or None, epochs run), 0-based like Keras's `epoch`.
    """
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, current in enumerate(series):
        wait += 1
        if current + min_delta < best:  # Keras: monitor_op(current - (-min_delta), best)
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return best_epoch, epoch, epoch + 1
    return best_epoch, None, len(series)


@settings(max_examples=15, deadline=None)
@given(
    patience=st.integers(0, 4),
    min_delta=st.sampled_from([0.0, 1e-3, 0.02]),
    seed=st.integers(0, 1000),
    batch_size=st.sampled_from([4, 16]),
)
def test_early_stopping_follows_keras_and_restores_the_best_epoch(patience, min_delta, seed, batch_size):
    model, X_train, y_train, validation = overfitting_problem(seed)
    cfg = trainer.TrainConfig(
        epochs=25,
        batch_size=batch_size,
        lr=0.05,
        optimizer="adam",
        seed=seed,
        patience=patience,
        min_delta=min_delta,
        restore_best_weights=True,
    )
    snapshots = []
    history = trainer.fit(
        model,
        X_train,
        y_train,
        cfg,
        validation_data=validation,
        on_epoch=lambda h, e: snapshots.append(copy.deepcopy(model.state_dict())),
    )
    best, stopped, ran = keras_rule(history.val_loss, patience, min_delta)
    assert (history.best_epoch, history.stopped_epoch, history.epochs_run) == (best, stopped, ran)
    assert len(snapshots) == ran
    for key, value in model.state_dict().items():
        assert torch.equal(value, snapshots[best][key]), key


def test_early_stopping_stops_and_rolls_back():
    """One fixed run where stopping does happen and the best epoch is not the last."""
    model, X_train, y_train, validation = overfitting_problem(0)
    cfg = trainer.TrainConfig(
        epochs=50, batch_size=4, lr=0.05, optimizer="adam", patience=2, restore_best_weights=True
    )
    history = trainer.fit(model, X_train, y_train, cfg, validation_data=validation)
    assert history.stopped_epoch is not None and history.epochs_run < 50
    assert history.best_epoch < history.stopped_epoch
    lines = history.log_lines()
    assert lines[-2] == f"Epoch {history.stopped_epoch + 1}: early stopping"
    assert lines[-1].endswith(f"best epoch: {history.best_epoch + 1}.")
    model.eval()
    with torch.no_grad():
        assert F.mse_loss(model(validation[0]), validation[1]).item() == history.val_loss[history.best_epoch]


def test_early_stopping_on_val_loss_needs_validation_data():
    X, y = data.seed_regression(n=20)
    with pytest.raises(ValueError, match="validation_data"):
        trainer.fit(models.linear(), X, y, trainer.TrainConfig(3, 4, patience=1))


# --- learning rate ---------------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [8, 32, 100])
def test_warmup_and_linear_scaling_follow_linear_lr(batch_size):
    X, y = data.seed_regression(n=200)
    cfg = trainer.TrainConfig(
        epochs=5,
        batch_size=batch_size,
        lr=0.001,
        lr_scale_base_batch=32,
        warmup_epochs=3,
        warmup_start_factor=0.1,
    )
    history = trainer.fit(models.linear(), X, y, cfg)
    steps = loader_length(200, batch_size)
    base = 0.001 * (batch_size / 32)  # the notes' linear scaling rule
    assert cfg.base_lr == base
    # Reference: PyTorch's own LinearLR scheduler over the same number of warm-up steps.
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=base)
    sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=3 * steps)
    expected = []
    for _ in range(5 * steps):
        expected.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert history.step_lr == pytest.approx(expected, rel=1e-12)
    assert history.step_lr[0] == pytest.approx(0.1 * base)
    assert history.step_lr[3 * steps :] == [base] * (2 * steps)


def test_recorded_learning_rates_are_the_ones_used():
    """Replaying the loop with the recorded per-step lr reproduces fit's numbers exactly."""
    X, y = data.seed_regression(n=50)
    cfg = trainer.TrainConfig(epochs=3, batch_size=8, lr=0.2, lr_scale_base_batch=16, warmup_epochs=2)
    model = models.linear()
    reference = copy.deepcopy(model)
    history = trainer.fit(model, X, y, cfg)
    opt = torch.optim.SGD(reference.parameters(), lr=1.0)
    lrs = iter(history.step_lr)
    losses = []
    for batches in trainer.epoch_batches(50, 8, seed=0, epochs=3):
        for idx in batches:
            opt.param_groups[0]["lr"] = next(lrs)
            opt.zero_grad()
            loss = F.mse_loss(reference(X[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
    assert history.step_loss == losses
    assert torch.equal(model.weight, reference.weight)


# --- BatchNorm -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "batch_size", "epoch_of_crash"), [(17, 4, 0), (1, 1, 0), (1205, 301, 0)])
def test_batch_of_one_with_batchnorm_is_a_typed_error(n, batch_size, epoch_of_crash):
    X, y = data.classification_blobs(n + 1, seed=0)
    X, y = X[:n], y[:n]
    cfg = trainer.TrainConfig(epochs=2, batch_size=batch_size, loss="cross_entropy")
    model = models.mlp(2, (8,), 2, norm="batch")
    with pytest.raises(trainer.BatchTooSmallForBatchNorm) as info:
        trainer.fit(model, X, y, cfg)
    err = info.value
    steps = loader_length(n, batch_size)
    assert (err.epoch, err.step, err.batch_size) == (epoch_of_crash, steps - 1, 1)
    assert isinstance(err, trainer.TrainingError)
    assert isinstance(err.__cause__, ValueError)
    assert "Expected more than 1 value per channel when training" in err.torch_message
    assert err.history.step_batch_size == [batch_size] * (steps - 1)
    assert len(err.history.step_loss) == steps - 1 and err.history.epoch_loss == []
    assert f"Epoch {epoch_of_crash + 1}, step {steps}/{steps}" in str(err)
    # drop_last skips the lonely sample; LayerNorm does not care about batch size at all.
    if n > batch_size:
        dropping = trainer.TrainConfig(epochs=2, batch_size=batch_size, loss="cross_entropy", drop_last=True)
        ok = trainer.fit(models.mlp(2, (8,), 2, norm="batch"), X, y, dropping)
        assert ok.epochs_run == 2 and set(ok.step_batch_size) == {batch_size}
    assert trainer.fit(models.mlp(2, (8,), 2, norm="layer"), X, y, cfg).epochs_run == 2


def test_batchnorm_recorder_sees_the_batch_going_in():
    X, y = data.classification_blobs(50, seed=1)
    model = models.mlp(2, (6, 5), 2, norm="batch", seed=1)
    inputs: dict[str, list[torch.Tensor]] = {"1": [], "4": []}

    def keep_input(name):  # the test's own view of what enters each BatchNorm in training mode
        def hook(module, args):
            if module.training:
                inputs[name].append(args[0].detach().clone())

        return hook

    for name in inputs:
        model.get_submodule(name).register_forward_pre_hook(keep_input(name))
    cfg = trainer.TrainConfig(epochs=2, batch_size=16, loss="cross_entropy", optimizer="sgd_momentum")
    history = trainer.fit(model, X, y, cfg, record_bn_stats=True)
    assert set(history.bn_stats) == {"1", "4"}
    for name, records in history.bn_stats.items():
        assert len(records) == len(history.step_loss) == len(inputs[name])
        running_mean = torch.zeros_like(records[0].batch_mean)
        running_var = torch.ones_like(records[0].batch_var)
        for rec, x in zip(records, inputs[name], strict=True):
            assert rec.batch_size == x.shape[0]
            assert torch.allclose(rec.batch_mean, x.double().sum(0).div(x.shape[0]).float(), atol=1e-6)
            assert torch.allclose(rec.batch_var, ((x - x.mean(0)) ** 2).mean(0), atol=1e-6)
            # running statistics after this batch: momentum 0.1, unbiased variance
            running_mean = 0.9 * running_mean + 0.1 * x.mean(0)
            running_var = 0.9 * running_var + 0.1 * x.var(0, unbiased=True)
            assert torch.allclose(rec.running_mean, running_mean, atol=1e-5)
            assert torch.allclose(rec.running_var, running_var, atol=1e-5)


# --- records, frames, logs ---------------------------------------------------------------------------


def test_validation_snapshots_callback_and_frames():
    X, y = data.classification_blobs(230, seed=4)
    (X_train, y_train), (X_val, y_val) = data.validation_split(X, y, 0.2)
    assert X_train.shape[0] == 184  # Keras: floor(230 * 0.8)
    grid = torch.linspace(-3, 3, 7).unsqueeze(1).repeat(1, 2)
    model = models.mlp(2, (8,), 2, norm="batch", seed=4)
    model.eval()
    with torch.no_grad():
        before = model(grid)
    seen = []
    cfg = trainer.TrainConfig(epochs=3, batch_size=32, lr=0.05, loss="cross_entropy")
    history = trainer.fit(
        model,
        X_train,
        y_train,
        cfg,
        validation_data=(X_val, y_val),
        snapshot_inputs=grid,
        on_epoch=lambda h, e: seen.append((e, h.epochs_run, len(h.val_loss))),
    )
    assert not model.training  # the caller's mode is restored
    assert seen == [(0, 1, 1), (1, 2, 2), (2, 3, 3)]
    assert len(history.snapshots) == 4 and torch.equal(history.snapshots[0], before)
    with torch.no_grad():
        out = model(X_val)
        assert torch.equal(history.snapshots[-1], model(grid))
    assert history.val_loss[-1] == F.cross_entropy(out, y_val).item()
    assert history.val_accuracy[-1] == (out.argmax(1) == y_val).sum().item() / 46
    assert all(0 <= a <= 1 for a in history.epoch_accuracy + history.val_accuracy)

    assert len(history.step_loss) == 3 * loader_length(184, 32) and sum(history.step_batch_size) == 3 * 184
    assert all(t > 0 for t in history.epoch_time)

    lines = history.log_lines()  # Keras 3, verbose=1
    assert lines[2] == "Epoch 2/3"
    assert re.fullmatch(r"6/6 ━{20} \d+s \d+(s|ms|us)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} "
                        r"- val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}", lines[3]), lines[3]
    assert f"loss: {history.epoch_loss[1]:.4f}" in lines[3]
    line = history.log_lines("keras2")[3]  # Keras 2.15: loss, then the metric, then the val_ ones
    assert re.fullmatch(r"6/6 \[={30}\] - \d+s \d+(s|ms|us)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} "
                        r"- val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}", line), line


def test_seed_experiment_reaches_the_noise_floor():
    """After 20 epochs at batch 16 the loss sits at the data's own floor (about noise² = 0.09)."""
    X, y = data.seed_regression()
    # The best any line can do on this data: least-squares fit with slope and intercept.
    design = torch.cat([X, torch.ones_like(X)], dim=1).double()
    solution = torch.linalg.lstsq(design, y.double()).solution
    floor = ((design @ solution - y.double()) ** 2).mean().item()
    assert 0.06 < floor < 0.13
    history = trainer.fit(models.linear(), X, y, trainer.TrainConfig(epochs=20, batch_size=16))
    assert 0.06 < history.epoch_loss[-1] < 0.13
    assert history.epoch_loss[-1] == pytest.approx(floor, rel=0.1)
    assert history.epoch_loss[0] > history.epoch_loss[-1]
    assert not history.diverged


def test_validation_split_is_keras_floor():
    X = torch.arange(10.0).unsqueeze(1)
    (X_train, _), (X_val, _) = data.validation_split(X, X, 0.25)
    assert X_train.squeeze(1).tolist() == list(range(7)) and X_val.squeeze(1).tolist() == [7, 8, 9]
    for bad in (0.0, 1.0, 0.95):
        with pytest.raises(ValueError):
            data.validation_split(X, X, bad)


def test_bad_data_is_refused():
    X, y = data.seed_regression(n=10)
    with pytest.raises(ValueError, match="y"):
        trainer.fit(models.linear(), X, y[:5], trainer.TrainConfig(1, 2))
    with pytest.raises(ValueError, match="cross_entropy"):
        trainer.fit(models.linear(1, 2), X, y, trainer.TrainConfig(1, 2, loss="cross_entropy"))
    with pytest.raises(ValueError, match="mse"):
        trainer.fit(models.linear(), X, y.long(), trainer.TrainConfig(1, 2))


def test_a_parameter_without_gradient_counts_as_zero():
    class WithSpare(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = models.linear()
            self.spare = torch.nn.Parameter(torch.ones(3))  # never used in forward

        def forward(self, x):
            return self.linear(x)

    X, y = data.seed_regression(n=40)
    cfg = trainer.TrainConfig(epochs=2, batch_size=8)
    spare = trainer.fit(WithSpare(), X, y, cfg)
    plain = trainer.fit(models.linear(), X, y, cfg)
    assert spare.step_loss == plain.step_loss
    assert spare.step_grad_norm == pytest.approx(plain.step_grad_norm, rel=1e-6)
