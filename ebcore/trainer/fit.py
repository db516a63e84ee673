"""A DataLoader-exact PyTorch trainer, observable step by step.

``fit`` trains a model on in-memory tensors exactly like the notes' reference loop over
``DataLoader(TensorDataset(X, y), batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))``:
the same index batches in the same order, the same gradients, ``torch.optim``'s updates (issued by
``ebcore.trainer.fast.lean_optim`` without their per-step bookkeeping), and the same per-epoch loss bit for bit.
It is faster because it gathers each epoch's samples with one ``index_select`` instead of indexing
and collating sample by sample, and because, for the pages' networks (a chain of Linear, ReLU and
norm layers), it calls the kernels autograd's backward would run directly (``ebcore.trainer.fast.direct_backprop``)
and updates all parameters in one flat buffer (``ebcore.trainer.fast.flat_params``); other models go through the
module and the autograd engine. On top it records what the
pages show: per-step loss, batch size, gradient norm and learning rate, per-epoch metrics, optional
predictions, BatchNorm statistics and prediction snapshots.

Randomness comes only from explicit ``torch.Generator`` objects; torch's global RNG is never used,
because Streamlit runs many sessions in threads of one process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.primitives.calc import loader_length
from ebcore.trainer.fast.direct_backprop import DirectBackprop, layers_of, supports
from ebcore.trainer.fast.fastcalls import backward
from ebcore.trainer.fast.flat_params import FlatParams
from ebcore.trainer.records import (  # noqa: F401 - re-exported: ebcore.trainer.fit is where callers find them
    BatchNormRecord,
    BatchTooSmallForBatchNorm,
    History,
    StepPredictions,
    TrainingError,
)
from ebcore.trainer.fast.lean_optim import LeanOptimizer
from ebcore.trainer.config import (  # noqa: F401 - re-exported
    EPOCH_BUDGET,
    LOSSES,
    MONITORS,
    OPTIMIZERS,
    SAMPLE_BUDGET,
    SGD_MOMENTUM_DEFAULT,
    STEP_BUDGET,
    TrainConfig,
    _batches,
    _epoch_orders,
    _split,
    check_budget,
    epoch_batches,
    learning_rate,
    max_epochs,
    samples_needed,
    steps_needed,
)

_BN_BATCH_OF_ONE = "Expected more than 1 value per channel when training"

# --- training ----------------------------------------------------------------------------------------


_MEAN = torch.nn._reduction.get_enum("mean")
_ZERO = torch.zeros(1)


def _mse_loss(outputs: Tensor, targets: Tensor) -> Tensor:
    """``F.mse_loss`` (mean): the same kernel, called directly when no broadcasting is needed,
    because the wrapper's broadcasting costs about as much as the loss itself on small batches."""
    if outputs.shape == targets.shape:
        return torch._C._nn.mse_loss(outputs, targets, _MEAN)
    return F.mse_loss(outputs, targets)


def _cross_entropy(outputs: Tensor, targets: Tensor) -> Tensor:
    """``F.cross_entropy`` (mean, no weights, no smoothing): the kernel it calls, without its wrapper."""
    return torch._C._nn.cross_entropy_loss(outputs, targets, None, _MEAN, -100, 0.0)


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
    loss_fn = _mse_loss if config.loss == "mse" else _cross_entropy
    classify = config.loss == "cross_entropy"
    hooks = []
    direct = None
    if supports(model, config.loss, X, y):
        # the same kernels autograd's backward runs, called directly (ebcore.trainer.fast.direct_backprop): same bits
        records = {}
        if record_bn_stats:
            records = {i: history.bn_stats.setdefault(name, []) for i, (name, module)
                       in enumerate(model.named_children()) if isinstance(module, nn.BatchNorm1d)}
        direct = DirectBackprop(model, config.loss, records)
    elif record_bn_stats:
        for name, module in model.named_modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                recorder = _bn_recorder(history.bn_stats.setdefault(name, []))
                hooks.append(module.register_forward_hook(recorder))
    # torch.optim's update minus its per-step bookkeeping (ebcore.trainer.fast.lean_optim): the same weights, bit
    # for bit, at a fraction of the cost on the small models the pages train.
    flat = None
    if direct is not None:
        # one buffer for all parameters: the optimizer's element-wise update runs once, not per tensor
        flat = FlatParams(params)
        optimizer = LeanOptimizer([flat.values], config.optimizer, config.momentum)
    else:
        optimizer = LeanOptimizer(params, config.optimizer, config.momentum)
    run = _Run(model, params, optimizer, loss_fn, history, classify or record_predictions, direct, flat)
    stopper = None
    if config.patience is not None:
        stopper = _EarlyStopping(config.patience, config.min_delta, config.restore_best_weights)

    was_training = model.training
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
        if flat is not None:
            flat.release()
        model.train(was_training)
    return history


