"""The data sets the critical-batch experiment runs on, each with its model and the settings that suit it.

- ``SYNTHETIC`` (``"synthetic"``, the default): a regression made up for the lesson, ``y = f(x) + 0.5·ε``
  in 8-D, an MLP 8 → 8 → 1, mean squared error; its best possible validation loss is the noise, 0.25.
- ``DIGITS`` (``"digits"``): the real handwritten digits (``ebcore.problems.digits``): the first 512 images
  train, the last 360 (those Keras's ``validation_split=0.2`` holds out) validate; a small cousin of the
  notes' model, 64 → 16 → 10, cross-entropy. The images are the same for every seed; the seed draws the
  starting weights and the shuffling.

Both train at batch sizes 8, 16, … up to the whole training set, with SGD on a grid of learning rates
(factors of two), for about ``step_allowance + sample_allowance / B`` steps (whole epochs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from ebcore.problems import digits as digit_images
from ebcore.problems.models import mlp

__all__ = ["DIGITS", "SYNTHETIC", "TASKS", "Pair", "Task", "synthetic_data"]

Pair = tuple[Tensor, Tensor]

SYNTHETIC_TRAIN, SYNTHETIC_VAL = 1024, 512
IN_FEATURES = 8
SCALE_RATIO = 0.8
NOISE = 0.5


def synthetic_data(seed: int = 0) -> tuple[Pair, Pair]:
    """The made-up task: 1,024 training and 512 validation samples of ``y = f(x) + 0.5·ε``, ``x`` in 8-D.

    ``x`` is standard normal with coordinate ``k`` scaled by ``s_k = 0.8^k`` (an unevenly curved loss,
    so even full-batch steps make slow progress along the flat directions), ``f(x) = ½ Σ_k x_k/s_k +
    tanh(x_0)``, ``ε`` standard normal. Float32, ``X`` of shape ``(n, 8)``, ``y`` of shape ``(n, 1)``.
    """
    g = torch.Generator().manual_seed(1000 + seed)
    n = SYNTHETIC_TRAIN + SYNTHETIC_VAL
    scales = torch.tensor([SCALE_RATIO**k for k in range(IN_FEATURES)])
    X = torch.randn(n, IN_FEATURES, generator=g) * scales
    f = (X / scales).sum(1) / 2 + torch.tanh(X[:, 0])
    y = (f + NOISE * torch.randn(n, generator=g)).unsqueeze(1)
    return (X[:SYNTHETIC_TRAIN], y[:SYNTHETIC_TRAIN]), (X[SYNTHETIC_TRAIN:], y[SYNTHETIC_TRAIN:])


DIGITS_TRAIN, DIGITS_VAL = 512, 360


def digits_data(seed: int = 0) -> tuple[Pair, Pair]:
    """The digits: the first 512 images train, the last 360 validate (the same for every ``seed``)."""
    return digit_images.split(DIGITS_TRAIN, DIGITS_VAL)


@dataclass(frozen=True)
class Task:
    """One data set and how the experiment trains on it.

    ``code`` names it in links (``?data=``); ``data(seed)`` gives ``((X, y), (X_val, y_val))`` and
    ``model(seed)`` a fresh model (PyTorch's default initialisation from ``seed``); ``loss`` is the
    trainer's loss name, and every target is a validation loss in its units. ``lrs`` is the SGD grid,
    ``targets`` the targets a student can pick, ``floor`` the best possible validation loss where it is
    known (None otherwise); ``step_allowance``/``sample_allowance`` set each run's length; the noise scale
    is measured along one run at ``noise_batch`` and ``noise_lr`` for ``noise_epochs`` epochs, its two-batch
    estimate averaged over ``noise_draws`` pairs of batches."""

    code: str
    data: Callable[[int], tuple[Pair, Pair]]
    model: Callable[[int], nn.Module]
    loss: str
    n_train: int
    n_val: int
    lrs: tuple[float, ...]
    targets: tuple[float, ...]
    floor: float | None
    step_allowance: int
    sample_allowance: int
    noise_batch: int
    noise_lr: float
    noise_epochs: int
    noise_draws: int

    @property
    def batches(self) -> tuple[int, ...]:
        """Batch sizes 8, 16, … up to the whole training set (a power of two)."""
        return tuple(2**k for k in range(3, self.n_train.bit_length()))


SYNTHETIC = Task(
    code="synthetic", data=synthetic_data, model=lambda seed: mlp(IN_FEATURES, (8,), 1, seed=seed), loss="mse",
    n_train=SYNTHETIC_TRAIN, n_val=SYNTHETIC_VAL,
    # The grid stops at 0.1: from 0.2 on this network's loss spikes at the large batches (it jumps out of its
    # valley and falls back a few steps later), so the step a run first reaches the target becomes luck.
    lrs=(0.025, 0.05, 0.1), targets=(0.5, 0.4, 0.35, 0.32), floor=NOISE**2,
    # Seeds 0-9: at most 471 steps at B = 8 and 93 at B = 1,024 for the lowest target, against 512 and 103.
    step_allowance=100, sample_allowance=3 * SYNTHETIC_TRAIN,
    noise_batch=128, noise_lr=0.1, noise_epochs=16, noise_draws=64,
)

DIGITS = Task(
    code="digits", data=digits_data,
    model=lambda seed: mlp(digit_images.FEATURES, (16,), digit_images.CLASSES, seed=seed),
    loss="cross_entropy", n_train=DIGITS_TRAIN, n_val=DIGITS_VAL,
    # The largest batches reach the targets fastest at 0.8; at 1.6 and 3.2 they spike and miss (seeds 0-3).
    lrs=(0.2, 0.4, 0.8), targets=(1.0, 0.7, 0.5), floor=None,
    # Seeds 0-3 at the lowest target: at most 302 steps at B = 8 (384 here) and 53 at B = 512 (103).
    step_allowance=100, sample_allowance=4 * DIGITS_TRAIN,
    # 80 steps reach the lowest target. 1,210 weights make each two-batch draw 15 times the made-up task's
    # work, so half the draws, and a checkpoint every 8 steps instead of 4 (its batch 64, not 128).
    noise_batch=64, noise_lr=0.8, noise_epochs=10, noise_draws=32,
)

TASKS: dict[str, Task] = {task.code: task for task in (SYNTHETIC, DIGITS)}
"""Every task by its code; the first is the default."""
