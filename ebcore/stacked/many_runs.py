"""Many independent training runs as one program: ``fit_many``.

Small models spend their time on per-step overhead (a Python forward, autograd's bookkeeping, the
optimizer's loop over tensors), not on arithmetic. K runs that can step in lockstep — same
architecture, data size, batch size, ``drop_last``, shuffling and optimizer — train as one stacked
network (``ebcore.stacked.net``): one forward, one backward and one optimizer update per step for all
K. Each run keeps its own sample order (its own DataLoader generator), initial weights, learning rate,
warm-up, momentum, early stopping, validation data and records; result ``i`` equals
``fit(models[i], X[i], y[i], configs[i], ...)`` bit for bit (``tests/test_stacked.py``).

The optimizer is ``fit``'s (``trainer.fast.lean_optim``: ``torch.optim``'s update, bit for bit), run on
the stacked parameters: its updates are element-wise, so each run's slice gets the bits a run alone
would. Runs whose learning-rate settings differ get their own optimizer over their stretch of the run
axis (a view), which applies their own rate. The epoch loop is ``fit``'s own
(``trainer.loop``), with the stack's steps plugged in: snapshots and early stopping work on the runs'
own models, synced from the stack after every epoch where they are used; otherwise a model takes the
stack's state when its run ends.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import fields

import torch
from torch import Tensor, nn

from ebcore.stacked import net as stacked_net
from ebcore.stacked.loss import StackedLoss
from ebcore.stacked.net import StackedNet, lr_blocks
from ebcore.stacked.step_norms import StepNorms, each_step
from ebcore.trainer.config import TrainConfig, learning_rate
from ebcore.trainer.fast.direct_backprop import supports
from ebcore.trainer.fast.flat_params import FlatParams
from ebcore.trainer.fast.lean_optim import LeanOptimizer
from ebcore.trainer.loop import Run, Steps, append_steps, check_run, train_runs
from ebcore.trainer.order import split_batches
from ebcore.trainer.records import BatchNormRecord, History, TrainingError
from ebcore.trainer.single_run import fit

__all__ = ["fit_many"]

Pair = tuple[Tensor, Tensor]


def _per_run(value, k: int, what: str) -> list:
    """One value per run: a tensor/pair/None shared by all, or a list of K."""
    if value is None or isinstance(value, (Tensor, tuple)):
        return [value] * k
    values = list(value)
    if len(values) != k:
        raise ValueError(f"{what}: {len(values)} given for {k} runs")
    return values


_PER_RUN = frozenset({"epochs", "seed", "patience", "min_delta", "restore_best_weights", "monitor",
                       "baseline", "start_from_epoch"})
"""Settings the epoch loop applies run by run (``trainer.loop``): they may differ within a stack."""
_PER_BLOCK = frozenset({"lr", "lr_scale_base_batch", "warmup_epochs", "warmup_start_factor", "momentum", "optimizer"})
"""Settings of the learning rate and optimizer: a stretch of runs with equal ``_lr_key`` gets its own
optimizer (and the optimizer's family must match, ``_group_key``). Every other setting, including any
added to ``TrainConfig`` later, must be equal for runs to stack: a new setting is safe by default."""


def _lr_key(config: TrainConfig) -> tuple:
    # Runs with equal keys get the same learning rate at every step (and the same momentum).
    return (config.base_lr, config.warmup_epochs, config.warmup_start_factor, config.momentum)


def _group_key(model: nn.Module, X: Tensor, y: Tensor, val: Pair | None, config: TrainConfig,
               snapshot: Tensor | None) -> tuple | None:
    sig = stacked_net.signature(model)
    if sig is None or not supports(model, config.loss, X, y):
        return None
    optimizer = "sgd" if config.optimizer in ("sgd", "sgd_momentum") else config.optimizer
    shared = tuple((f.name, getattr(config, f.name)) for f in fields(config) if f.name not in _PER_RUN | _PER_BLOCK)
    return (sig, tuple(X.shape), X.dtype, tuple(y.shape), y.dtype, None if val is None else
            (tuple(val[0].shape), tuple(val[1].shape)), optimizer, shared,
            None if snapshot is None else tuple(snapshot.shape))


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
    bn_layers: Collection[str] | None = None,
    snapshot_inputs: Tensor | Sequence[Tensor] | None = None,
    on_error: str = "raise",
) -> list[History | TrainingError]:
    """Train ``models[i]`` with ``configs[i]`` on its data; result ``i`` equals what
    ``fit(models[i], X_i, y_i, configs[i], ...)`` returns (and leaves the model in the same state).

    ``X``/``y``: one tensor shared by every run, or a list with one per run; ``validation_data``:
    one ``(X_val, y_val)`` pair or a list of pairs; ``snapshot_inputs`` and ``record_bn_stats``: one
    value or one per run (``bn_layers``, as ``fit``'s, names the BatchNorm layers that record).
    ``on_epoch(history, epoch)`` is called for every run after each of its epochs (runs of one group in
    index order, epoch by epoch). Runs that can step in lockstep train stacked; the rest (and groups of
    one) go through ``fit``.

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
        check_run(xs[i], ys[i], configs[i], vals[i])

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
                                 record_bn_stats=bn_flags[i], bn_layers=bn_layers, snapshot_inputs=snaps[i],
                                 **options)
                except TrainingError as err:
                    out[i] = err
            continue
        runs = [Run(models[i], configs[i], xs[i], ys[i], vals[i], snaps[i]) for i in members]
        group = _Group(runs, [bn_flags[i] for i in members], bn_layers, record_predictions)
        results = train_runs(runs, group, on_epoch, group.sync_each_epoch)
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
    return any(layer.product and layer.exact(2, batch) for layer in StackedNet(models[:2]).layers)


class _Group:
    """K runs that step in lockstep, trained as one stacked network: ``fit_many``'s stepper for the
    epoch loop (``ebcore.trainer.loop``)."""

    def __init__(self, runs: list[Run], bn_flags: list[bool], bn_layers: Collection[str] | None,
                 record_predictions: bool) -> None:
        self.runs, self.k = runs, len(runs)
        self.net = StackedNet([run.model for run in runs])
        configs = [run.config for run in runs]
        first = configs[0]
        self.steps_per_epoch = runs[0].history.steps_per_epoch
        self.batch_size, self.drop_last, self.shuffle = first.batch_size, first.drop_last, first.shuffle
        self.criterion = StackedLoss(first.loss)
        self.classify = first.loss == "cross_entropy"
        self.keep_outputs = self.classify or record_predictions
        self.record_predictions = record_predictions
        self.bn_flags = bn_flags
        self.shared_x = all(run.X is runs[0].X for run in runs)
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
        self.bn_names = [name for name, m in runs[0].model.named_modules() if isinstance(m, nn.BatchNorm1d)]
        # Snapshots, early stopping (it keeps the best weights) and validation read the runs' own models
        # between epochs: then every run is synced after every epoch, else each when it ends. (One eval
        # forward over the stack was measured here and saved nothing: 2.05 s against 2.00 s, 8 runs of
        # the BatchNorm page at N 1,960.)
        self.sync_each_epoch = any(r.val is not None or r.stopper is not None or r.snapshot is not None for r in runs)
        # the BatchNorm layers that record (by name), for the runs that record
        recording = [i for i, flag in enumerate(bn_flags) if flag]
        self.recorders = [(name, layer) for name, layer in zip(self.bn_names, self.net.batch_norms(), strict=True)
                          if recording and (bn_layers is None or name in bn_layers)]
        for _, layer in self.recorders:
            layer.record, layer.record_runs = [], recording

    # --- the stepper ----------------------------------------------------------------------------------

    def begin(self, epoch: int) -> Steps:
        orders = [next(run.orders) for run in self.runs]
        if self.shuffle:
            if self.shared_x:  # every run's rows in one gather (a third of advanced indexing's time)
                index = torch.cat(orders)
                X0, y0 = self.runs[0].X, self.runs[0].y
                X = X0.index_select(0, index).view(self.k, -1, *X0.shape[1:])
                y = y0.index_select(0, index).view(self.k, -1, *y0.shape[1:])
            else:
                X = torch.stack([run.X[o] for run, o in zip(self.runs, orders, strict=True)])
                y = torch.stack([run.y[o] for run, o in zip(self.runs, orders, strict=True)])
        else:
            X = torch.stack([run.X for run in self.runs])
            y = torch.stack([run.y for run in self.runs])
        # the run axis first: each run's batch s is row s of every batch along dim 1
        xs = split_batches(X, self.batch_size, self.drop_last, dim=1)
        ys = split_batches(y, self.batch_size, self.drop_last, dim=1)
        first_step = epoch * self.steps_per_epoch
        lrs = [[learning_rate(self.runs[b0].config, first_step + s, self.steps_per_epoch)
                for s in range(self.steps_per_epoch)] for b0, _ in self.blocks]
        return Steps(epoch, orders, xs, ys, [xb.shape[1] for xb in xs], lrs)

    def run(self, steps: Steps) -> None:
        losses, norms, outputs, lrs = steps.losses, steps.norms, steps.outputs, steps.lrs  # a loss token a step
        net, optimizers, criterion, flat, step_norms = self.net, self.optimizers, self.criterion, self.flat, \
            self.step_norms
        for s, (xb, yb) in enumerate(zip(steps.xs, steps.ys, strict=True)):
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

    def record(self, steps: Steps) -> list[list[float]]:
        done = len(steps.losses)
        if done == 0:
            return [[] for _ in self.runs]
        per_run_losses = self.criterion.values(steps.losses).tolist()  # (K, done) → Python floats, exact
        # (K, done, P) per-tensor norms → each run's global norm per step, as fit reduces them.
        grad_norms = self.step_norms.take() if self.step_norms is not None else torch.stack(steps.norms, dim=1)
        sizes = steps.sizes[:done]
        bn_records = self._bn_records(done)
        for b, (b0, b1) in enumerate(self.blocks):
            for i in range(b0, b1):
                run = self.runs[i]
                if not run.active:
                    continue
                indices, outputs = None, ()
                if self.record_predictions:
                    indices = split_batches(steps.orders[i], self.batch_size, self.drop_last)
                    outputs = [out[i] for out in steps.outputs]
                append_steps(run.history, steps.epoch, per_run_losses[i],
                             grad_norms[i].contiguous().view(done, -1).norm(dim=1).tolist(), sizes, steps.lrs[b],
                             indices, outputs)
                if self.bn_flags[i]:
                    for name, layer_records, moments in bn_records:
                        means, variances = moments[i]
                        run.history.bn_stats.setdefault(name, []).extend(
                            BatchNormRecord(size, mean, var, stats[0, i], stats[1, i]) for size, mean, var, (_, stats)
                            in zip(sizes, means, variances, layer_records, strict=False))
        return per_run_losses

    def correct(self, steps: Steps) -> list[int] | None:
        # every run's right answers in one pass: integer counts, the same whichever way they are added
        if not self.classify:
            return None
        return (torch.cat(steps.outputs, dim=1).argmax(2) == torch.cat(steps.ys, dim=1)).sum(1).tolist()

    def sync(self, runs: list[int]) -> None:
        self.net.sync_to_models(runs)

    def close(self) -> None:
        if self.flat is not None:
            self.flat.release()
        for _, layer in self.recorders:
            layer.record = None

    def _bn_records(self, done: int) -> list[tuple[str, list, dict[int, tuple[list[Tensor], list[Tensor]]]]]:
        """Per recording BatchNorm layer: its name, the finished steps' records and each recording run's
        batch moments."""
        out = []
        for name, layer in self.recorders:
            records = layer.record[:done]
            layer.record = []
            # each step's batch mean and biased variance, as fit's BatchNorm records take them
            moments = {i: ([inputs[j].mean([0]) for inputs, _ in records],
                           [inputs[j].var([0], correction=0) for inputs, _ in records])
                       for j, i in enumerate(layer.record_runs)}
            out.append((name, records, moments))
        return out
