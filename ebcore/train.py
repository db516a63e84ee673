"""A DataLoader-exact PyTorch trainer, observable step by step.

``fit`` trains a model on in-memory tensors exactly like the notes' reference loop over
``DataLoader(TensorDataset(X, y), batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))``:
the same index batches in the same order, the same real autograd and ``torch.optim`` updates, and the
same per-epoch loss bit for bit. It is faster because it gathers each epoch's samples with one
``index_select`` instead of indexing and collating sample by sample. On top it records what the
pages show: per-step loss, batch size, gradient norm and learning rate, per-epoch metrics, optional
predictions, BatchNorm statistics and prediction snapshots.

Randomness comes only from explicit ``torch.Generator`` objects; torch's global RNG is never used,
because Streamlit runs many sessions in threads of one process.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.calc import loader_length
from ebcore.fastcalls import backward, step_function
from ebcore.keraslog import progress_line

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

_BN_BATCH_OF_ONE = "Expected more than 1 value per channel when training"


# --- configuration ----------------------------------------------------------------------------------


def _require_int(name: str, value: object, low: int, high: int | None = None) -> None:
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
    - ``patience``: early stopping (Keras semantics) after ``patience`` epochs without improvement
      of ``monitor`` by more than ``min_delta``; ``None`` disables it. ``restore_best_weights`` rolls
      the model back to the best epoch's weights (and BatchNorm statistics) at the end of training.
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

    def __post_init__(self) -> None:
        _require_int("epochs", self.epochs, 1)
        _require_int("batch_size", self.batch_size, 1)
        _require_real("lr", self.lr, lambda v: v > 0, "greater than 0")
        _require_choice("optimizer", self.optimizer, OPTIMIZERS)
        _require_real("momentum", self.momentum, lambda v: 0 <= v < 1, "in [0, 1)")
        if self.optimizer == "adam" and self.momentum != 0:
            raise ValueError("momentum must be 0 with optimizer='adam' (Adam's momentum is its betas)")
        if self.optimizer == "sgd_momentum" and self.momentum == 0:
            object.__setattr__(self, "momentum", SGD_MOMENTUM_DEFAULT)
        _require_bool("drop_last", self.drop_last)
        _require_bool("shuffle", self.shuffle)
        _require_int("seed", self.seed, 0, 2**63 - 1)
        _require_choice("loss", self.loss, LOSSES)
        if self.lr_scale_base_batch is not None:
            _require_int("lr_scale_base_batch", self.lr_scale_base_batch, 1)
        _require_int("warmup_epochs", self.warmup_epochs, 0, self.epochs)
        _require_real("warmup_start_factor", self.warmup_start_factor, lambda v: 0 < v <= 1, "in (0, 1]")
        if self.patience is not None:
            _require_int("patience", self.patience, 0)
        _require_real("min_delta", self.min_delta, lambda v: v >= 0, "at least 0")
        _require_bool("restore_best_weights", self.restore_best_weights)
        if self.restore_best_weights and self.patience is None:
            raise ValueError("restore_best_weights=True needs early stopping: set patience")
        _require_choice("monitor", self.monitor, MONITORS)

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


# --- which samples go in which batch ----------------------------------------------------------------


def _epoch_orders(n: int, *, shuffle: bool, seed: int) -> Iterator[Tensor]:
    """Endless per-epoch sample orders (int64 index tensors), consuming randomness like the DataLoader."""
    if not shuffle:
        order = torch.arange(n)
        while True:
            yield order
    g = torch.Generator().manual_seed(seed)
    while True:
        # Each `for ... in dataloader` builds a new iterator whose constructor draws a 64-bit base
        # seed (meant for worker processes) from the loader's generator, before any sampling.
        torch.empty((), dtype=torch.int64).random_(generator=g)
        order = torch.randperm(n, generator=g)
        # RandomSampler then draws a second permutation for its `num_samples % n` tail (empty by
        # default) when the epoch runs it to exhaustion; it is discarded but advances the generator.
        torch.randperm(n, generator=g)
        yield order


def _split(rows: Tensor, batch_size: int, drop_last: bool) -> tuple[Tensor, ...]:
    batches = rows.split(batch_size)
    if drop_last and batches[-1].shape[0] < batch_size:
        batches = batches[:-1]
    return batches


def _batches(X: Tensor, y: Tensor, order: Tensor, config: TrainConfig) -> tuple[list[Tensor], list[Tensor]]:
    """One epoch's input and target batches, each a fresh tensor as the DataLoader's collate makes it.

    One ``index_select`` per batch replaces the DataLoader's per-sample indexing and stacking: the very
    same values, and, like a collated batch, each in an allocation of its own (BLAS may take another
    path for data that starts at an offset inside a larger tensor).
    """
    if not config.shuffle:
        return ([xb.clone() for xb in _split(X, config.batch_size, config.drop_last)],
                [yb.clone() for yb in _split(y, config.batch_size, config.drop_last)])
    index = _split(order, config.batch_size, config.drop_last)
    return [X.index_select(0, i) for i in index], [y.index_select(0, i) for i in index]


def epoch_batches(
    n: int, batch_size: int, *, shuffle: bool = True, drop_last: bool = False, seed: int = 0, epochs: int = 1
) -> Iterator[tuple[Tensor, ...]]:
    """Yield, for each of ``epochs`` epochs, the tuple of int64 index tensors forming its batches.

    Exactly the batches of ``DataLoader(TensorDataset(...n samples...), batch_size, shuffle=shuffle,
    drop_last=drop_last, generator=torch.Generator().manual_seed(seed))`` in its successive passes
    (in order ``0..n-1`` when not shuffling). With ``drop_last`` the ``n mod batch_size`` samples
    missing from an epoch's batches are that epoch's skipped samples.
    """
    _require_int("n", n, 1)
    _require_int("batch_size", batch_size, 1)
    _require_int("epochs", epochs, 0)
    for order in itertools.islice(_epoch_orders(n, shuffle=shuffle, seed=seed), epochs):
        yield _split(order, batch_size, drop_last)


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
    _require_int("n", n, 1)
    _require_int("batch_size", batch_size, 1)
    _require_int("n_val", n_val, 0)
    per_epoch = loader_length(n, batch_size, drop_last)
    if per_epoch == 0:
        return 0
    return min(EPOCH_BUDGET, STEP_BUDGET // per_epoch, SAMPLE_BUDGET // (n + n_val))


def check_budget(n: int, config: TrainConfig, n_val: int = 0) -> int:
    """Raise ``ValueError`` unless the run fits the epoch, step and sample budgets; return its steps.

    Also refuses configurations with no batch at all (``drop_last`` with ``batch_size > n``).
    Pages can use ``max_epochs`` or ``steps_needed`` to size slider ranges before calling ``fit``.
    """
    _require_int("n", n, 1)
    _require_int("n_val", n_val, 0)
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


# --- what a run records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPredictions:
    """The model's answers in one training step, given *before* that step's weight update.

    ``epoch`` and ``step`` are 0-based (step within the epoch); ``indices`` are the int64 positions
    of the batch's samples in ``X``; ``outputs`` the matching model outputs (regression values or
    class logits; ``outputs.argmax(1)`` is the predicted class).
    """

    epoch: int
    step: int
    indices: Tensor
    outputs: Tensor


@dataclass(frozen=True)
class BatchNormRecord:
    """One BatchNorm layer in one training step: batch statistics versus running statistics.

    ``batch_mean``/``batch_var`` (shape ``(C,)``) are the mean and biased variance of the layer's
    input over the batch — what it normalised this step with. ``running_mean``/``running_var`` are
    the running estimates *after* this batch was folded in (``None`` without running stats) — what
    the layer will use in eval mode. ``batch_size`` is the number of samples in the batch.
    """

    batch_size: int
    batch_mean: Tensor
    batch_var: Tensor
    running_mean: Tensor | None
    running_var: Tensor | None


@dataclass
class History:
    """Everything ``fit`` observed. Epoch indices (``best_epoch``, ``stopped_epoch``) are 0-based
    positions in the per-epoch lists; logs and frames show them 1-based, as Keras does.

    Per step (one entry per optimizer update, across all epochs): ``step_loss`` (the batch's mean
    loss before the update), ``step_batch_size`` (samples), ``step_grad_norm`` (global L2 norm of
    all parameter gradients) and ``step_lr`` (learning rate used). Per epoch: ``epoch_loss`` (mean of
    the epoch's batch losses, as the reference loop computes it), ``epoch_accuracy`` (classification:
    fraction of the epoch's training samples classified right at the moment they were seen),
    ``val_loss``/``val_accuracy`` (after the epoch, eval mode), ``epoch_time`` (wall seconds).
    Optional: ``predictions`` (per step), ``bn_stats`` (per BatchNorm layer name, per step) and
    ``snapshots`` (predictions on fixed inputs before training, then after each epoch).
    """

    config: TrainConfig
    n_samples: int
    steps_per_epoch: int
    step_loss: list[float] = field(default_factory=list)
    step_batch_size: list[int] = field(default_factory=list)
    step_grad_norm: list[float] = field(default_factory=list)
    step_lr: list[float] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)
    epoch_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    epoch_time: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    predictions: list[StepPredictions] = field(default_factory=list)
    bn_stats: dict[str, list[BatchNormRecord]] = field(default_factory=dict)
    snapshots: list[Tensor] = field(default_factory=list)

    @property
    def epochs_run(self) -> int:
        """Number of completed epochs (fewer than ``config.epochs`` after early stopping)."""
        return len(self.epoch_loss)

    @property
    def diverged(self) -> bool:
        """True if any epoch's training loss is not finite (the learning rate was too large)."""
        return not all(math.isfinite(v) for v in self.epoch_loss)

    def steps_frame(self) -> dict[str, list]:
        """Per-step columns (dict of equal-length lists): ``update`` (1-based count of updates so
        far), ``epoch`` (1-based), ``batch_size``, ``samples_seen`` (cumulative), ``loss``,
        ``grad_norm``, ``lr``."""
        updates = range(1, len(self.step_loss) + 1)
        return {
            "update": list(updates),
            "epoch": [(u - 1) // self.steps_per_epoch + 1 for u in updates],
            "batch_size": list(self.step_batch_size),
            "samples_seen": list(itertools.accumulate(self.step_batch_size)),
            "loss": list(self.step_loss),
            "grad_norm": list(self.step_grad_norm),
            "lr": list(self.step_lr),
        }

    def metrics(self) -> dict[str, list[float]]:
        """The recorded per-epoch metrics under their Keras names: ``loss`` always, ``accuracy``
        (classification), ``val_loss`` (with validation data), ``val_accuracy`` (both)."""
        columns = {
            "loss": self.epoch_loss,
            "accuracy": self.epoch_accuracy,
            "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy,
        }
        return {name: list(values) for name, values in columns.items() if values or name == "loss"}

    def epochs_frame(self) -> dict[str, list]:
        """Per-epoch columns: ``epoch`` (1-based), ``updates`` and ``samples_seen`` (cumulative at the
        epoch's end, for switching the x-axis), ``time_s``, and the ``metrics()`` columns."""
        epochs = range(1, self.epochs_run + 1)
        seen = list(itertools.accumulate(self.step_batch_size))
        return {
            "epoch": list(epochs),
            "updates": [e * self.steps_per_epoch for e in epochs],
            "samples_seen": [seen[e * self.steps_per_epoch - 1] for e in epochs],
            "time_s": list(self.epoch_time),
        } | self.metrics()

    def log_lines(self) -> list[str]:
        """The run as a Keras-style log, one line per epoch
        (``Epoch 3/20  800/800 [==============================] - loss: 0.4561 - val_loss: 0.4702``),
        plus Keras's early-stopping notes."""
        steps, epochs, metrics = self.steps_per_epoch, self.config.epochs, self.metrics()
        lines = [
            progress_line(e + 1, epochs, steps, steps, {name: values[e] for name, values in metrics.items()})
            for e in range(self.epochs_run)
        ]
        if self.stopped_epoch is not None:
            lines.append(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.config.restore_best_weights and self.best_epoch is not None:
            lines.append(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
        return lines


# --- failures ----------------------------------------------------------------------------------------


class TrainingError(RuntimeError):
    """Training could not go on. ``history`` holds everything recorded before the failure."""

    def __init__(self, message: str, history: History) -> None:
        super().__init__(message)
        self.history = history


class BatchTooSmallForBatchNorm(TrainingError):
    """A BatchNorm layer met a training batch of one sample, where a batch variance does not exist.

    ``epoch`` and ``step`` (within the epoch) are 0-based; ``batch_size`` is the offending batch's
    size; ``torch_message`` is PyTorch's own message (the original ``ValueError`` is the ``__cause__``).
    """

    def __init__(self, epoch: int, step: int, batch_size: int, torch_message: str, history: History) -> None:
        super().__init__(
            f"Epoch {epoch + 1}, step {step + 1}/{history.steps_per_epoch}: a batch of {batch_size} "
            f"sample reached BatchNorm in training mode ({torch_message}). Use drop_last=True, a batch "
            "size that leaves a larger last batch, or LayerNorm/GroupNorm.",
            history,
        )
        self.epoch = epoch
        self.step = step
        self.batch_size = batch_size
        self.torch_message = torch_message


# --- training ----------------------------------------------------------------------------------------


def _make_optimizer(params: list[nn.Parameter], config: TrainConfig) -> torch.optim.Optimizer:
    # foreach=False is what the default (None) resolves to for CPU tensors: the same single-tensor
    # update code, minus the per-step check that decides it.
    lr = config.base_lr
    if config.optimizer in ("sgd", "sgd_momentum"):
        return torch.optim.SGD(params, lr=lr, momentum=config.momentum, foreach=False)
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, foreach=False)
    return torch.optim.RMSprop(params, lr=lr, momentum=config.momentum, foreach=False)


_MEAN = torch.nn._reduction.get_enum("mean")
_ZERO = torch.zeros(1)


def _mse_loss(outputs: Tensor, targets: Tensor) -> Tensor:
    """``F.mse_loss`` (mean): the same kernel, called directly when no broadcasting is needed,
    because the wrapper's broadcasting costs about as much as the loss itself on small batches."""
    if outputs.shape == targets.shape:
        return torch._C._nn.mse_loss(outputs, targets, _MEAN)
    return F.mse_loss(outputs, targets)


def _check_data(X: Tensor, y: Tensor, loss: str, names: tuple[str, str]) -> None:
    x_name, y_name = names
    if not isinstance(X, Tensor) or not X.is_floating_point() or X.dim() < 1 or X.shape[0] < 1:
        raise ValueError(f"{x_name} must be a floating-point tensor with at least one sample")
    if not isinstance(y, Tensor) or y.dim() < 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{y_name} must be a tensor with as many samples as {x_name} ({X.shape[0]})")
    if loss == "mse" and not y.is_floating_point():
        raise ValueError(f"loss='mse' needs floating-point targets, got {y_name} of dtype {y.dtype}")
    if loss == "cross_entropy" and (y.dtype != torch.int64 or y.dim() != 1):
        raise ValueError(f"loss='cross_entropy' needs a 1-D int64 tensor of class labels as {y_name}")


def _state_copy(model: nn.Module) -> dict[str, Tensor]:
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


class _EarlyStopping:
    """Keras 3 ``EarlyStopping(mode="min")``; ``update`` is its on_epoch_end, ``restore`` its on_train_end."""

    def __init__(self, patience: int, min_delta: float, restore_best_weights: bool) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.best = math.inf
        self.best_epoch = 0
        self.best_state: dict[str, Tensor] | None = None
        self.wait = 0

    def update(self, epoch: int, current: float, model: nn.Module) -> bool:
        """Take the epoch's monitored value; return True if training should stop after this epoch."""
        if self.restore_best_weights and self.best_state is None:
            self.best_state, self.best_epoch = _state_copy(model), epoch
        self.wait += 1
        # Keras negates min_delta in "min" mode and tests `current - min_delta < best`: a gain of
        # min_delta or less does not count. A NaN loss never improves.
        if current + self.min_delta < self.best:
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_state = _state_copy(model)
            return False
        return self.wait >= self.patience and epoch > 0

    def restore(self, model: nn.Module) -> None:
        if self.restore_best_weights and self.best_state is not None:
            model.load_state_dict(self.best_state)


def _bn_recorder(records: list[BatchNormRecord]) -> Callable:
    def hook(module: nn.modules.batchnorm._BatchNorm, args: tuple, output: Tensor) -> None:
        if not module.training:  # validation and snapshots run in eval mode; only training steps count
            return
        x = args[0].detach()
        dims = [d for d in range(x.dim()) if d != 1]  # every dimension except the channel
        running = (module.running_mean, module.running_var)
        records.append(
            BatchNormRecord(
                batch_size=x.shape[0],
                batch_mean=x.mean(dims),
                batch_var=x.var(dims, correction=0),
                running_mean=None if running[0] is None else running[0].clone(),
                running_var=None if running[1] is None else running[1].clone(),
            )
        )

    return hook


def _evaluate(
    model: nn.Module, loss_fn: Callable, X: Tensor, y: Tensor, classify: bool
) -> tuple[float, float]:
    """Loss and accuracy (NaN for regression) on (X, y) in eval mode; leaves the model in train mode."""
    outputs = _predict(model, X)
    accuracy = (outputs.argmax(1) == y).sum().item() / y.shape[0] if classify else math.nan
    return loss_fn(outputs, y).item(), accuracy


def _predict(model: nn.Module, inputs: Tensor) -> Tensor:
    """Eval-mode outputs without autograd (BatchNorm uses its running statistics); back to train mode."""
    model.eval()
    with torch.no_grad():
        outputs = model(inputs)
    model.train()
    return outputs


def fit(
    model: nn.Module,
    X: Tensor,
    y: Tensor,
    config: TrainConfig,
    *,
    validation_data: tuple[Tensor, Tensor] | None = None,
    on_epoch: Callable[[History, int], None] | None = None,
    record_predictions: bool = False,
    record_bn_stats: bool = False,
    snapshot_inputs: Tensor | None = None,
) -> History:
    """Train ``model`` in place on ``(X, y)`` as the reference DataLoader loop would, and return its History.

    Each step: zero the gradients, forward the batch, compute the mean loss (``config.loss``),
    backpropagate, record the gradient norm, ``optimizer.step()``. Batches are those of
    ``epoch_batches(len(X), ...)``; epoch loss is the mean of batch losses. After every epoch the
    model is evaluated on ``validation_data`` (if given), early stopping is applied (if configured)
    and ``on_epoch(history, epoch)`` is called with the 0-based epoch index.

    Options (off by default, they cost time and memory): ``record_predictions`` keeps every step's
    outputs with their sample indices (``History.predictions``); ``record_bn_stats`` keeps batch
    versus running statistics of every BatchNorm layer per step (``History.bn_stats``);
    ``snapshot_inputs`` keeps eval-mode predictions on those inputs before training and after each
    epoch (``History.snapshots``).

    Raises ``ValueError`` for bad data or an over-budget run (before any work), and
    ``BatchTooSmallForBatchNorm`` (with the history so far) when BatchNorm meets a batch of one.
    The model's train/eval mode is restored on return.
    """
    _check_data(X, y, config.loss, ("X", "y"))
    n_val = 0
    if validation_data is not None:
        _check_data(*validation_data, config.loss, ("X_val", "y_val"))
        n_val = validation_data[0].shape[0]
    elif config.patience is not None and config.monitor == "val_loss":
        raise ValueError("early stopping on monitor='val_loss' needs validation_data")
    n = X.shape[0]
    check_budget(n, config, n_val)
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters")

    steps_per_epoch = loader_length(n, config.batch_size, config.drop_last)
    history = History(config=config, n_samples=n, steps_per_epoch=steps_per_epoch)
    loss_fn = _mse_loss if config.loss == "mse" else F.cross_entropy
    classify = config.loss == "cross_entropy"
    run = _Run(
        model, params, _make_optimizer(params, config), loss_fn, history, classify or record_predictions
    )
    stopper = None
    if config.patience is not None:
        stopper = _EarlyStopping(config.patience, config.min_delta, config.restore_best_weights)

    was_training = model.training
    hooks = []
    if record_bn_stats:
        for name, module in model.named_modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                recorder = _bn_recorder(history.bn_stats.setdefault(name, []))
                hooks.append(module.register_forward_hook(recorder))
    try:
        model.train()
        if snapshot_inputs is not None:
            history.snapshots.append(_predict(model, snapshot_inputs))
        orders = _epoch_orders(n, shuffle=config.shuffle, seed=config.seed)
        for epoch in range(config.epochs):
            start = time.perf_counter()
            order = next(orders)
            xs, ys = _batches(X, y, order, config)
            first_step = epoch * steps_per_epoch
            lrs = [learning_rate(config, first_step + s, steps_per_epoch) for s in range(steps_per_epoch)]
            indices = _split(order, config.batch_size, config.drop_last) if record_predictions else None
            outputs = run.train_epoch(epoch, xs, ys, lrs, indices)
            if classify:
                correct = (torch.cat(outputs).argmax(1) == torch.cat(ys)).sum().item()
                history.epoch_accuracy.append(correct / sum(yb.shape[0] for yb in ys))
            if validation_data is not None:
                val_loss, val_accuracy = _evaluate(model, loss_fn, *validation_data, classify)
                history.val_loss.append(val_loss)
                if classify:
                    history.val_accuracy.append(val_accuracy)
            if snapshot_inputs is not None:
                history.snapshots.append(_predict(model, snapshot_inputs))
            stop = False
            if stopper is not None:
                monitored = history.val_loss[-1] if config.monitor == "val_loss" else history.epoch_loss[-1]
                stop = stopper.update(epoch, monitored, model)
                history.best_epoch = stopper.best_epoch
                if stop:
                    history.stopped_epoch = epoch
            history.epoch_time.append(time.perf_counter() - start)
            if on_epoch is not None:
                on_epoch(history, epoch)
            if stop:
                break
        if stopper is not None:
            stopper.restore(model)
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    return history


@dataclass
class _Run:
    """What stays fixed during one ``fit``: the model, its optimizer and loss, and where records go."""

    model: nn.Module
    params: list[nn.Parameter]
    optimizer: torch.optim.Optimizer
    loss_fn: Callable
    history: History
    keep_outputs: bool  # needed for training accuracy and recorded predictions only

    def train_epoch(
        self,
        epoch: int,
        xs: tuple[Tensor, ...],
        ys: tuple[Tensor, ...],
        lrs: list[float],
        indices: tuple[Tensor, ...] | None,
    ) -> list[Tensor]:
        """Run one epoch's steps and append their records and the epoch loss to the history (plus
        the step predictions when the batches' sample ``indices`` are given). Returns the steps'
        detached outputs, computed before each step's update (empty unless ``keep_outputs``)."""
        model, params, optimizer, loss_fn = self.model, self.params, self.optimizer, self.loss_fn
        step = step_function(optimizer)
        groups = optimizer.param_groups
        losses: list[Tensor] = []
        norms: list[list[Tensor]] = []
        outputs: list[Tensor] = []
        try:
            for xb, yb, lr in zip(xs, ys, lrs, strict=True):
                for group in groups:
                    group["lr"] = lr
                for p in params:  # optimizer.zero_grad() (set_to_none) without its profiling wrapper
                    p.grad = None
                out = model(xb)
                loss = loss_fn(out, yb)
                backward(loss)
                # Per-tensor norms now, one stacked reduction per epoch: no host sync in the loop.
                # A parameter the forward pass did not use has no gradient; it counts as zero.
                norms.append(torch._foreach_norm([_ZERO if p.grad is None else p.grad for p in params]))
                step()
                losses.append(loss.detach())
                if self.keep_outputs:
                    outputs.append(out.detach())
        except ValueError as err:
            if _BN_BATCH_OF_ONE not in str(err):
                raise
            step = len(losses)
            self._record_steps(epoch, xs, lrs, indices, losses, norms, outputs)
            raise BatchTooSmallForBatchNorm(epoch, step, xs[step].shape[0], str(err), self.history) from err
        values = self._record_steps(epoch, xs, lrs, indices, losses, norms, outputs)
        running = 0.0
        for value in values:  # the reference's `running_loss += loss.item()`: same doubles, same order
            running += value
        self.history.epoch_loss.append(running / len(xs))
        return outputs

    def _record_steps(
        self,
        epoch: int,
        xs: tuple[Tensor, ...],
        lrs: list[float],
        indices: tuple[Tensor, ...] | None,
        losses: list[Tensor],
        norms: list[list[Tensor]],
        outputs: list[Tensor],
    ) -> list[float]:
        """Append the finished steps' records to the history; return their losses as Python floats."""
        done = len(losses)
        if done == 0:
            return []
        history = self.history
        # float32 → Python float is exact, so `.tolist()` gives the very doubles `.item()` would.
        values = torch.stack(losses).tolist()
        # The global norm is the L2 norm of the per-tensor norms.
        grad_norms = torch.stack([t for parts in norms for t in parts]).view(done, -1).norm(dim=1)
        history.step_loss.extend(values)
        history.step_grad_norm.extend(grad_norms.tolist())
        history.step_batch_size.extend(xb.shape[0] for xb in xs[:done])
        history.step_lr.extend(lrs[:done])
        if indices is not None:
            # zip stops at the finished steps: after a crash `indices` still lists the whole epoch
            steps = enumerate(zip(indices, outputs, strict=False))
            history.predictions.extend(StepPredictions(epoch, s, idx, out) for s, (idx, out) in steps)
        return values
