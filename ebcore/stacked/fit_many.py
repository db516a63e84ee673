"""Many independent training runs as one program: ``fit_many``.

Small models spend their time on per-step overhead (a Python forward, autograd's bookkeeping, the
optimizer's loop over tensors), not on arithmetic. K runs that can step in lockstep — same
architecture, data size, batch size, ``drop_last``, shuffling and optimizer — train as one stacked
network (``ebcore.stacked.net``): one forward, one backward and one optimizer update per step for all
K. Each run keeps its own sample order (its own DataLoader generator), initial weights, learning rate,
warm-up, momentum, early stopping, validation data and records; result ``i`` equals
``fit(models[i], X[i], y[i], configs[i], ...)`` bit for bit (``tests/test_stacked.py``).

The optimizer is ``fit``'s (``ebcore.trainer.fast.lean_optim``: ``torch.optim``'s update, bit for bit), run on the
stacked parameters: its updates are element-wise, so each run's slice gets the bits a run alone would.
Runs whose learning-rate settings differ get their own optimizer over their stretch of the run axis
(a view), which applies their own rate. Validation takes one eval forward over
the stack (``ebcore.stacked.evaluate``, probed per shape like the training forward); snapshots and early
stopping work on the runs' own models, synced from the stack after every epoch where they are used,
through the very code ``fit`` uses; otherwise a model takes the stack's state when its run ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.stacked import net as stacked_net
from ebcore.stacked.bn_moments import batch_moments
from ebcore.primitives.calc import loader_length
from ebcore.trainer.fast.direct_backprop import supports
from ebcore.trainer.fast.flat_params import FlatParams
from ebcore.trainer.fast.lean_optim import LeanOptimizer
from ebcore.stacked.evaluate import all_batched, pays_off, validation_metrics
from ebcore.stacked.loss import StackedLoss
from ebcore.stacked.net import StackedNet, lr_blocks
from ebcore.stacked.step_norms import StepNorms, each_step
from ebcore.trainer.fit import (
    _BN_BATCH_OF_ONE,
    BatchNormRecord,
    BatchTooSmallForBatchNorm,
    History,
    StepPredictions,
    TrainConfig,
    TrainingError,
    _check_data,
    _EarlyStopping,
    _epoch_orders,
    _evaluate,
    _mse_loss,
    _predict,
    _split,
    check_budget,
    fit,
    learning_rate,
)

Pair = tuple[Tensor, Tensor]


def _per_run(value, k: int, what: str) -> list:
    """One value per run: a tensor/pair/None shared by all, or a list of K."""
    if value is None or isinstance(value, (Tensor, tuple)):
        return [value] * k
    values = list(value)
    if len(values) != k:
        raise ValueError(f"{what}: {len(values)} given for {k} runs")
    return values


def _lr_key(config: TrainConfig) -> tuple:
    # Runs with equal keys get the same learning rate at every step (and the same momentum).
    return (config.base_lr, config.warmup_epochs, config.warmup_start_factor, config.momentum)


def _group_key(model: nn.Module, X: Tensor, y: Tensor, val: Pair | None, config: TrainConfig,
               snapshot: Tensor | None) -> tuple | None:
    sig = stacked_net.signature(model)
    if sig is None or not supports(model, config.loss, X, y):
        return None
    optimizer = "sgd" if config.optimizer in ("sgd", "sgd_momentum") else config.optimizer
    return (sig, tuple(X.shape), X.dtype, tuple(y.shape), y.dtype, None if val is None else
            (tuple(val[0].shape), tuple(val[1].shape)), config.batch_size, config.drop_last, config.shuffle,
            config.loss, optimizer, None if snapshot is None else tuple(snapshot.shape))


def fit_many(
    models: Sequence[nn.Module],
    X: Tensor | Sequence[Tensor],
    y: Tensor | Sequence[Tensor],
    configs: Sequence[TrainConfig],
    *,
    validation_data: Pair | Sequence[Pair] | None = None,
    on_epoch: Callable[[History, int], None] | None = None,
    record_predictions: bool = False,
    record_bn_stats: bool | Sequence[bool] = False,
    snapshot_inputs: Tensor | Sequence[Tensor] | None = None,
    on_error: str = "raise",
) -> list[History | TrainingError]:
    """Train ``models[i]`` with ``configs[i]`` on its data; result ``i`` equals what
    ``fit(models[i], X_i, y_i, configs[i], ...)`` returns (and leaves the model in the same state).

    ``X``/``y``: one tensor shared by every run, or a list with one per run; ``validation_data``:
    one ``(X_val, y_val)`` pair or a list of pairs; ``snapshot_inputs`` and ``record_bn_stats``: one
    value or one per run. ``on_epoch(history, epoch)`` is called for every run after each of its epochs
    (runs of one group in index order, epoch by epoch). Runs that can step in lockstep train stacked;
    the rest (and groups of one) go through ``fit``.

    Errors: bad data or an over-budget config raise ``ValueError`` before any work. A run that hits a
    ``TrainingError`` (BatchNorm meeting a batch of one) raises it (the first such run's, by index)
    unless ``on_error="return"``, which puts the error, with its ``history`` so far, in the run's slot.
    """
    k = len(models)
    if len(configs) != k:
        raise ValueError(f"{k} models but {len(configs)} configs")
    if on_error not in ("raise", "return"):
        raise ValueError(f"on_error must be 'raise' or 'return', got {on_error!r}")
    xs, ys = _per_run(X, k, "X"), _per_run(y, k, "y")
    vals = _per_run(validation_data, k, "validation_data")
    snaps = _per_run(snapshot_inputs, k, "snapshot_inputs")
    bn_flags = [record_bn_stats] * k if isinstance(record_bn_stats, bool) else list(record_bn_stats)
    options = dict(record_predictions=record_predictions)
    for i in range(k):  # fit's own checks, before any run starts
        _check_data(xs[i], ys[i], configs[i].loss, ("X", "y"))
        if vals[i] is not None:
            _check_data(*vals[i], configs[i].loss, ("X_val", "y_val"))
        elif configs[i].patience is not None and configs[i].monitor == "val_loss":
            raise ValueError("early stopping on monitor='val_loss' needs validation_data")
        check_budget(xs[i].shape[0], configs[i], 0 if vals[i] is None else vals[i][0].shape[0])

    groups: dict[object, list[int]] = {}
    for i in range(k):
        key = _group_key(models[i], xs[i], ys[i], vals[i], configs[i], snaps[i])
        groups.setdefault(key if key is not None else ("alone", i), []).append(i)

    out: list[History | TrainingError | None] = [None] * k
    for members in groups.values():
        # Same learning-rate settings next to each other: one param group per stretch.
        members = sorted(members, key=lambda i: (_lr_key(configs[i]), i))
        if len(members) == 1 or not _worth_stacking([models[i] for i in members], configs[members[0]],
                                                    xs[members[0]].shape[0]):
            for i in members:
                try:
                    out[i] = fit(models[i], xs[i], ys[i], configs[i], validation_data=vals[i], on_epoch=on_epoch,
                                 record_bn_stats=bn_flags[i], snapshot_inputs=snaps[i], **options)
                except TrainingError as err:
                    out[i] = err
            continue
        results = _Group([models[i] for i in members], [xs[i] for i in members], [ys[i] for i in members],
                         [configs[i] for i in members], [vals[i] for i in members], [snaps[i] for i in members],
                         [bn_flags[i] for i in members], record_predictions, on_epoch).train()
        for i, result in zip(members, results, strict=True):
            out[i] = result
    if on_error == "raise":
        for result in out:
            if isinstance(result, TrainingError):
                raise result
    return out  # type: ignore[return-value]


def _worth_stacking(models: Sequence[nn.Module], config: TrainConfig, n: int) -> bool:
    """Whether stacking saves anything: some matrix product of the network is exact batched at the
    full batch size. Where every layer would run per run, K ``fit`` calls do the same work for less."""
    batch = min(config.batch_size, n)
    probe = StackedNet(models[:2])
    x = torch.zeros(2, batch, next(iter(models[0].parameters())).shape[-1])
    for layer in probe.layers:
        if isinstance(layer, stacked_net._Linear):
            if stacked_net.exact_batched(layer, x):
                return True
            x = torch.zeros(2, batch, layer.weight.shape[1])
    return False


@dataclass
class _RunState:
    """One run of a group: its own model, config, data, generator of sample orders and records."""

    model: nn.Module
    config: TrainConfig
    X: Tensor
    y: Tensor
    val: Pair | None
    snapshot: Tensor | None
    history: History
    stopper: _EarlyStopping | None
    orders: object
    active: bool = True


class _Group:
    """K runs that step in lockstep, trained as one stacked network."""

    def __init__(self, models, xs, ys, configs, vals, snaps, bn_flags, record_predictions, on_epoch) -> None:
        self.k = len(models)
        self.net = StackedNet(models)
        first = configs[0]
        self.n = xs[0].shape[0]
        self.steps_per_epoch = loader_length(self.n, first.batch_size, first.drop_last)
        self.epochs = max(c.epochs for c in configs)
        self.batch_size, self.drop_last, self.shuffle = first.batch_size, first.drop_last, first.shuffle
        self.criterion = StackedLoss(first.loss)
        self.classify = first.loss == "cross_entropy"
        self.keep_outputs = self.classify or record_predictions
        self.record_predictions = record_predictions
        self.on_epoch = on_epoch
        self.bn_flags = bn_flags
        self.shared_x = all(x is xs[0] for x in xs)
        self.runs = []
        for model, X, y, config, val, snap in zip(models, xs, ys, configs, vals, snaps, strict=True):
            stopper = None
            if config.patience is not None:
                stopper = _EarlyStopping(config.patience, config.min_delta, config.restore_best_weights)
            history = History(config=config, n_samples=self.n, steps_per_epoch=self.steps_per_epoch)
            self.runs.append(_RunState(model, config, X, y, val, snap, history, stopper,
                                       _epoch_orders(self.n, shuffle=config.shuffle, seed=config.seed)))
        self.blocks = lr_blocks([_lr_key(c) for c in configs])
        # One optimizer a block of runs with the same learning-rate settings, as fit's (the updates are
        # element-wise, so a block's slice of the stack steps exactly as each run alone would).
        self.flat = None
        self.step_norms: StepNorms | None = None
        if len(self.blocks) == 1:
            # one learning rate for all: the stack's tensors in one buffer, one kernel an operation
            self.flat = FlatParams(self.net.params)
            self.optimizers = [LeanOptimizer([self.flat.values], first.optimizer, first.momentum)]
            # and the step's gradient norms from copies of that buffer, reduced once per chunk of steps
            layout = [(offset, p.numel() // self.k) for offset, p in zip(self.flat.offsets, self.net.params,
                                                                          strict=True)]
            self.step_norms = StepNorms(layout, self.k, self.flat.grad.numel(), self.steps_per_epoch)
        else:
            self.optimizers = [LeanOptimizer([p[start:stop] for p in self.net.params], configs[start].optimizer,
                                             configs[start].momentum) for start, stop in self.blocks]
        self.bn_names = [name for name, m in models[0].named_modules() if isinstance(m, nn.BatchNorm1d)]
        # Validation for all runs in one eval forward over the stack (``stacked_eval``), so the runs'
        # own models need the stack's state only where something reads them between epochs: early
        # stopping (it keeps the best weights) and snapshots. Otherwise a run is synced when it ends.
        self.val = None
        if all(v is not None for v in vals):
            val_x = torch.stack([v[0] for v in vals])
            val_y = torch.stack([v[1] for v in vals])
            if val_x.dim() == 3 and pays_off(self.net) and all_batched(self.net, tuple(val_x.shape), val_y,
                                                                       first.loss):
                self.val = (val_x, val_y)
        per_model_val = self.val is None and vals[0] is not None
        self.sync_each_epoch = per_model_val or any(r.stopper is not None or r.snapshot is not None for r in self.runs)
        self.loss_fn = _mse_loss if first.loss == "mse" else F.cross_entropy

    # --- per epoch ------------------------------------------------------------------------------------

    def train(self) -> list[History | TrainingError]:
        was_training = [m.training for m in self.net.models]
        results: list[History | TrainingError | None] = [None] * self.k
        bn_layers = self.net.batch_norms()
        records_on = any(self.bn_flags) and bn_layers
        try:
            for run in self.runs:
                run.model.train()
                if run.snapshot is not None:
                    run.history.snapshots.append(_predict(run.model, run.snapshot))
            for layer in bn_layers:
                layer.record = [] if records_on else None
                layer.record_runs = [i for i, flag in enumerate(self.bn_flags) if flag]
            for epoch in range(self.epochs):
                try:
                    self._train_epoch(epoch)
                except BatchTooSmallForBatchNorm as err:
                    for i, run in enumerate(self.runs):
                        if run.active:
                            results[i] = BatchTooSmallForBatchNorm(err.epoch, err.step, err.batch_size,
                                                                   err.torch_message, run.history)
                            results[i].__cause__ = err.__cause__
                            run.active = False
                    self.net.sync_to_models([i for i, r in enumerate(results) if isinstance(r, TrainingError)])
                    break
                if not any(run.active for run in self.runs):
                    break
            for i, run in enumerate(self.runs):
                if run.active:  # ran all its epochs without stopping early
                    self._finish(i)
            return [r if r is not None else run.history for r, run in zip(results, self.runs, strict=True)]
        finally:
            if self.flat is not None:
                self.flat.release()
            for layer in bn_layers:
                layer.record = None
            for model, mode in zip(self.net.models, was_training, strict=True):
                model.train(mode)

    def _finish(self, i: int) -> None:
        run = self.runs[i]
        run.active = False
        if run.stopper is not None:
            run.stopper.restore(run.model)

    def _epoch_batches(self, epoch: int) -> tuple[list[Tensor], tuple[tuple[Tensor, ...], tuple[Tensor, ...]]]:
        orders = [next(run.orders) for run in self.runs]
        if self.shuffle:
            if self.shared_x:
                index = torch.stack(orders)
                X, y = self.runs[0].X[index], self.runs[0].y[index]
            else:
                X = torch.stack([run.X[o] for run, o in zip(self.runs, orders, strict=True)])
                y = torch.stack([run.y[o] for run, o in zip(self.runs, orders, strict=True)])
        else:
            X = torch.stack([run.X for run in self.runs])
            y = torch.stack([run.y for run in self.runs])
        size, drop = self.batch_size, self.drop_last

        def split(t: Tensor) -> tuple[Tensor, ...]:
            parts = t.split(size, dim=1)
            if drop and parts[-1].shape[1] < size:
                parts = parts[:-1]
            return parts

        return orders, (split(X), split(y))

    def _train_epoch(self, epoch: int) -> None:
        start = time.perf_counter()
        orders, (xs, ys) = self._epoch_batches(epoch)
        first_step = epoch * self.steps_per_epoch
        lrs = [[learning_rate(self.runs[b0].config, first_step + s, self.steps_per_epoch)
                for s in range(self.steps_per_epoch)] for b0, _ in self.blocks]
        losses: list[tuple[str, Tensor]] = []  # one StackedLoss token a step
        norms: list[Tensor] = []
        outputs: list[Tensor] = []
        net, optimizers, criterion, flat, step_norms = self.net, self.optimizers, self.criterion, self.flat, \
            self.step_norms
        try:
            for s, (xb, yb) in enumerate(zip(xs, ys, strict=True)):
                out, saved = net.forward(xb)
                # each run's loss on its own slice of the outputs, as fit computes it on its outputs
                g, token = criterion.step(out, yb)
                grads = net.backward(saved, g)
                if flat is not None:
                    flat_grad = flat.load(grads)
                    step_norms.add(flat_grad)
                    optimizers[0].step(lrs[0][s], [flat_grad])
                else:
                    norms.append(each_step(grads))
                    for optimizer, (b0, b1), block_lrs in zip(optimizers, self.blocks, lrs, strict=True):
                        optimizer.step(block_lrs[s], [g[b0:b1] for g in grads])
                losses.append(token)
                if self.keep_outputs:
                    outputs.append(out)
        except ValueError as err:
            if _BN_BATCH_OF_ONE not in str(err):
                raise
            failed = len(losses)  # the step that met the batch of one (0-based, within the epoch)
            self._record_steps(epoch, orders, xs, lrs, losses, norms, outputs)
            raise BatchTooSmallForBatchNorm(epoch, failed, xs[failed].shape[1], str(err),
                                            self.runs[0].history) from err
        values = self._record_steps(epoch, orders, xs, lrs, losses, norms, outputs)
        active = [i for i, run in enumerate(self.runs) if run.active]
        if self.sync_each_epoch:
            self.net.sync_to_models(active)
        metrics = None if self.val is None else validation_metrics(self.net, *self.val, self.runs[0].config.loss)
        # every run's right answers in one pass: integer counts, the same whichever way they are added
        correct = (torch.cat(outputs, dim=1).argmax(2) == torch.cat(ys, dim=1)).sum(1).tolist() \
            if self.classify else None
        elapsed = time.perf_counter() - start
        for i, run in enumerate(self.runs):
            if not run.active:
                continue
            self._end_epoch(i, epoch, values[i], ys, None if correct is None else correct[i],
                            None if metrics is None else (metrics[0][i], None if metrics[1] is None else metrics[1][i]),
                            elapsed)
        if not self.sync_each_epoch:  # the runs that ended with this epoch take the stack's state now
            self.net.sync_to_models([i for i in active if not self.runs[i].active])

    def _end_epoch(self, i: int, epoch: int, values: list[float], ys, correct: int | None,
                   val: tuple[float, float | None] | None, elapsed: float) -> None:
        run, history, config = self.runs[i], self.runs[i].history, self.runs[i].config
        start = time.perf_counter()
        running = 0.0
        for value in values:  # the reference's `running_loss += loss.item()`: same doubles, same order
            running += value
        history.epoch_loss.append(running / len(values))
        if correct is not None:
            history.epoch_accuracy.append(correct / sum(t.shape[1] for t in ys))
        if val is None and run.val is not None:  # each model on its own (synced after every epoch)
            val = _evaluate(run.model, self.loss_fn, *run.val, self.classify)
        if val is not None:
            history.val_loss.append(val[0])
            if self.classify:
                history.val_accuracy.append(val[1])
        if run.snapshot is not None:
            history.snapshots.append(_predict(run.model, run.snapshot))
        stop = False
        if run.stopper is not None:
            monitored = history.val_loss[-1] if config.monitor == "val_loss" else history.epoch_loss[-1]
            stop = run.stopper.update(epoch, monitored, run.model)
            history.best_epoch = run.stopper.best_epoch
            if stop:
                history.stopped_epoch = epoch
        history.epoch_time.append(elapsed + time.perf_counter() - start)
        if self.on_epoch is not None:
            self.on_epoch(history, epoch)
        if stop or epoch + 1 == config.epochs:
            self._finish(i)

    def _record_steps(self, epoch, orders, xs, lrs, losses, norms, outputs) -> list[list[float]]:
        """Append the finished steps' records to every active run; return each run's step losses."""
        done = len(losses)
        if done == 0:
            return [[] for _ in self.runs]
        per_run_losses = self.criterion.values(losses).tolist()  # (K, done) → Python floats, exact
        # (K, done, P) per-tensor norms → each run's global norm per step, as fit reduces them.
        grad_norms = self.step_norms.take() if self.step_norms is not None else torch.stack(norms, dim=1)
        sizes = [xb.shape[1] for xb in xs[:done]]
        block_of = {}
        for b, (b0, b1) in enumerate(self.blocks):
            for i in range(b0, b1):
                block_of[i] = b
        bn_records = self._bn_records(done)
        for i, run in enumerate(self.runs):
            if not run.active:
                continue
            history = run.history
            history.step_loss.extend(per_run_losses[i])
            history.step_grad_norm.extend(grad_norms[i].contiguous().view(done, -1).norm(dim=1).tolist())
            history.step_batch_size.extend(sizes)
            history.step_lr.extend(lrs[block_of[i]][:done])
            if self.record_predictions:
                indices = _split(orders[i], self.batch_size, self.drop_last)
                history.predictions.extend(StepPredictions(epoch, s, idx, out[i])
                                           for s, (idx, out) in enumerate(zip(indices, outputs, strict=False)))
            if self.bn_flags[i] and bn_records is not None:
                for name, (layer_records, moments) in zip(self.bn_names, bn_records, strict=True):
                    means, variances = moments[i]
                    history.bn_stats.setdefault(name, []).extend(
                        BatchNormRecord(size, mean, var, rm[i], rv[i])
                        for size, mean, var, (_, rm, rv) in zip(sizes, means, variances, layer_records, strict=False))
        return per_run_losses

    def _bn_records(self, done: int):
        """Per BatchNorm layer, the finished steps' records and each recording run's batch moments."""
        layers = self.net.batch_norms()
        if not layers or layers[0].record is None:
            return None
        out = []
        for layer in layers:
            records = layer.record[:done]
            layer.record = []
            moments = {i: batch_moments([inputs[j] for inputs, _, _ in records])
                       for j, i in enumerate(layer.record_runs)}
            out.append((records, moments))
        return out
