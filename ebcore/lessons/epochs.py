"""Epochs, under- and over-fitting, and Keras early stopping, on tasks small enough to train live.

Two experiments for the epochs page, both real ``ebcore.trainer.single_run`` runs:

- ``train_curve``: a handful of noisy points from ``sin(πx)`` fitted by a degree-14 polynomial (a
  ``Linear`` layer on Legendre features: more weights than points, so it *can* memorise the noise).
  Validation loss first falls (underfitting ends), bottoms out, then rises (overfitting). The
  model's curve is snapshotted after every epoch, so a page can scrub through training without
  retraining.
- ``keras_log_run``: a two-class problem trained Keras-style (``validation_split=0.2``), whose
  history prints as Keras 3 or Keras 2.15 prints it (``Epoch 1/20`` then ``800/800 ━━━━ 2s 2ms/step - …``).

Early stopping does not change the epochs before it stops, so ``keras_early_stopping`` replays
Keras's rule on a finished run's validation losses: any patience, instantly, no retraining. The
tests check that replay against the trainer's own early stopping.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

import torch
from torch import Tensor

from ebcore import trainer
from ebcore.primitives import keraslog
from ebcore.primitives.calc import keras_steps, keras_train_samples
from ebcore.problems import data, models

__all__ = ["BATCH_SIZE", "DEGREE", "EPOCHS", "GOOD_TOLERANCE", "GRID_POINTS", "LEARNING_RATE", "LOG_BATCHES",
           "LOG_EPOCHS_MAX", "LOG_LEARNING_RATE", "LOG_SAMPLES", "NOISE", "NOTES_LOG", "POINTS_RANGE",
           "VALIDATION_POINTS", "VALIDATION_SPLIT", "curve_config", "CurveRun", "CurveTask", "EarlyStop",
           "keras_early_stopping", "keras_fit", "keras_log_run", "KerasLogRun", "legendre_features", "log_config",
           "log_lines", "log_steps", "log_train_samples", "make_task", "Region", "regions", "target",
           "train_curve"]

# --- the curve-fitting task ----------------------------------------------------------------------------

DEGREE = 14
"""Polynomial degree of the flexible model: 14 weights + 1 bias, more than the default 12 points."""
NOISE = 0.3
"""Standard deviation of the label noise; the best possible validation MSE is about NOISE² = 0.09."""
BATCH_SIZE = 5
LEARNING_RATE = 0.03
EPOCHS = 150
"""Epochs every curve run trains for; the page scrubs through them."""
VALIDATION_POINTS = 300
GRID_POINTS = 161
"""x positions (evenly spaced over [-1, 1]) at which each epoch's fitted curve is recorded."""
POINTS_RANGE = (8, 30)
"""Fewest and most training points the page offers."""


def target(x: Tensor) -> Tensor:
    """The noise-free function the points come from: ``sin(πx)`` on ``x`` in [-1, 1]."""
    return torch.sin(math.pi * x)


def legendre_features(x: Tensor, degree: int = DEGREE) -> Tensor:
    """Legendre polynomials ``P_1(x) … P_degree(x)`` of an ``(n, 1)`` column, as ``(n, degree)`` float32.

    On [-1, 1] they are nearly orthogonal, so gradient descent is well conditioned; ``P_0`` (the
    constant) is left out because the Linear layer's bias plays its part.
    """
    p_prev, p = torch.ones_like(x), x
    columns = [p]
    for k in range(1, degree):
        # Bonnet's recursion: (k + 1) P_{k+1} = (2k + 1) x P_k − k P_{k−1}.
        p_prev, p = p, ((2 * k + 1) * x * p - k * p_prev) / (k + 1)
        columns.append(p)
    return torch.cat(columns, dim=1)


@dataclass(frozen=True)
class CurveTask:
    """The data of one curve run, all ``(n, 1)`` float32 columns: ``x``/``y`` training points,
    ``x_val``/``y_val`` validation points (same distribution, never trained on), ``grid`` the x
    positions where the fitted curve is recorded."""

    x: Tensor
    y: Tensor
    x_val: Tensor
    y_val: Tensor
    grid: Tensor


