"""Eval-mode outputs and validation metrics of K stacked runs at once, with each run's own bits.

``fit`` evaluates after every epoch: the model in eval mode (BatchNorm normalising with its running
statistics) on the validation set, then the mean loss and the accuracy. For K stacked runs that was K
module calls an epoch, each walking the model's modules twice to switch modes, and the stack had to be
copied into every model first. Here one eval forward runs over the stacked parameters, with the same
per-shape rule as the training forward (``ebcore.stacked_net``): a layer goes batched where a probe
found the batched call's bits equal to the per-run ones, run by run where it did not.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

from ebcore.stacked_loss import batched_loss_values
from ebcore.stacked_net import (
    PROBE_TRIALS,
    StackedNet,
    _back_to_runs,
    _BatchNorm,
    _channels_side_by_side,
    _fresh,
    _GroupNorm,
    _Linear,
    _linear_parts,
    _spread_randn,
    exact_batched,
)
from ebcore.train import _cross_entropy, _mse_loss


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
def bn_eval_exact(k: int, batch: int, channels: int) -> bool:
    """Whether eval-mode BatchNorm over K runs' channels side by side gives each run's own bits, for
    inputs ``(k, batch, channels)`` (random draws over many magnitudes)."""
    g = torch.Generator().manual_seed(77)
    for _ in range(PROBE_TRIALS):
        layer = _BatchNorm(1 + 0.1 * _spread_randn(g, k, channels), 0.1 * _spread_randn(g, k, channels),
                           0.1 * _spread_randn(g, k * channels), 1 + 0.1 * _spread_randn(g, k * channels).abs(),
                           0.1, 1e-5)
        x = _spread_randn(g, k, batch, channels)
        if not torch.equal(_bn_eval(layer, x.clone(), True), _bn_eval(layer, x.clone(), False)):
            return False
    return True


def all_batched(net: StackedNet, x_shape: tuple[int, ...], y: Tensor, loss: str) -> bool:
    """Whether every layer and the loss go batched for validation inputs of ``x_shape`` ``(K, N, in)``
    and targets ``y``. Where some layer goes run by run, its per-run copies cost more than the models'
    own forward passes, so ``fit``'s evaluation of each run is the cheaper way."""
    k, n, width = x_shape
    for layer in net.layers:
        if isinstance(layer, _BatchNorm):
            ok = bn_eval_exact(k, n, width)
        elif isinstance(layer, _Linear):
            ok = _linear_parts(k, n, layer.weight.shape[2], layer.weight.shape[1]).output
            width = layer.weight.shape[1]
        else:
            ok = not (isinstance(layer, _GroupNorm) and n == 1) and exact_batched(layer, torch.empty(k, n, width))
        if not ok:
            return False
    return batched_loss_values(loss, torch.zeros(k, n, width), torch.zeros_like(y)) is not None


def predict(net: StackedNet, x: Tensor) -> Tensor:
    """Every run's eval-mode outputs ``(K, N, out)`` for its inputs ``x`` ``(K, N, in)``: run ``i``'s are
    the bits its own model gives in eval mode (``ebcore.train._predict``). Changes no state."""
    x = x.contiguous()
    with torch.no_grad():
        for layer in net.layers:
            k, n = x.shape[0], x.shape[1]
            if isinstance(layer, _BatchNorm):
                x = _bn_eval(layer, x, bn_eval_exact(k, n, x.shape[2]))
            elif isinstance(layer, _Linear):  # only the output matters here, not the gradients
                x, _ = layer.forward(x, _linear_parts(k, n, layer.weight.shape[2], layer.weight.shape[1]).output)
            else:  # ReLU, LayerNorm, GroupNorm: the same in eval mode as in training, and stateless
                batched = not (isinstance(layer, _GroupNorm) and n == 1) and exact_batched(layer, x)
                x, _ = layer.forward(x, batched)
    return x


def validation_metrics(net: StackedNet, x: Tensor, y: Tensor, loss: str) -> tuple[list[float], list[float] | None]:
    """Each run's validation loss (the mean ``loss``: ``"mse"`` or ``"cross_entropy"``) and, for
    classification, accuracy (a fraction), as ``fit``'s ``_evaluate`` gives them: Python floats, one per
    run. ``x`` ``(K, N, in)``, ``y`` ``(K, N)`` class indices or ``(K, N, D)`` targets."""
    outputs = predict(net, x)
    values = batched_loss_values(loss, outputs, y)
    if values is None:  # no batched call with these bits for this shape: each run's own kernel
        loss_fn = _mse_loss if loss == "mse" else _cross_entropy
        values = torch.stack([loss_fn(o, t) for o, t in zip(outputs.unbind(0), y.unbind(0), strict=True)])
    if loss != "cross_entropy":
        return values.tolist(), None
    n = y.shape[1]
    return values.tolist(), [c / n for c in (outputs.argmax(2) == y).sum(1).tolist()]
