"""Real handwritten digits: the notes' Keras example run for real, and one batch's update watched.

The notes (seed 001) train ``Dense(128, relu) → Dense(10, softmax)`` on MNIST with Adam,
``batch_size=32``, ``epochs=10``, ``validation_split=0.2``. Here the same model and settings train on
the UCI digits (``ebcore.problems.digits``: 1,797 images of 8 × 8 pixels, so 64 inputs instead of 784):
Keras keeps the first 1,437 images for training, 45 steps an epoch at batch 32. The softmax sits in the
loss (``cross_entropy`` on logits), which is the same function Keras's softmax + sparse categorical
cross-entropy computes.

- ``keras_example``: that run (``epochs.keras_fit``), its per-epoch loss and accuracy, printed as Keras's log.
- ``see_batch``: the images of one batch and the model's answers just before and just after the single
  update that batch makes (the same run, watched through ``fit``'s ``after_step``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ebcore import trainer
from ebcore.lessons import epochs as ep
from ebcore.primitives import calc
from ebcore.problems import data, digits, models

__all__ = ["BATCHES", "EPOCHS", "EPOCHS_MAX", "HIDDEN", "KERAS_BATCH", "LOOK_BATCHES", "LOOK_UPDATES_MAX", "PATIENCE",
           "STOPPING_EPOCHS", "Arithmetic", "arithmetic", "BatchLook", "examples", "keras_example", "model",
           "n_train", "see_batch", "steps_per_epoch", "stopping_run"]

HIDDEN = 128
"""The notes' hidden layer: ``Dense(128, activation='relu')``."""
KERAS_BATCH = 32
EPOCHS = 10
"""The notes' ``batch_size=32`` and ``epochs=10``."""
EPOCHS_MAX = 25
"""Most epochs the page offers: one run of this length per batch size, every shorter run its start (at
batch 8 that is 180 × 25 = 4,500 steps, within the trainer's step budget)."""
BATCHES = (8, 16, 32, 64, 128, 256, 1437)
"""Batch sizes the page offers: the notes' small (8), their default (32), their large (256), and the whole
training set (1,437: ``batch_size=len(X_train)``, one update an epoch)."""
PATIENCE = 3
"""The early stopping the page replays on the run: ``EarlyStopping(monitor='val_loss', patience=3,
restore_best_weights=True)``, the epochs page's lesson step."""
STOPPING_EPOCHS = 60
"""Epochs of ``stopping_run``: long enough that the validation loss passes its lowest point and every
patience the epochs page offers (up to 30) can play out."""
LOOK_BATCHES = (4, 8, 10, 16, 32)
"""Batch sizes for watching one batch: few enough images to read each one."""
LOOK_UPDATES_MAX = 500
"""Latest update the page lets a student watch (beyond the first epoch at every size offered)."""


def model(seed: int = 0) -> nn.Sequential:
    """The notes' model for 8 × 8 inputs: ``Linear(64, 128) → ReLU → Linear(128, 10)``, PyTorch's default init."""
    return models.mlp(digits.FEATURES, (HIDDEN,), digits.CLASSES, seed=seed)


def examples(per_digit: int = 2) -> list[int]:
    """The first ``per_digit`` images of each digit 0..9, digit by digit (rows of ``digits.pixels()``)."""
    labels = digits.pixels()[1]
    return [i for d in range(digits.CLASSES) for i in np.flatnonzero(labels == d)[:per_digit].tolist()]


def n_train() -> int:
    """Images Keras trains on with ``validation_split=0.2``: the first ``floor(0.8 × 1,797)`` = 1,437."""
    return ep.log_train_samples(len(digits.pixels()[1]))


def steps_per_epoch(batch: int) -> int:
    """Steps (weight updates) an epoch at ``batch``: ``ceil(1,437 / batch)``, as Keras's log counts them."""
    return ep.log_steps(len(digits.pixels()[1]), batch)


@dataclass(frozen=True)
class Arithmetic:
    """The notes' calculation for the digits run: ``images`` split into ``train`` and ``val`` by
    ``validation_split=0.2``; ``train / batch`` (``ratio``) rounded up to ``steps`` an epoch, ``full`` batches
    of ``batch`` and a ``last`` one (``last == batch`` when it divides evenly); ``total`` updates in ``epochs``."""

    images: int
    train: int
    val: int
    batch: int
    ratio: float
    steps: int
    full: int
    last: int
    epochs: int
    total: int


def arithmetic(batch: int, epochs: int) -> Arithmetic:
    """``Arithmetic`` for ``batch`` and ``epochs`` (``calc.plan``, the DataLoader's and Keras's count)."""
    images, train = len(digits.pixels()[1]), n_train()
    p = calc.plan(train, batch, epochs)
    full = p.iterations_per_epoch - (p.last_batch_size != batch)
    return Arithmetic(images, train, images - train, batch, train / batch, p.iterations_per_epoch, full,
                      p.last_batch_size, epochs, p.total_updates)