@dataclass
class _Run:
    """What stays fixed during one ``fit``: the model, its optimizer and loss, and where records go."""

    model: nn.Module
    params: list[nn.Parameter]
    optimizer: LeanOptimizer
    loss_fn: Callable
    history: History
    keep_outputs: bool  # needed for training accuracy and recorded predictions only
    direct: DirectBackprop | None  # None: forward and backward through the module and autograd
    flat: FlatParams | None  # with ``direct``: the parameters' flat buffer the optimizer updates

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
        losses: list[Tensor] = []
        norms: list[list[Tensor]] = []
        outputs: list[Tensor] = []
        try:
            steps = self._autograd_steps if self.direct is None else self._direct_steps
            steps(xs, ys, lrs, losses, norms, outputs)
        except ValueError as err:
            if _BN_BATCH_OF_ONE not in str(err):
                raise
            failed = len(losses)
            self._record_steps(epoch, xs, lrs, indices, losses, norms, outputs)
            raise BatchTooSmallForBatchNorm(epoch, failed, xs[failed].shape[0], str(err), self.history) from err
        values = self._record_steps(epoch, xs, lrs, indices, losses, norms, outputs)
        running = 0.0
        for value in values:  # the reference's `running_loss += loss.item()`: same doubles, same order
            running += value
        self.history.epoch_loss.append(running / len(xs))
        return outputs

    def _autograd_steps(self, xs, ys, lrs, losses: list, norms: list, outputs: list) -> None:
        """The steps through the module's forward and autograd, appending each step's loss,
        per-tensor gradient norms and (if kept) outputs as it finishes."""
        model, params, step, loss_fn = self.model, self.params, self.optimizer.step, self.loss_fn
        for xb, yb, lr in zip(xs, ys, lrs, strict=True):
            for p in params:  # optimizer.zero_grad() (set_to_none) without its profiling wrapper
                p.grad = None
            out = model(xb)
            loss = loss_fn(out, yb)
            backward(loss)
            # Per-tensor norms now, one stacked reduction per epoch: no host sync in the loop.
            # A parameter the forward pass did not use has no gradient; it counts as zero.
            norms.append(torch._foreach_norm([_ZERO if p.grad is None else p.grad for p in params]))
            step(lr)
            losses.append(loss.detach())
            if self.keep_outputs:
                outputs.append(out.detach())

    def _direct_steps(self, xs, ys, lrs, losses: list, norms: list, outputs: list) -> None:
        """The same steps with ``DirectBackprop``'s gradients; ``.grad`` ends as the last step's."""
        direct, step, keep = self.direct.step_without_grad_mode, self.optimizer.step, self.keep_outputs
        load = self.flat.load
        grads = None
        try:
            with torch.no_grad():  # once for the epoch, not once a step
                for xb, yb, lr in zip(xs, ys, lrs, strict=True):
                    loss, out, grads = direct(xb, yb)
                    norms.append(torch._foreach_norm(grads))
                    step(lr, [load(grads)])
                    losses.append(loss)
                    if keep:
                        outputs.append(out)
        except BaseException:
            grads = None  # as zero_grad() left them before the failed step's forward
            raise
        finally:
            for p, g in zip(self.params, grads or [None] * len(self.params), strict=True):
                p.grad = g

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
