"""What a training run records (``History`` and its step records) and how it can fail
(``TrainingError``), shared by ``fit`` and ``fit_many``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from torch import Tensor

from ebcore.primitives import keraslog
from ebcore.trainer.config import TrainConfig

__all__ = ["BatchNormRecord", "BatchTooSmallForBatchNorm", "History", "StepPredictions", "TrainingError"]

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
    positions in the per-epoch lists; logs show them 1-based, as Keras does.

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

    def log_lines(self, style: str = keraslog.KERAS3) -> list[str]:
        """The run as Keras prints it (``keraslog.STYLES``; Keras 3 ``verbose=1`` by default): per epoch
        ``Epoch 3/20`` (when more than one), then ``800/800 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step - loss: 0.4561 -
        val_loss: 0.4702`` with this machine's ``epoch_time``; then Keras's early-stopping notes."""
        lines = keraslog.log(self.config.epochs, self.steps_per_epoch, self.metrics(), self.epoch_time, style)
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


