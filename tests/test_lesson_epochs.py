"""lessons.epochs: the overfitting task, its snapshots, the phase labels and Keras early stopping,
checked against the real trainer and plain PyTorch."""

import math
import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ebcore import trainer
from ebcore.lessons import epochs as ep
from ebcore.problems import models


@pytest.fixture(scope="module")
def default_run():
    return ep.train_curve(12, 0)


def test_legendre_features_match_the_closed_forms():
    x = torch.linspace(-1, 1, 9).unsqueeze(1)
    f = ep.legendre_features(x, 4)
    assert f.shape == (9, 4)
    torch.testing.assert_close(f[:, 0:1], x)
    torch.testing.assert_close(f[:, 1:2], (3 * x**2 - 1) / 2)
    torch.testing.assert_close(f[:, 3:4], (35 * x**4 - 30 * x**2 + 3) / 8)


def test_task_is_seeded_and_spread_over_the_interval():
    a, b = ep.make_task(12, 3), ep.make_task(12, 3)
    assert torch.equal(a.x, b.x) and torch.equal(a.y_val, b.y_val)
    assert not torch.equal(a.y, ep.make_task(12, 4).y)
    # one point per twelfth of [-1, 1]
    slots = ((a.x.squeeze(1) + 1) / 2 * 12).floor().long()
    assert slots.tolist() == list(range(12))


def test_defaults_underfit_then_overfit(default_run):
    """At the defaults validation loss has an interior minimum, then climbs well above it while the
    training loss keeps falling: the run really overfits."""
    val, tr = default_run.val_loss, default_run.train_loss
    best = min(range(len(val)), key=val.__getitem__)
    assert 3 < best < len(val) - 30
    assert val[0] > 2 * val[best] and val[-1] > 2 * val[best]
    assert tr[-1] < tr[best] / 3
    phases = [r.value for r in ep.regions(val)]
    assert phases[0] == "under" and phases[best] == "good" and phases[-1] == "over"


def test_snapshots_are_the_model_after_each_epoch():
    """Snapshot e equals a fresh model trained e epochs (same seed) evaluated on the grid."""
    run = ep.train_curve(10, 5, epochs=8)
    assert run.snapshots.shape == (9, ep.GRID_POINTS)
    task = ep.make_task(10, 5)
    for epochs in (1, 4, 8):
        model = models.linear(ep.DEGREE, 1, seed=5)
        trainer.fit(model, ep.legendre_features(task.x), task.y, ep.curve_config(5, epochs))
        with torch.no_grad():
            expected = model(ep.legendre_features(task.grid)).squeeze(1)
        torch.testing.assert_close(run.snapshots[epochs], expected, rtol=0, atol=0)
    # and epoch 0 is the untrained model
    with torch.no_grad():
        untrained = models.linear(ep.DEGREE, 1, seed=5)(ep.legendre_features(task.grid)).squeeze(1)
    torch.testing.assert_close(run.snapshots[0], untrained, rtol=0, atol=0)


def test_validation_loss_is_plain_mse_of_the_snapshot_model(default_run):
    task = default_run.task
    model = models.linear(ep.DEGREE, 1, seed=0)
    trainer.fit(model, ep.legendre_features(task.x), task.y, ep.curve_config(0, 20))
    with torch.no_grad():
        mse = torch.nn.functional.mse_loss(model(ep.legendre_features(task.x_val)), task.y_val).item()
    assert mse == pytest.approx(default_run.val_loss[19], rel=1e-6)


@pytest.mark.parametrize(("patience", "min_delta"), [(0, 0.0), (1, 0.0), (3, 0.0), (3, 0.01), (10, 0.001)])
def test_replay_equals_the_trainer_early_stopping(default_run, patience, min_delta):
    """Replaying Keras's rule on the full run gives the same stop and best epochs as training with it,
    and restore_best_weights really returns the best epoch's weights."""
    stop = ep.keras_early_stopping(default_run.val_loss, patience, min_delta)
    task = default_run.task
    model = models.linear(ep.DEGREE, 1, seed=0)
    config = ep.curve_config(0, patience=patience, min_delta=min_delta, restore_best_weights=True)
    history = trainer.fit(model, ep.legendre_features(task.x), task.y, config,
                        validation_data=(ep.legendre_features(task.x_val), task.y_val))
    assert stop.stop_epoch == (None if history.stopped_epoch is None else history.stopped_epoch + 1)
    assert stop.best_epoch == history.best_epoch + 1
    assert stop.epochs_run == history.epochs_run
    with torch.no_grad():
        restored = model(ep.legendre_features(task.grid)).squeeze(1)
        restored_val = torch.nn.functional.mse_loss(model(ep.legendre_features(task.x_val)), task.y_val).item()
    torch.testing.assert_close(restored, default_run.snapshots[stop.best_epoch], rtol=0, atol=0)
    assert restored_val == pytest.approx(stop.val_loss_restored, rel=1e-6)
    if min_delta == 0:  # with min_delta a tiny later gain is not "best", so the last can be lower
        assert stop.val_loss_restored <= stop.val_loss_last


