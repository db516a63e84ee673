"""Eval-mode outputs and validation metrics of K stacked runs at once, with each run's own bits.

``fit`` evaluates after every epoch: the model in eval mode (BatchNorm normalising with its running
statistics) on the validation set, then the mean loss and the accuracy. For K stacked runs that was K
module calls an epoch, each walking the model's modules twice to switch modes, and the stack had to be
copied into every model first. Here one eval forward runs over the stacked parameters, with the same
per-shape rule as the training forward (``ebcore.stacked.net``): a layer goes batched where a probe
found the batched call's bits equal to the per-run ones, run by run where it did not.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

from ebcore.stacked.loss import batched_loss_values
from ebcore.stacked.net import (
    StackedNet,
    _back_to_runs,
    _BatchNorm,
    _channels_side_by_side,
    _fresh,
    _GroupNorm,
    _LayerNorm,
    _Linear,
    _spread_randn,
    probe_trials,
)
from ebcore.trainer.loop import cross_entropy, mse_loss


def _bn_eval(layer: _BatchNorm, x: Tensor, batched: bool) -> Tensor:
    """BatchNorm1d in eval mode: ``(x − running_mean) / √(running_var + eps) · weight + bias`` per
    channel, by torch's kernel; the running statistics are read, never updated."""
    k = x.shape[0]
    if batched:
        out, _, _ = torch.native_batch_norm(_channels_side_by_side(x), layer.weight.reshape(-1),
                                            layer.bias.reshape(-1), layer.running_mean, layer.running_var, False,
                                            layer.momentum, layer.eps)
        return _back_to_runs(out, k)
    rms, rvs = layer.running_mean.view(k, -1), layer.running_var.view(k, -1)
    return torch.stack([
        torch.native_batch_norm(_fresh(xk), _fresh(w), _fresh(b), _fresh(rms[i]), _fresh(rvs[i]), False,
                                layer.momentum, layer.eps)[0]
        for i, (xk, w, b) in enumerate(zip(x.unbind(0), layer.weight.unbind(0), layer.bias.unbind(0), strict=True))
    ])


@functools.lru_cache(maxsize=1024)
def eval_exact(kind: str, k: int, batch: int, dims: tuple[int, ...]) -> bool:
    """Whether a layer's batched eval-mode output (``kind``: ``"linear"`` with ``dims = (in, out)``,
    ``"batch"``/``"layer"`` with ``(channels,)``, ``"group"`` with ``(channels, groups)``) gives each run's
    own bits for inputs ``(k, batch, in)``, over random draws of many magnitudes. Only the forward is
    compared: evaluation takes no gradients, so this costs a fraction of the training probes. The
    draws are as many as ``probe_trials`` asks for the outputs compared: one for most validation sets."""
    g = torch.Generator().manual_seed(77)
    out_width = dims[1] if kind == "linear" else dims[0]
    for _ in range(probe_trials(k * batch * out_width)):
        width = dims[0]
        if kind == "linear":
            layer = _Linear(_spread_randn(g, k, dims[1], width), _spread_randn(g, k, dims[1]))
        elif kind == "batch":
            layer = _BatchNorm(1 + 0.1 * _spread_randn(g, k, width), 0.1 * _spread_randn(g, k, width),
                               0.1 * _spread_randn(g, k * width), 1 + 0.1 * _spread_randn(g, k * width).abs(),
                               0.1, 1e-5)
        elif kind == "layer":
            layer = _LayerNorm(1 + 0.1 * _spread_randn(g, k, width), 0.1 * _spread_randn(g, k, width), 1e-5)
        elif kind == "group":
            layer = _GroupNorm(1 + 0.1 * _spread_randn(g, k, width), 0.1 * _spread_randn(g, k, width), dims[1], 1e-5)
        else:
            raise ValueError(kind)
        x = _spread_randn(g, k, batch, width)
        if not torch.equal(_eval_layer(layer, x.clone(), True), _eval_layer(layer, x.clone(), False)):
            return False
    return True


