"""The one epoch loop ``fit`` and ``fit_many`` share, with the way a step is taken plugged in.

A *stepper* trains one epoch of steps for its runs: ``fit``'s one run through autograd or through
``DirectBackprop`` (``ebcore.trainer.single_run``), or ``fit_many``'s K runs as one stacked network
(``ebcore.stacked.many_runs``). Everything around the steps is written here once: each run's sample
order, the snapshot before training, the batch-of-one rule (BatchNorm meeting a batch of one sample),
the epoch's loss as the reference loop sums it, accuracy, validation, snapshots, early stopping and its
restored weights, the epoch's time and ``on_epoch``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.primitives.calc import loader_length
from ebcore.trainer.config import TrainConfig, check_budget
from ebcore.trainer.fast.direct_backprop import layers_of
from ebcore.trainer.order import epoch_orders
from ebcore.trainer.records import BatchTooSmallForBatchNorm, History, StepPredictions, TrainingError
from ebcore.trainer.stopping import EarlyStopping

__all__ = ["BN_BATCH_OF_ONE", "Run", "Stepper", "Steps", "append_steps", "check_run", "cross_entropy",
           "epoch_progress", "evaluate", "loss_function", "mse_loss", "predict", "train_runs"]

BN_BATCH_OF_ONE = "Expected more than 1 value per channel when training"
"""PyTorch's message when BatchNorm in training mode meets a batch of one sample."""

Pair = tuple[Tensor, Tensor]

# --- losses and evaluation ---------------------------------------------------------------------------

_MEAN = torch.nn._reduction.get_enum("mean")


def mse_loss(outputs: Tensor, targets: Tensor) -> Tensor:
    """``F.mse_loss`` (mean): the same kernel, called directly when no broadcasting is needed,
    because the wrapper's broadcasting costs about as much as the loss itself on small batches."""
    if outputs.shape == targets.shape:
        return torch._C._nn.mse_loss(outputs, targets, _MEAN)
    return F.mse_loss(outputs, targets)


def cross_entropy(outputs: Tensor, targets: Tensor) -> Tensor:
    """``F.cross_entropy`` (mean, no weights, no smoothing): the kernel it calls, without its wrapper."""
    return torch._C._nn.cross_entropy_loss(outputs, targets, None, _MEAN, -100, 0.0)


def loss_function(loss: str) -> Callable[[Tensor, Tensor], Tensor]:
    """The mean loss a ``TrainConfig.loss`` names."""
    return mse_loss if loss == "mse" else cross_entropy


def predict(model: nn.Module, inputs: Tensor) -> Tensor:
    """Eval-mode outputs without autograd (BatchNorm uses its running statistics); back to train mode."""
    if _same_in_eval(model):
        # Switching a small model's modes walks every module twice and costs more than its forward
        # pass; Linear, ReLU, LayerNorm and GroupNorm compute the same either way.
        with torch.no_grad():
            return model(inputs)
    model.eval()
    with torch.no_grad():
        outputs = model(inputs)
    model.train()
    return outputs


def _same_in_eval(model: nn.Module) -> bool:
    """Whether ``model`` (in train mode) computes the same in eval mode: a chain of ``layers_of``'s
    layers without BatchNorm, every module already in train mode."""
    layers = layers_of(model)
    return (layers is not None and model.training and not any(isinstance(m, nn.BatchNorm1d) for m in layers)
            and all(m.training for m in layers))


def evaluate(model: nn.Module, loss: str, X: Tensor, y: Tensor) -> tuple[float, float]:
    """Loss and accuracy (NaN for regression) on (X, y) in eval mode; leaves the model in train mode."""
    outputs = predict(model, X)
    accuracy = (outputs.argmax(1) == y).sum().item() / y.shape[0] if loss == "cross_entropy" else math.nan
    return loss_function(loss)(outputs, y).item(), accuracy


# --- runs --------------------------------------------------------------------------------------------


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


