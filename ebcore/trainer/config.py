"""What decides a training run, and what it may cost: ``TrainConfig``, the learning-rate schedule
and the trainer's budgets. Shared by ``fit`` and ``fit_many``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from ebcore.primitives.calc import loader_length

__all__ = ["EPOCH_BUDGET", "LOSSES", "MONITORS", "OPTIMIZERS", "SAMPLE_BUDGET", "SGD_MOMENTUM_DEFAULT", "STEP_BUDGET",
           "TrainConfig", "check_budget", "learning_rate", "max_epochs", "require_int", "samples_needed",
           "steps_needed"]

# The server has 2 cores shared by many sessions; intra-op threads only add contention for these tiny models.
torch.set_num_threads(1)

# One fit must finish well inside ~3 s on a busy 2-core server, whatever the sliders say. Its cost is
# roughly: per step (the autograd + optimizer overhead that dominates small batches), per sample
# (compute, including validation) and per epoch (evaluation and records). One budget for each;
# benchmarks/bench_trainer.py runs the worst configs they allow.
STEP_BUDGET = 5_000
"""Most optimizer steps (epochs × batches per epoch) one ``fit`` may take."""

SAMPLE_BUDGET = 200_000
"""Most sample passes one ``fit`` may take: epochs × (training samples + validation samples)."""

EPOCH_BUDGET = 300
"""Most epochs one ``fit`` may take."""

LOSSES = ("mse", "cross_entropy")
OPTIMIZERS = ("sgd", "sgd_momentum", "adam", "rmsprop")
MONITORS = ("val_loss", "loss")
SGD_MOMENTUM_DEFAULT = 0.9
"""Momentum used by ``optimizer="sgd_momentum"`` when ``momentum`` is left at 0 (the notes' value)."""



# --- configuration ----------------------------------------------------------------------------------


def require_int(name: str, value: object, low: int, high: int | None = None) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        allowed = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be an integer {allowed}, got {value!r}")


def _require_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def _require_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def _require_real(name: str, value: object, ok: Callable[[float], bool], allowed: str) -> None:
    is_real = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not (is_real and math.isfinite(value) and ok(value)):
        raise ValueError(f"{name} must be a number {allowed}, got {value!r}")


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run's outcome (hashable, so pages can cache on it).

    - ``epochs``: passes over the training set (≥ 1). ``batch_size``: samples per update (≥ 1).
    - ``lr``: learning rate (> 0), per step, in loss units per gradient unit.
    - ``optimizer``: ``"sgd"``, ``"sgd_momentum"`` (SGD with ``momentum``, 0.9 if left at 0),
      ``"adam"`` or ``"rmsprop"`` — the real ``torch.optim`` classes with their default settings.
    - ``momentum``: in [0, 1); used by SGD and RMSprop (``"sgd"`` with momentum > 0 is momentum SGD).
    - ``drop_last``, ``shuffle``, ``seed``: as in ``DataLoader(..., shuffle, drop_last,
      generator=torch.Generator().manual_seed(seed))``.
    - ``loss``: ``"mse"`` (float targets) or ``"cross_entropy"`` (int64 class labels; accuracy recorded).
    - ``lr_scale_base_batch``: linear scaling rule; if set, the learning rate is
      ``lr × (batch_size / lr_scale_base_batch)`` (the notes' ``0.001 × (B / 32)``).
    - ``warmup_epochs``, ``warmup_start_factor``: the learning rate starts at ``start_factor × lr`` and
      rises linearly per step to the full (scaled) ``lr`` over the first ``warmup_epochs`` epochs.
    - ``patience``: early stopping, exactly Keras 3's ``EarlyStopping`` (``trainer.stopping``), after
      ``patience`` epochs without improvement of ``monitor`` by more than ``min_delta``; ``None`` disables it.
      ``baseline``: an improvement restarts the patience only if it also beats this value.
      ``start_from_epoch``: the first epochs (0-based, before this one) are not watched at all.
      ``restore_best_weights`` rolls the model back to the best epoch's weights (and BatchNorm
      statistics) at the end of training.
    """

    epochs: int
    batch_size: int
    lr: float = 0.1
    optimizer: str = "sgd"
    momentum: float = 0.0
    drop_last: bool = False
    shuffle: bool = True
    seed: int = 0
    loss: str = "mse"
    lr_scale_base_batch: int | None = None
    warmup_epochs: int = 0
    warmup_start_factor: float = 0.1
    patience: int | None = None
    min_delta: float = 0.0
    restore_best_weights: bool = False
    monitor: str = "val_loss"
    baseline: float | None = None
    start_from_epoch: int = 0

    def __post_init__(self) -> None:
        require_int("epochs", self.epochs, 1)
        require_int("batch_size", self.batch_size, 1)
        _require_real("lr", self.lr, lambda v: v > 0, "greater than 0")
        _require_choice("optimizer", self.optimizer, OPTIMIZERS)
        _require_real("momentum", self.momentum, lambda v: 0 <= v < 1, "in [0, 1)")
        if self.optimizer == "adam" and self.momentum != 0:
            raise ValueError("momentum must be 0 with optimizer='adam' (Adam's momentum is its betas)")
        if self.optimizer == "sgd_momentum" and self.momentum == 0:
            object.__setattr__(self, "momentum", SGD_MOMENTUM_DEFAULT)
        _require_bool("drop_last", self.drop_last)
        _require_bool("shuffle", self.shuffle)
        require_int("seed", self.seed, 0, 2**63 - 1)
        _require_choice("loss", self.loss, LOSSES)
        if self.lr_scale_base_batch is not None:
            require_int("lr_scale_base_batch", self.lr_scale_base_batch, 1)
        require_int("warmup_epochs", self.warmup_epochs, 0, self.epochs)
        _require_real("warmup_start_factor", self.warmup_start_factor, lambda v: 0 < v <= 1, "in (0, 1]")
        if self.patience is not None:
            require_int("patience", self.patience, 0)
        _require_real("min_delta", self.min_delta, lambda v: v >= 0, "at least 0")
        _require_bool("restore_best_weights", self.restore_best_weights)
        if self.restore_best_weights and self.patience is None:
            raise ValueError("restore_best_weights=True needs early stopping: set patience")
        _require_choice("monitor", self.monitor, MONITORS)
        if self.baseline is not None:
            _require_real("baseline", self.baseline, lambda v: True, "(any finite value)")
        require_int("start_from_epoch", self.start_from_epoch, 0)
        if (self.baseline is not None or self.start_from_epoch) and self.patience is None:
            raise ValueError("baseline and start_from_epoch need early stopping: set patience")

    @property
    def base_lr(self) -> float:
        """The learning rate after the linear scaling rule (equal to ``lr`` when it is off)."""
        if self.lr_scale_base_batch is None:
            return self.lr
        return self.lr * (self.batch_size / self.lr_scale_base_batch)


def learning_rate(config: TrainConfig, step: int, steps_per_epoch: int) -> float:
    """Learning rate used at optimizer step ``step`` (0-based, counted over the whole run).

    During the first ``warmup_epochs × steps_per_epoch`` steps it is
    ``base_lr × (f + (1 − f) × step / warmup_steps)`` with ``f = warmup_start_factor`` (the closed form
    of ``torch.optim.lr_scheduler.LinearLR``); afterwards ``base_lr``.
    """
    warmup_steps = config.warmup_epochs * steps_per_epoch
    if step >= warmup_steps:
        return config.base_lr
    f = config.warmup_start_factor
    return config.base_lr * (f + (1.0 - f) * step / warmup_steps)


# --- budget ------------------------------------------------------------------------------------------


def steps_needed(n: int, config: TrainConfig) -> int:
    """Optimizer steps a full run takes on ``n`` training samples: epochs × batches per epoch."""
    return config.epochs * loader_length(n, config.batch_size, config.drop_last)


def samples_needed(n: int, config: TrainConfig, n_val: int = 0) -> int:
    """Sample passes a full run takes: epochs × (``n`` training + ``n_val`` validation samples)."""
    return config.epochs * (n + n_val)


def max_epochs(n: int, batch_size: int, *, drop_last: bool = False, n_val: int = 0) -> int:
    """The most epochs a run on ``n`` training (+ ``n_val`` validation) samples may take within
    ``EPOCH_BUDGET``, ``STEP_BUDGET`` and ``SAMPLE_BUDGET`` (0 if not even one): a slider's maximum."""
    require_int("n", n, 1)
    require_int("batch_size", batch_size, 1)
    require_int("n_val", n_val, 0)
    per_epoch = loader_length(n, batch_size, drop_last)
    if per_epoch == 0:
        return 0
    return min(EPOCH_BUDGET, STEP_BUDGET // per_epoch, SAMPLE_BUDGET // (n + n_val))


def check_budget(n: int, config: TrainConfig, n_val: int = 0) -> int:
    """Raise ``ValueError`` unless the run fits the epoch, step and sample budgets; return its steps.

    Also refuses configurations with no batch at all (``drop_last`` with ``batch_size > n``).
    Pages can use ``max_epochs`` or ``steps_needed`` to size slider ranges before calling ``fit``.
    """
    require_int("n", n, 1)
    require_int("n_val", n_val, 0)
    per_epoch = loader_length(n, config.batch_size, config.drop_last)
    if per_epoch == 0:
        raise ValueError(
            f"batch_size={config.batch_size} with drop_last=True leaves no batch from {n} samples; "
            f"batch_size must be at most {n}"
        )
    if config.epochs > EPOCH_BUDGET:
        raise ValueError(f"epochs={config.epochs} exceeds the budget of {EPOCH_BUDGET} epochs")
    steps = steps_needed(n, config)
    if steps > STEP_BUDGET:
        raise ValueError(
            f"{config.epochs} epochs × {per_epoch} batches = {steps} steps exceeds the budget of "
            f"{STEP_BUDGET} steps; use fewer epochs or a larger batch_size"
        )
    samples = samples_needed(n, config, n_val)
    if samples > SAMPLE_BUDGET:
        raise ValueError(
            f"{config.epochs} epochs × {n + n_val} samples = {samples} sample passes exceeds the "
            f"budget of {SAMPLE_BUDGET}; use fewer epochs or fewer samples"
        )
    return steps