def make_task(points: int, seed: int, noise: float = NOISE) -> CurveTask:
    """``points`` noisy samples of ``target``, one at a random spot in each of ``points`` equal slices of
    [-1, 1] (so no big gaps), plus ``VALIDATION_POINTS`` uniform validation samples; all from ``seed``."""
    if points < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    g = torch.Generator().manual_seed(seed)
    x = (torch.arange(points, dtype=torch.float32).unsqueeze(1) + torch.rand(points, 1, generator=g)) / points
    x = 2 * x - 1
    y = target(x) + noise * torch.randn(points, 1, generator=g)
    x_val = 2 * torch.rand(VALIDATION_POINTS, 1, generator=g) - 1
    y_val = target(x_val) + noise * torch.randn(VALIDATION_POINTS, 1, generator=g)
    grid = torch.linspace(-1, 1, GRID_POINTS).unsqueeze(1)
    return CurveTask(x, y, x_val, y_val, grid)


def curve_config(seed: int, epochs: int = EPOCHS, **early_stopping: object) -> trainer.TrainConfig:
    """The training settings of a curve run (Adam, MSE, batch ``BATCH_SIZE``, shuffled from ``seed``);
    ``early_stopping`` passes ``patience``/``min_delta``/``restore_best_weights`` through."""
    return trainer.TrainConfig(epochs=epochs, batch_size=BATCH_SIZE, lr=LEARNING_RATE, optimizer="adam",
                             seed=seed, **early_stopping)


@dataclass(frozen=True)
class CurveRun:
    """A finished curve run. ``train_loss[e]``/``val_loss[e]`` are MSE after epoch ``e + 1`` (train:
    mean of that epoch's batch losses, as Keras and the notes' loop report it; validation: the whole
    validation set after the epoch). ``snapshots[e]`` is the fitted curve on ``task.grid`` after ``e``
    epochs (``snapshots[0]`` before training), so there are ``epochs + 1`` of them."""

    task: CurveTask
    train_loss: list[float]
    val_loss: list[float]
    snapshots: Tensor

    @property
    def epochs(self) -> int:
        """Number of epochs trained."""
        return len(self.val_loss)


def train_curve(points: int, seed: int, epochs: int = EPOCHS,
                progress: Callable[[float], None] | None = None) -> CurveRun:
    """Train the polynomial on ``make_task(points, seed)`` for ``epochs`` epochs, keeping every epoch's
    curve. ``progress(fraction)`` reports the finished epochs over ``epochs``."""
    task = make_task(points, seed)
    model = models.linear(DEGREE, 1, seed=seed)
    report = None if progress is None else (lambda history, epoch: progress((epoch + 1) / epochs))
    history = trainer.fit(model, legendre_features(task.x), task.y, curve_config(seed, epochs),
                        validation_data=(legendre_features(task.x_val), task.y_val),
                        snapshot_inputs=legendre_features(task.grid), on_epoch=report)
    snapshots = torch.stack([s.squeeze(1) for s in history.snapshots])
    return CurveRun(task, list(history.epoch_loss), list(history.val_loss), snapshots)


# --- reading the curves ----------------------------------------------------------------------------------


class Region(Enum):
    """Which phase of training an epoch belongs to, judged from the validation loss."""

    UNDER = "under"
    GOOD = "good"
    OVER = "over"


GOOD_TOLERANCE = 0.15
"""An epoch is "good" when its validation loss is within this fraction of the curve's range above the minimum."""


def regions(val_loss: Sequence[float], tolerance: float = GOOD_TOLERANCE) -> list[Region]:
    """Label each epoch (in order) underfitting / good / overfitting from the validation curve alone.

    The good stretch is the longest run of consecutive epochs around the lowest validation loss whose
    loss stays below ``min + tolerance × (max − min)``; epochs before it underfit (the loss is still
    falling towards the minimum), epochs after it overfit (it has climbed back up).
    """
    if not val_loss:
        return []
    best = min(range(len(val_loss)), key=val_loss.__getitem__)
    low, high = val_loss[best], max(val_loss)
    threshold = low + tolerance * (high - low)
    start = best
    while start > 0 and val_loss[start - 1] <= threshold:
        start -= 1
    end = best
    while end + 1 < len(val_loss) and val_loss[end + 1] <= threshold:
        end += 1
    return [Region.UNDER] * start + [Region.GOOD] * (end - start + 1) + [Region.OVER] * (len(val_loss) - end - 1)


