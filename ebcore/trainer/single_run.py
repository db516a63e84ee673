"""A DataLoader-exact PyTorch trainer, observable step by step.

``fit`` trains a model on in-memory tensors exactly like the notes' reference loop over
``DataLoader(TensorDataset(X, y), batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))``:
the same index batches in the same order, the same gradients, ``torch.optim``'s updates (issued by
``trainer.fast.lean_optim`` without their per-step bookkeeping), and the same per-epoch loss bit for bit.
It is faster because it gathers each epoch's samples with one ``index_select`` instead of indexing
and collating sample by sample, and because, for the pages' networks (a chain of Linear, ReLU and
norm layers), it calls the kernels autograd's backward would run directly (``trainer.fast.direct_backprop``)
and updates all parameters in one flat buffer (``trainer.fast.flat_params``); other models go through
the module and the autograd engine. The epoch loop around the steps is ``trainer.loop``'s, shared with
``fit_many``. It records what the pages show: per-step loss, batch size, gradient norm and learning
rate, per-epoch metrics, optional predictions, BatchNorm statistics and prediction snapshots.

Randomness comes only from explicit ``torch.Generator`` objects; torch's global RNG is never used,
because Streamlit runs many sessions in threads of one process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import torch
from torch import Tensor, nn

from ebcore.trainer.config import TrainConfig, learning_rate
from ebcore.trainer.fast.direct_backprop import DirectBackprop, supports
from ebcore.trainer.fast.fastcalls import backward
from ebcore.trainer.fast.flat_params import FlatParams
from ebcore.trainer.fast.lean_optim import LeanOptimizer
from ebcore.trainer.loop import Run, Steps, append_steps, check_run, loss_function, train_runs
from ebcore.trainer.order import gather_batches, split_batches
from ebcore.trainer.records import BatchNormRecord, History, TrainingError

__all__ = ["fit"]

_ZERO = torch.zeros(1)


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
    bn_layers: Collection[str] | None = None,
    snapshot_inputs: Tensor | None = None,
    after_step: Callable[[int], None] | None = None,
) -> History:
    """Train ``model`` in place on ``(X, y)`` as the reference DataLoader loop would, and return its History.

    Each step: zero the gradients, forward the batch, compute the mean loss (``config.loss``),
    backpropagate, record the gradient norm, ``optimizer.step()``. Batches are those of
    ``epoch_batches(len(X), ...)``; epoch loss is the mean of batch losses. After every epoch the
    model is evaluated on ``validation_data`` (if given), early stopping is applied (if configured)
    and ``on_epoch(history, epoch)`` is called with the 0-based epoch index.

    Options (off by default, they cost time and memory): ``record_predictions`` keeps every step's
    outputs with their sample indices (``History.predictions``); ``record_bn_stats`` keeps batch
    versus running statistics of every BatchNorm layer per step (``History.bn_stats``; ``bn_layers``: of
    the layers of those names only);
    ``snapshot_inputs`` keeps eval-mode predictions on those inputs before training and after each
    epoch (``History.snapshots``); ``after_step(updates)`` is called after every optimizer step with the
    number of updates so far (1, 2, …), while the model holds exactly those updates' weights.

    Raises ``ValueError`` for bad data or an over-budget run (before any work), and
    ``BatchTooSmallForBatchNorm`` (with the history so far) when BatchNorm meets a batch of one.
    The model's train/eval mode is restored on return.
    """
    check_run(X, y, config, validation_data)
    run = Run(model, config, X, y, validation_data, snapshot_inputs)
    result = train_runs([run], _OneRun(run, record_predictions, _named(bn_layers) if record_bn_stats else None,
                                         after_step), on_epoch)[0]
    if isinstance(result, TrainingError):
        raise result
    return result


def _named(names: Collection[str] | None) -> Callable[[str], bool]:
    """Whether ``record_bn_stats`` records the BatchNorm layer of this name (``names`` None: every one)."""
    return (lambda name: True) if names is None else frozenset(names).__contains__


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


class _OneRun:
    """``fit``'s stepper (``ebcore.trainer.loop``): one model's steps through its module and autograd,
    or through ``DirectBackprop``'s kernels and one flat parameter buffer where the model allows."""

    def __init__(self, run: Run, record_predictions: bool, record_bn: Callable[[str], bool] | None,
                 after_step: Callable[[int], None] | None = None) -> None:
        """``record_bn``: whether the BatchNorm layer of a name records its statistics (None: none does)."""
        model, config, history = run.model, run.config, run.history
        self.after_step, self.updates = after_step, 0
        self.run_, self.model, self.config = run, model, config
        self.params = [p for p in model.parameters() if p.requires_grad]
        if not self.params:
            raise ValueError("model has no trainable parameters")
        self.loss_fn = loss_function(config.loss)
        # outputs are kept for training accuracy and recorded predictions only
        self.keep_outputs = config.loss == "cross_entropy" or record_predictions
        self.record_predictions = record_predictions
        self.hooks = []
        self.direct = self.flat = None
        if supports(model, config.loss, run.X, run.y):
            # the same kernels autograd's backward runs, called directly (ebcore.trainer.fast.direct_backprop)
            records = {}
            if record_bn is not None:
                records = {i: history.bn_stats.setdefault(name, []) for i, (name, module)
                           in enumerate(model.named_children())
                           if isinstance(module, nn.BatchNorm1d) and record_bn(name)}
            self.direct = DirectBackprop(model, config.loss, records)
            # one buffer for all parameters: the optimizer's element-wise update runs once, not per tensor
            self.flat = FlatParams(self.params)
        elif record_bn is not None:
            for name, module in model.named_modules():
                if isinstance(module, nn.modules.batchnorm._BatchNorm) and record_bn(name):
                    recorder = _bn_recorder(history.bn_stats.setdefault(name, []))
                    self.hooks.append(module.register_forward_hook(recorder))
        # torch.optim's update minus its per-step bookkeeping (ebcore.trainer.fast.lean_optim): the same
        # weights, bit for bit, at a fraction of the cost on the small models the pages train.
        self.optimizer = LeanOptimizer(self.params if self.flat is None else [self.flat.values],
                                       config.optimizer, config.momentum)

    def begin(self, epoch: int) -> Steps:
        run, config = self.run_, self.config
        order = next(run.orders)
        xs, ys = gather_batches(run.X, run.y, order, config)
        per_epoch = run.history.steps_per_epoch
        lrs = [learning_rate(config, epoch * per_epoch + s, per_epoch) for s in range(per_epoch)]
        return Steps(epoch, [order], xs, ys, [xb.shape[0] for xb in xs], [lrs])

    def run(self, steps: Steps) -> None:
        (self._autograd_steps if self.direct is None else self._direct_steps)(
            steps.xs, steps.ys, steps.lrs[0], steps.losses, steps.norms, steps.outputs)

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
            if self.after_step is not None:
                self._after_step()

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
                    if self.after_step is not None:
                        self._after_step()
        except BaseException:
            grads = None  # as zero_grad() left them before the failed step's forward
            raise
        finally:
            for p, g in zip(self.params, grads or [None] * len(self.params), strict=True):
                p.grad = g

    def _after_step(self) -> None:
        self.updates += 1
        self.after_step(self.updates)

    def record(self, steps: Steps) -> list[list[float]]:
        done = len(steps.losses)
        if done == 0:
            return [[]]
        # float32 → Python float is exact, so `.tolist()` gives the very doubles `.item()` would.
        values = torch.stack(steps.losses).tolist()
        # The global norm is the L2 norm of the per-tensor norms.
        norms = torch.stack([t for parts in steps.norms for t in parts]).view(done, -1).norm(dim=1).tolist()
        indices = None
        if self.record_predictions:
            indices = split_batches(steps.orders[0], self.config.batch_size, self.config.drop_last)
        append_steps(self.run_.history, steps.epoch, values, norms, steps.sizes, steps.lrs[0], indices, steps.outputs)
        return [values]

    def correct(self, steps: Steps) -> list[int] | None:
        if self.config.loss != "cross_entropy":
            return None
        return [(torch.cat(steps.outputs).argmax(1) == torch.cat(steps.ys)).sum().item()]

    def sync(self, runs: list[int]) -> None:
        pass  # the model trains its own parameters

    def close(self) -> None:
        for hook in self.hooks:
            hook.remove()
        if self.flat is not None:
            self.flat.release()