def check_run(X: Tensor, y: Tensor, config: TrainConfig, val: Pair | None) -> None:
    """Raise ``ValueError`` for bad data, early stopping on ``val_loss`` without validation data, or a
    run over the budgets: every check, before any work."""
    _check_data(X, y, config.loss, ("X", "y"))
    if val is not None:
        _check_data(*val, config.loss, ("X_val", "y_val"))
    elif config.patience is not None and config.monitor == "val_loss":
        raise ValueError("early stopping on monitor='val_loss' needs validation_data")
    check_budget(X.shape[0], config, 0 if val is None else val[0].shape[0])


@dataclass
class Run:
    """One training run: its model, settings, data, sample orders, early stopping and records."""

    model: nn.Module
    config: TrainConfig
    X: Tensor
    y: Tensor
    val: Pair | None = None
    snapshot: Tensor | None = None  # inputs to predict on before training and after every epoch
    history: History = field(init=False)
    stopper: EarlyStopping | None = field(init=False)
    orders: Iterator[Tensor] = field(init=False)  # each epoch's sample order, as the DataLoader draws it
    active: bool = True

    def __post_init__(self) -> None:
        n, config = self.X.shape[0], self.config
        self.history = History(config=config, n_samples=n,
                               steps_per_epoch=loader_length(n, config.batch_size, config.drop_last))
        self.stopper = None if config.patience is None else EarlyStopping(
            config.patience, config.min_delta, config.restore_best_weights, config.baseline, config.start_from_epoch)
        self.orders = epoch_orders(n, shuffle=config.shuffle, seed=config.seed)


@dataclass
class Steps:
    """One epoch of a stepper's steps: its batches, and what the steps produce as they finish.

    ``sizes``: samples in each batch; ``lrs``: per learning-rate block of runs (one block for ``fit``),
    the learning rate of each step; ``orders``: each run's sample order this epoch. The lists after
    them fill one entry a finished step, in the stepper's own form."""

    epoch: int
    orders: list[Tensor]
    xs: tuple[Tensor, ...] | list[Tensor]
    ys: tuple[Tensor, ...] | list[Tensor]
    sizes: list[int]
    lrs: list[list[float]]
    losses: list = field(default_factory=list)
    norms: list = field(default_factory=list)
    outputs: list = field(default_factory=list)


class Stepper(Protocol):
    """How a group of runs takes its steps: what ``train_runs`` plugs in."""

    def begin(self, epoch: int) -> Steps:
        """Draw each run's sample order and the epoch's batches and learning rates."""

    def run(self, steps: Steps) -> None:
        """Take the epoch's steps, appending to ``steps`` as each finishes; a ``ValueError`` may stop it."""

    def record(self, steps: Steps) -> list[list[float]]:
        """Append the finished steps' records to each active run; return each run's step losses."""

    def correct(self, steps: Steps) -> list[int] | None:
        """Each run's right answers over the epoch (classification), or None."""

    def sync(self, runs: list[int]) -> None:
        """Make those runs' models hold their current weights (a no-op where the model trains itself)."""

    def close(self) -> None:
        """Give back what the steps held (flat buffers, hooks)."""


def append_steps(history: History, epoch: int, losses: list[float], grad_norms: list[float], sizes: list[int],
                 lrs: list[float], indices: tuple[Tensor, ...] | None = None, outputs: list[Tensor] = ()) -> None:
    """Append finished steps' records; with the batches' sample ``indices``, their predictions too."""
    done = len(losses)
    history.step_loss.extend(losses)
    history.step_grad_norm.extend(grad_norms)
    history.step_batch_size.extend(sizes[:done])
    history.step_lr.extend(lrs[:done])
    if indices is not None:
        # zip stops at the finished steps: after a crash `indices` still lists the whole epoch
        history.predictions.extend(StepPredictions(epoch, s, idx, out)
                                   for s, (idx, out) in enumerate(zip(indices, outputs, strict=False)))


# --- the loop ----------------------------------------------------------------------------------------