def keras_example(batch: int = KERAS_BATCH, epochs: int = EPOCHS, seed: int = 0,
                  progress: Callable[..., None] | None = None) -> ep.KerasLogRun:
    """The notes' ``model.fit(X_train, y_train, batch_size=batch, epochs=epochs, validation_split=0.2)`` on
    the digits: per-epoch loss, accuracy, val_loss and val_accuracy (``epochs.KerasLogRun``)."""
    X, y = digits.tensors()
    return ep.keras_fit(model(seed), X, y, batch, epochs, seed, progress)


def stopping_run(seed: int = 0, progress: Callable[..., None] | None = None) -> ep.KerasLogRun:
    """The notes' run at their ``batch_size=32`` for ``STOPPING_EPOCHS`` epochs: the real validation loss
    the epochs page's early stopping watches when its data is the digits (``keras_example``)."""
    return keras_example(KERAS_BATCH, STOPPING_EPOCHS, seed, progress)


@dataclass(frozen=True)
class BatchLook:
    """One batch of the run and the single update it makes.

    ``update`` counts updates from 1 over the whole run (``epoch`` and ``step`` locate it, both from 1);
    ``indices`` are the batch's images (rows of ``digits.pixels()``), ``labels`` their digits. ``before`` and
    ``after`` hold, per image, the model's probability of each digit 0..9 (softmax, so each row sums to 1)
    with the weights just before and just after the update; ``loss_before``/``loss_after`` the batch's mean
    cross-entropy then (``loss_before`` is the loss that update's gradient came from)."""

    update: int
    epoch: int
    step: int
    steps_per_epoch: int
    indices: tuple[int, ...]
    labels: tuple[int, ...]
    before: tuple[tuple[float, ...], ...]
    after: tuple[tuple[float, ...], ...]
    loss_before: float
    loss_after: float

    def answers(self, which: str) -> tuple[int, ...]:
        """The model's answer (most probable digit) per image, ``"before"`` or ``"after"`` the update."""
        rows = self.before if which == "before" else self.after
        return tuple(max(range(len(row)), key=row.__getitem__) for row in rows)

    def right_probabilities(self, which: str) -> tuple[float, ...]:
        """The probability the model gives each image's right digit, ``"before"`` or ``"after"`` the update."""
        rows = self.before if which == "before" else self.after
        return tuple(row[y] for row, y in zip(rows, self.labels, strict=True))

    def mean_change(self) -> float:
        """How much the update raised the probability of the right digit, averaged over the batch (0..1 units)."""
        before, after = self.right_probabilities("before"), self.right_probabilities("after")
        return sum(a - b for b, a in zip(before, after, strict=True)) / len(before)

    def right(self, which: str) -> int:
        """How many of the batch's images the model answers right, ``"before"`` or ``"after"``."""
        return sum(a == y for a, y in zip(self.answers(which), self.labels, strict=True))


def see_batch(batch: int = 10, update: int = 1, seed: int = 0,
              progress: Callable[..., None] | None = None) -> BatchLook:
    """Train the notes' run (Adam at Keras's rate, shuffled, ``seed``) at ``batch`` up to its ``update``-th
    update and look at that update's batch: the model's answers on its images before and after it."""
    trainer.require_int("update", update, 1, LOOK_UPDATES_MAX)
    X, y = digits.tensors()
    (x_train, y_train), _ = data.validation_split(X, y, ep.VALIDATION_SPLIT)
    per_epoch = steps_per_epoch(batch)
    epoch, step = divmod(update - 1, per_epoch)
    batches = trainer.epoch_batches(x_train.shape[0], batch, seed=seed, epochs=epoch + 1)
    index = next(itertools.islice(batches, epoch, None))[step]  # the DataLoader's batch ``step`` of that epoch
    images, labels = x_train.index_select(0, index), y_train.index_select(0, index)
    net = model(seed)
    seen: dict[int, tuple[torch.Tensor, float]] = {}

    def look(updates: int) -> None:
        if updates in (update - 1, update):
            logits = trainer.predict(net, images)
            seen[updates] = logits.softmax(1), torch.nn.functional.cross_entropy(logits, labels).item()
        if progress is not None:
            progress(min(1.0, updates / update))

    look(0)
    trainer.fit(net, x_train, y_train, ep.log_config(batch, epoch + 1, seed), after_step=look)
    (p0, l0), (p1, l1) = seen[update - 1], seen[update]
    return BatchLook(update, epoch + 1, step + 1, per_epoch, tuple(index.tolist()), tuple(labels.tolist()),
                     _rows(p0), _rows(p1), l0, l1)


def _rows(probabilities: torch.Tensor) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in probabilities.tolist())