def _eval_layer(layer, x: Tensor, batched: bool) -> Tensor:
    if isinstance(layer, _BatchNorm):
        return _bn_eval(layer, x, batched)
    return layer.forward(x, batched)[0]  # the others compute the same in eval mode, and keep no state


def _eval_way(layer, k: int, n: int, width: int) -> bool:
    """Whether ``layer`` goes batched in eval mode for ``(k, n, width)`` inputs."""
    if isinstance(layer, _Linear):
        return eval_exact("linear", k, n, (layer.weight.shape[2], layer.weight.shape[1]))
    if isinstance(layer, _BatchNorm):
        return eval_exact("batch", k, n, (width,))
    if isinstance(layer, _LayerNorm):
        return eval_exact("layer", k, n, (width,))
    if isinstance(layer, _GroupNorm):  # a batch of one: the per-run call raises torch's own error
        return n > 1 and eval_exact("group", k, n, (width, layer.groups))
    return True  # ReLU: element-wise


def pays_off(net: StackedNet) -> bool:
    """Whether one eval forward over the stack is worth its probes for ``net``: not with a LayerNorm or
    GroupNorm layer, whose kernels cost the same per row either way while their eval probes (once per
    process and run count) cost more than the stacked evaluation saves. Measured for 8 runs of the
    BatchNorm page's MLP, N 1,960, 15 epochs: GroupNorm 0.65 s stacked against 0.62 s model by model
    with warm probes (0.88 against 0.71 s cold), LayerNorm even warm (0.48 against 0.45 s cold); the
    BatchNorm and plain networks gain (0.40 against 0.42 s warm)."""
    return not any(isinstance(layer, (_LayerNorm, _GroupNorm)) for layer in net.layers)


def all_batched(net: StackedNet, x_shape: tuple[int, ...], y: Tensor, loss: str) -> bool:
    """Whether every layer and the loss go batched for validation inputs of ``x_shape`` ``(K, N, in)``
    and targets ``y``. Where some layer goes run by run, its per-run copies cost more than the models'
    own forward passes, so ``fit``'s evaluation of each run is the cheaper way."""
    k, n, width = x_shape
    for layer in net.layers:
        if not _eval_way(layer, k, n, width):
            return False
        if isinstance(layer, _Linear):
            width = layer.weight.shape[1]
    return batched_loss_values(loss, torch.zeros(k, n, width), torch.zeros_like(y)) is not None


def predict(net: StackedNet, x: Tensor) -> Tensor:
    """Every run's eval-mode outputs ``(K, N, out)`` for its inputs ``x`` ``(K, N, in)``: run ``i``'s are
    the bits its own model gives in eval mode (``ebcore.trainer._predict``). Changes no state."""
    x = x.contiguous()
    with torch.no_grad():
        for layer in net.layers:
            x = _eval_layer(layer, x, _eval_way(layer, x.shape[0], x.shape[1], x.shape[2]))
    return x


def validation_metrics(net: StackedNet, x: Tensor, y: Tensor, loss: str) -> tuple[list[float], list[float] | None]:
    """Each run's validation loss (the mean ``loss``: ``"mse"`` or ``"cross_entropy"``) and, for
    classification, accuracy (a fraction), as ``fit``'s ``_evaluate`` gives them: Python floats, one per
    run. ``x`` ``(K, N, in)``, ``y`` ``(K, N)`` class indices or ``(K, N, D)`` targets."""
    outputs = predict(net, x)
    values = batched_loss_values(loss, outputs, y)
    if values is None:  # no batched call with these bits for this shape: each run's own kernel
        loss_fn = mse_loss if loss == "mse" else cross_entropy
        values = torch.stack([loss_fn(o, t) for o, t in zip(outputs.unbind(0), y.unbind(0), strict=True)])
    if loss != "cross_entropy":
        return values.tolist(), None
    n = y.shape[1]
    return values.tolist(), [c / n for c in (outputs.argmax(2) == y).sum(1).tolist()]