# --- early stopping ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlyStop:
    """What Keras 3 ``EarlyStopping(monitor="val_loss", patience, min_delta, baseline, start_from_epoch)`` does
    on a run. Epochs are 1-based, as Keras prints them. ``stop_epoch`` is the last epoch trained (``None`` if
    it never stopped early, so all ``epochs_run`` epochs ran); ``best_epoch`` the epoch whose weights
    ``restore_best_weights=True`` rolls back to (``None`` if no epoch was watched). The two losses are the
    validation MSE you end with, with and without restoring."""

    patience: int
    best_epoch: int | None
    stop_epoch: int | None
    epochs_run: int
    val_loss_restored: float
    val_loss_last: float


def keras_early_stopping(val_loss: Sequence[float], patience: int, min_delta: float = 0.0,
                         baseline: float | None = None, start_from_epoch: int = 0) -> EarlyStop:
    """Replay Keras 3's early-stopping rule (``trainer.KerasRule``, the trainer's own) on a run's per-epoch
    validation losses. Training before the stop is unchanged by the callback, so this equals training
    again with it (``trainer.fit(patience=...)``, checked in the tests)."""
    if patience < 0 or min_delta < 0 or start_from_epoch < 0:
        raise ValueError(f"patience, min_delta and start_from_epoch must be at least 0, "
                         f"got {patience}, {min_delta} and {start_from_epoch}")
    if not val_loss:
        raise ValueError("val_loss needs at least one epoch")
    rule = trainer.KerasRule(patience, min_delta, baseline, start_from_epoch)
    for epoch, value in enumerate(val_loss):
        rule.update(epoch, value)
        if rule.stopped_epoch is not None:
            break
    stop = rule.stopped_epoch
    last = len(val_loss) - 1 if stop is None else stop
    best = rule.best_epoch
    return EarlyStop(patience, None if best is None else best + 1, None if stop is None else stop + 1, last + 1,
                     val_loss[last if best is None else best], val_loss[last])


# --- the Keras log of a classification run -------------------------------------------------------------

VALIDATION_SPLIT = 0.2
LOG_LEARNING_RATE = 0.001
"""Keras's default Adam learning rate."""
LOG_SAMPLES = (500, 1000, 2000)
"""Data set sizes (before the validation split) the page offers for the live log."""
LOG_BATCHES = (10, 32, 64)
LOG_EPOCHS_MAX = 20
NOTES_LOG = (10_000, 10)
"""The notes' Keras log: 800/800 at batch 10 means 8,000 training samples, 10,000 before a 0.2 split.
Its 20 epochs would be 16,000 steps, over the trainer's budget, so the page computes its steps only."""


@dataclass(frozen=True)
class KerasLogRun:
    """A Keras-style classification run: ``steps_per_epoch`` (``ceil(train samples / batch)``), ``n_train``
    training samples, per-epoch ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` (accuracy as a fraction
    0..1) and ``epoch_time`` (this machine's wall seconds per epoch: not part of the run's equality, two
    runs of the same settings are the same run); ``epochs`` the run's length that its log counts to."""

    steps_per_epoch: int
    n_train: int
    loss: list[float]
    accuracy: list[float]
    val_loss: list[float]
    val_accuracy: list[float]
    epoch_time: list[float] = field(default_factory=list, compare=False)
    epochs: int = 0

    @property
    def best_epoch(self) -> int:
        """The 1-based epoch with the lowest validation loss (the earliest if tied)."""
        return min(range(len(self.val_loss)), key=self.val_loss.__getitem__) + 1

    def lines(self, style: str = keraslog.KERAS3) -> list[str]:
        """The run's log in ``style`` (``keraslog.STYLES``), the measured times in it."""
        return log_lines(self.epochs or len(self.loss), self.steps_per_epoch, self.loss, self.accuracy,
                         self.val_loss, self.val_accuracy, epoch_time=self.epoch_time, style=style)

    def prefix(self, epochs: int) -> KerasLogRun:
        """The run of the first ``epochs`` epochs: Adam at a constant rate on the same shuffles, so a
        shorter run is exactly the start of a longer one; its log says ``Epoch e/epochs``."""
        if not 1 <= epochs <= len(self.loss):
            raise ValueError(f"epochs must be from 1 to {len(self.loss)}, got {epochs}")
        return KerasLogRun(self.steps_per_epoch, self.n_train, self.loss[:epochs], self.accuracy[:epochs],
                           self.val_loss[:epochs], self.val_accuracy[:epochs], self.epoch_time[:epochs], epochs)