def train_runs(runs: list[Run], stepper: Stepper, on_epoch: Callable[[History, int], None] | None = None,
               sync_each_epoch: bool = True) -> list[History | TrainingError]:
    """Train ``runs`` epoch by epoch with ``stepper``'s steps; return each run's History, or the
    ``TrainingError`` (with the history so far) that ended it. A run ends after its own epochs or when
    its early stopping says so; ``on_epoch(history, epoch)`` follows each of its epochs, runs in order.
    ``sync_each_epoch``: sync every run's model after every epoch (else each when its run ends).
    Every model's train/eval mode is restored on return."""
    results: list[History | TrainingError | None] = [None] * len(runs)
    was_training = [run.model.training for run in runs]
    try:
        for run in runs:
            run.model.train()
            if run.snapshot is not None:
                run.history.snapshots.append(predict(run.model, run.snapshot))
        for epoch in range(max(run.config.epochs for run in runs)):
            start = time.perf_counter()
            steps = stepper.begin(epoch)
            try:
                stepper.run(steps)
            except ValueError as err:
                if BN_BATCH_OF_ONE not in str(err):
                    raise
                failed = len(steps.losses)  # the step that met the batch of one (0-based, within the epoch)
                stepper.record(steps)
                ended = [i for i, run in enumerate(runs) if run.active]
                for i in ended:
                    results[i] = BatchTooSmallForBatchNorm(epoch, failed, steps.sizes[failed], str(err),
                                                           runs[i].history)
                    results[i].__cause__, results[i].__suppress_context__ = err, True
                    runs[i].active = False
                stepper.sync(ended)
                break
            values = stepper.record(steps)
            active = [i for i, run in enumerate(runs) if run.active]
            if sync_each_epoch:
                stepper.sync(active)
            correct = stepper.correct(steps)
            elapsed = time.perf_counter() - start
            for i in active:
                _end_epoch(runs[i], epoch, values[i], sum(steps.sizes[:len(values[i])]),
                           None if correct is None else correct[i], elapsed, on_epoch)
            if not sync_each_epoch:  # the runs that ended with this epoch take their weights now
                stepper.sync([i for i in active if not runs[i].active])
            if not any(run.active for run in runs):
                break
        for run in runs:
            if run.active:
                _finish(run)
        return [run.history if result is None else result for result, run in zip(results, runs, strict=True)]
    finally:
        stepper.close()
        for run, mode in zip(runs, was_training, strict=True):
            run.model.train(mode)


def epoch_progress(progress: Callable[[float], None] | None, total: float,
                   weight: Callable[[History], float] = lambda history: 1) -> Callable[[History, int], None]:
    """An ``on_epoch`` for many runs that calls ``progress(fraction)``: the finished epochs' weights over
    ``total`` (at most 1), each epoch weighing 1 or ``weight(history)`` (e.g. its steps)."""
    done = 0.0

    def report(history: History, _epoch: int) -> None:
        nonlocal done
        done += weight(history)
        if progress is not None:
            progress(min(done / total, 1.0))

    return report


def _end_epoch(run: Run, epoch: int, values: list[float], seen: int, correct: int | None, elapsed: float,
               on_epoch) -> None:
    """Everything after one run's steps: epoch loss, accuracy, validation, snapshot, early stopping,
    time and ``on_epoch``; the run ends after its last epoch or when early stopping says so."""
    history, config = run.history, run.config
    start = time.perf_counter()
    running = 0.0
    for value in values:  # the reference's `running_loss += loss.item()`: same doubles, same order
        running += value
    history.epoch_loss.append(running / len(values))
    classify = config.loss == "cross_entropy"
    if classify:
        history.epoch_accuracy.append(correct / seen)
    if run.val is not None:
        val = evaluate(run.model, config.loss, *run.val)
        history.val_loss.append(val[0])
        if classify:
            history.val_accuracy.append(val[1])
    if run.snapshot is not None:
        history.snapshots.append(predict(run.model, run.snapshot))
    stop = False
    if run.stopper is not None:
        monitored = history.val_loss[-1] if config.monitor == "val_loss" else history.epoch_loss[-1]
        stop = run.stopper.update(epoch, monitored, run.model)
        history.best_epoch = run.stopper.best_epoch
        if stop:
            history.stopped_epoch = epoch
    history.epoch_time.append(elapsed + time.perf_counter() - start)
    if on_epoch is not None:
        on_epoch(history, epoch)
    if stop or epoch + 1 == config.epochs:
        _finish(run)


def _finish(run: Run) -> None:
    run.active = False
    if run.stopper is not None:
        run.stopper.restore(run.model)