def test_early_stopping_by_hand():
    losses = [1.0, 0.8, 0.85, 0.79, 0.9, 0.95, 0.97]
    s = ep.keras_early_stopping(losses, patience=2)
    assert (s.best_epoch, s.stop_epoch, s.val_loss_restored, s.val_loss_last) == (4, 6, 0.79, 0.95)
    # 0.79 is not better than 0.8 by more than 0.02: the best stays at epoch 2, stop after epoch 4
    s = ep.keras_early_stopping(losses, patience=2, min_delta=0.02)
    assert (s.best_epoch, s.stop_epoch) == (2, 4)
    never = ep.keras_early_stopping([3.0, 2.0, 1.0], patience=1)
    assert never.stop_epoch is None and never.epochs_run == 3 and never.best_epoch == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.01, 10, allow_nan=False), min_size=1, max_size=40), st.integers(0, 8))
def test_early_stopping_properties(losses, patience):
    s = ep.keras_early_stopping(losses, patience)
    run = losses[: s.epochs_run]
    assert s.val_loss_restored == min(run) and run[s.best_epoch - 1] == min(run)
    if s.stop_epoch is not None:
        # it stopped because the last `patience` epochs (at least one) brought nothing better
        assert s.stop_epoch - s.best_epoch >= max(patience, 1) or (patience == 0 and s.stop_epoch > 1)
    more = ep.keras_early_stopping(losses, patience + 1)
    assert more.epochs_run >= s.epochs_run  # more patience never stops earlier


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.01, 10, allow_nan=False), min_size=1, max_size=40))
def test_regions_partition_in_order(losses):
    phases = [r.value for r in ep.regions(losses)]
    assert len(phases) == len(losses)
    order = {"under": 0, "good": 1, "over": 2}
    assert [order[p] for p in phases] == sorted(order[p] for p in phases)
    best = min(range(len(losses)), key=losses.__getitem__)
    assert phases[best] == "good"


def test_every_page_setting_fits_the_budget():
    largest = ep.POINTS_RANGE[1]
    trainer.check_budget(largest, ep.curve_config(0, ep.EPOCHS), ep.VALIDATION_POINTS)
    for n in ep.LOG_SAMPLES:
        n_train = ep.log_train_samples(n)
        for b in ep.LOG_BATCHES:
            trainer.check_budget(n_train, ep.log_config(b, ep.LOG_EPOCHS_MAX), n - n_train)


def test_notes_log_is_800_steps():
    n, b = ep.NOTES_LOG
    assert ep.log_train_samples(n) == 8000 and ep.log_steps(n, b) == 800
    assert math.ceil(ep.log_train_samples(1000) / 32) == ep.log_steps(1000, 32) == 25


def test_keras_log_run_prints_the_keras_lines():
    seen = []  # each epoch's progress and row, what the page's live log is printed from
    run = ep.keras_log_run(500, 64, 3, progress=lambda fraction, row: seen.append((fraction, row)))
    assert [f for f, _ in seen] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert [row for _, row in seen] == [list(m) for m in zip(run.loss, run.accuracy, run.val_loss, run.val_accuracy,
                                                             run.epoch_time, strict=True)]
    assert run.n_train == 400 and run.steps_per_epoch == 7 and len(run.epoch_time) == 3
    lines = run.lines()  # Keras 3, verbose=1: "Epoch 1/3" alone, then the bar, the times, the sorted metrics
    assert lines[0] == "Epoch 1/3" and lines[4] == "Epoch 3/3" and len(lines) == 6
    assert re.fullmatch(r"7/7 ━{20} \d+s \d+(s|ms|us)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} "
                        r"- val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}", lines[1]), lines[1]
    assert f"- loss: {run.loss[2]:.4f} - val_accuracy: {run.val_accuracy[2]:.4f}" in lines[5]
    notes = run.lines("keras2")[1]
    assert notes.startswith("7/7 [==============================] - ") and " - loss: " in notes
    assert notes.index(" - loss: ") < notes.index(" - accuracy: ") < notes.index(" - val_loss: ")
    v2 = run.prefix(2).lines("keras3_v2")
    assert v2[2] == "Epoch 2/2" and re.match(r"7/7 - \d+s - \d+(s|ms|us)/step - accuracy: ", v2[3])
    assert run.prefix(1).lines()[0].startswith("7/7 ━")  # one epoch: Keras prints no "Epoch 1/1"
    assert all(0 <= a <= 1 for a in run.accuracy + run.val_accuracy) and len(run.val_loss) == 3