def log_lines(epochs: int, steps: int, *metrics: Sequence[float], epoch_time: Sequence[float] | None = None,
              style: str = keraslog.KERAS3) -> list[str]:
    """Keras's log (``keraslog.log``) of the epochs recorded so far (``loss``, ``accuracy``, ``val_loss``,
    ``val_accuracy`` per epoch, in that order, and each epoch's measured seconds ``epoch_time``), of a run of
    ``epochs`` epochs of ``steps`` steps each."""
    names = ("loss", "accuracy", "val_loss", "val_accuracy")
    columns = {n: list(m) for n, m in zip(names, metrics, strict=True)}
    return keraslog.log(epochs, steps, columns, epoch_time, style)


def log_config(batch: int, epochs: int, seed: int = 0) -> trainer.TrainConfig:
    """The classification run's settings: Adam at Keras's default rate, cross-entropy, shuffled."""
    return trainer.TrainConfig(epochs=epochs, batch_size=batch, lr=LOG_LEARNING_RATE, optimizer="adam",
                             loss="cross_entropy", seed=seed)


def log_steps(n: int, batch: int) -> int:
    """Steps per epoch Keras shows for ``n`` samples with ``validation_split=0.2`` at ``batch``."""
    return keras_steps(n, batch, VALIDATION_SPLIT)


def log_train_samples(n: int) -> int:
    """Training samples Keras keeps from ``n`` with ``validation_split=0.2`` (the first ``floor(0.8 n)``)."""
    return keras_train_samples(n, VALIDATION_SPLIT)


def keras_log_run(n: int, batch: int, epochs: int, seed: int = 0,
                  progress: Callable[..., None] | None = None) -> KerasLogRun:
    """Train a small MLP (2 → 16 → 2) on ``n`` two-blob samples like ``model.fit(x, y, batch_size=batch,
    epochs=epochs, validation_split=0.2)`` (``keras_fit``)."""
    X, y = data.classification_blobs(n, seed=seed)
    return keras_fit(models.mlp(2, (16,), 2, seed=seed), X, y, batch, epochs, seed, progress)


def keras_fit(model: torch.nn.Module, X: Tensor, y: Tensor, batch: int, epochs: int, seed: int = 0,
              progress: Callable[..., None] | None = None) -> KerasLogRun:
    """Train ``model`` (logits out) on class labels ``y`` like Keras's ``model.fit(X, y, batch_size=batch,
    epochs=epochs, validation_split=0.2)`` with ``optimizer='adam'`` and sparse categorical cross-entropy:
    the last fifth validates, the rest is shuffled each epoch. ``progress(fraction, row=[loss, accuracy,
    val_loss, val_accuracy, seconds])`` is called after each epoch with that epoch's numbers and measured
    time, for a live log (``log_lines``)."""
    (x_train, y_train), validation = data.validation_split(X, y, VALIDATION_SPLIT)

    def report(history: trainer.History, epoch: int) -> None:
        if progress is not None:
            progress((epoch + 1) / epochs, row=[history.epoch_loss[epoch], history.epoch_accuracy[epoch],
                                                history.val_loss[epoch], history.val_accuracy[epoch],
                                                history.epoch_time[epoch]])

    history = trainer.fit(model, x_train, y_train, log_config(batch, epochs, seed), validation_data=validation,
                        on_epoch=report)
    return KerasLogRun(history.steps_per_epoch, x_train.shape[0], list(history.epoch_loss),
                       list(history.epoch_accuracy), list(history.val_loss), list(history.val_accuracy),
                       list(history.epoch_time), epochs)
