"""One training step of a small network without the autograd engine: the same kernels, called directly.

On the pages' models (an MLP of a few dozen units, batches of a few samples) a step's arithmetic
takes microseconds; the time goes to the machinery around it: ``nn.Module.__call__`` per layer,
building the autograd graph in the forward pass, and the engine's graph walk in the backward pass
(about 0.5 ms a step on the BatchNorm MLP). For a ``Sequential`` of ``Linear``, ``ReLU`` and the
three norms (``ebcore.stacked.net.layers_of``) the graph is a chain, and autograd's backward is a
fixed sequence of ATen kernels. ``DirectBackprop`` runs the forward kernels each module's
``forward`` runs and then that backward sequence itself:

- ``Linear`` (2-D input, bias): forward ``linear`` = ``addmm(b, x, Wᵀ)``; backward as
  ``AddmmBackward0``: ``∂W = gᵀ·x`` (``mm_mat2_backward`` for ``Wᵀ``'s column-major strides, then
  ``TBackward0``), ``∂x = g·W``, and ``∂b = Σ_rows g`` (the engine's ``sum_to`` for the broadcast bias);
- ``ReLU``: ``threshold_backward(g, out, 0)``;
- ``BatchNorm1d`` (training): ``native_batch_norm`` and ``native_batch_norm_backward``, with the
  module's own ``num_batches_tracked`` update and batch-of-one check before it;
- ``LayerNorm`` / ``GroupNorm``: ``native_layer_norm`` / ``native_group_norm`` and their backward ops;
- losses: MSE (mean) ``mse_loss`` / ``mse_loss_backward``; cross-entropy (mean) as
  ``cross_entropy`` decomposes, ``_log_softmax`` + ``nll_loss_forward`` and their backward ops.

Same kernels, same inputs, same order: the same bits as ``loss.backward()``. ``tests/test_train_exact.py``
holds ``fit`` (which uses this where ``supports`` says so) to the reference DataLoader loop bit for bit,
and ``tests/test_direct_backprop.py`` compares every gradient with autograd's over models, shapes and
batch sizes. Anything else (other layers, hooks, frozen parameters, broadcasting targets) trains
through autograd as before.
"""

from __future__ import annotations

from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.trainer.fast import switch
from ebcore.trainer.records import BatchNormRecord

__all__ = ["SUPPORTED", "DirectBackprop", "kernels", "layers_of", "loss_and_grad", "supports"]

_MEAN = torch.nn._reduction.get_enum("mean")
_ONE = torch.ones(())  # the backward seed d(loss)/d(loss), as loss.backward() uses
_IGNORE = -100  # cross_entropy's default ignore_index
_aten = torch.ops.aten
_verify_batch_size = F._verify_batch_size
# the backward kernels, resolved to their overloads once (an overload packet resolves per call)
_threshold_backward = _aten.threshold_backward.default
_batch_norm_backward = _aten.native_batch_norm_backward.default
_layer_norm_backward = _aten.native_layer_norm_backward.default
_group_norm_backward = _aten.native_group_norm_backward.default
_mse_backward = _aten.mse_loss_backward.default
_nll_forward = _aten.nll_loss_forward.default
_nll_backward = _aten.nll_loss_backward.default
kernels = SimpleNamespace(threshold_backward=_threshold_backward, batch_norm_backward=_batch_norm_backward,
                          layer_norm_backward=_layer_norm_backward, group_norm_backward=_group_norm_backward,
                          nll_backward=_nll_backward)
"""The backward kernels by name, for the stacked network (``stacked.layers``, ``stacked.loss``), which
calls the same."""
_LINEAR, _RELU, _BATCH, _LAYER, _GROUP = range(5)
_KINDS = {nn.Linear: _LINEAR, nn.ReLU: _RELU, nn.BatchNorm1d: _BATCH, nn.LayerNorm: _LAYER, nn.GroupNorm: _GROUP}


SUPPORTED = tuple(_KINDS)
"""Layer types ``DirectBackprop`` and the stacked network (``ebcore.stacked.net``) take."""


def layers_of(model: nn.Module) -> list[nn.Module] | None:
    """The model's layers in order if it is a bare ``Linear`` or a ``Sequential`` of ``SUPPORTED``
    layers with default options (affine norms, BatchNorm tracking running statistics with a momentum);
    else None (such a model trains through autograd, alone)."""
    layers = [model] if isinstance(model, nn.Linear) else list(model) if isinstance(model, nn.Sequential) else None
    if not layers:
        return None
    for layer in layers:
        if type(layer) not in SUPPORTED:
            return None
        if isinstance(layer, nn.BatchNorm1d) and not (layer.affine and layer.track_running_stats
                                                      and layer.momentum is not None):
            return None
        if isinstance(layer, nn.LayerNorm) and (len(layer.normalized_shape) != 1 or not layer.elementwise_affine
                                                or layer.bias is None):
            return None
        if isinstance(layer, nn.GroupNorm) and not layer.affine:
            return None
        if isinstance(layer, nn.ReLU) and layer.inplace:
            return None
    return layers


def supports(model: nn.Module, loss: str, X: Tensor, y: Tensor) -> bool:
    """Whether ``DirectBackprop`` computes this model's steps on this data exactly as autograd would:
    a bare ``Linear`` or a ``Sequential`` of ``layers_of``'s layers, every parameter float32 and
    trainable, no module hooks, 2-D float32 inputs, and targets the loss takes without broadcasting
    (MSE: the outputs' shape; cross-entropy: 1-D class labels). False for every model while the fast
    paths are off (``switch``: the start-up self-check saw them differ from torch); the first call in a
    process runs that check if nothing has (``selfcheck.check_once``)."""
    from ebcore.trainer.fast import selfcheck  # (it trains with fit, which imports this module)

    selfcheck.check_once()
    if not switch.enabled():
        return False
    layers = layers_of(model)
    if layers is None or X.dim() != 2 or X.dtype != torch.float32:
        return False
    if nn.modules.module._global_forward_hooks or nn.modules.module._global_forward_pre_hooks:
        return False
    for module in model.modules():
        if module._forward_hooks or module._forward_pre_hooks or module._backward_hooks:
            return False
    params = list(model.parameters())
    if not params or any(not p.requires_grad or p.dtype != torch.float32 or p.device.type != "cpu" for p in params):
        return False
    linears = [layer for layer in layers if isinstance(layer, nn.Linear)]
    if not linears or any(layer.bias is None for layer in linears) or linears[0].in_features != X.shape[1]:
        return False
    if loss == "mse":
        return y.dim() == 2 and y.shape[1] == linears[-1].out_features and y.dtype == torch.float32
    return loss == "cross_entropy" and y.dim() == 1


def loss_and_grad(loss: str, out: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """The mean loss (``"mse"`` or ``"cross_entropy"``) of outputs ``out`` for targets ``y``, and its
    gradient with respect to ``out``, by the kernels ``loss.backward()`` runs."""
    if loss == "mse":
        return torch._C._nn.mse_loss(out, y, _MEAN), _mse_backward(_ONE, out, y, _MEAN)
    # cross_entropy = nll_loss(log_softmax(out, 1)): NllLossBackward0 then LogSoftmaxBackward0
    log_p = torch._log_softmax(out, 1, False)
    value, total_weight = _nll_forward(log_p, y, None, _MEAN, _IGNORE)
    g = _nll_backward(_ONE, log_p, y, None, _MEAN, _IGNORE, total_weight)
    return value, torch._log_softmax_backward_data(g, log_p, 1, out.dtype)


class DirectBackprop:
    """Forward, loss and gradients of one training step for a model ``supports`` accepts.

    ``bn_records``: optional, per BatchNorm layer index in ``layers_of(model)``, a list to which each
    training step appends a ``BatchNormRecord`` (what ``fit``'s forward hook records otherwise)."""

    def __init__(self, model: nn.Module, loss: str, bn_records: dict[int, list[BatchNormRecord]] | None = None) -> None:
        self.layers = layers_of(model)
        self.loss = loss
        self.bn_records = bn_records or {}
        # Each layer's kind, tensors and options, looked up once: a module attribute read costs a
        # Python call (buffers are updated in place, so holding them is safe).
        self.plan = []
        for layer in self.layers:
            kind, extra = _KINDS[type(layer)], ()
            if kind == _BATCH:
                extra = (layer.running_mean, layer.running_var, layer.num_batches_tracked, layer.momentum, layer.eps)
            elif kind == _LAYER:
                extra = (layer.normalized_shape, layer.eps)
            elif kind == _GROUP:
                extra = (layer.num_groups, layer.eps)
            self.plan.append((kind, getattr(layer, "weight", None), getattr(layer, "bias", None), layer, extra))

    def step(self, xb: Tensor, yb: Tensor) -> tuple[Tensor, Tensor, list[Tensor]]:
        """One step's mean loss (0-d), outputs (``(B, out)``) and the gradient of every parameter,
        in ``model.parameters()`` order, as ``loss.backward()`` would leave them in ``.grad``. Updates
        BatchNorm's running statistics and counters as the module's training forward does. Raises
        the module's ``ValueError`` when BatchNorm (or a one-channel-per-group GroupNorm) meets a
        batch of one."""
        with torch.no_grad():
            return self.step_without_grad_mode(xb, yb)

    def step_without_grad_mode(self, xb: Tensor, yb: Tensor) -> tuple[Tensor, Tensor, list[Tensor]]:
        """``step`` for a caller already inside ``torch.no_grad()`` (a training loop enters it once)."""
        saved, out = self._forward(xb)
        loss, g = loss_and_grad(self.loss, out, yb)
        return loss, out, self._backward(saved, g)

    def _forward(self, x: Tensor) -> tuple[list, Tensor]:
        saved = []
        linear, relu = torch._C._nn.linear, torch.relu
        for index, (kind, weight, bias, layer, extra) in enumerate(self.plan):
            if kind == _LINEAR:
                saved.append(x)
                x = linear(x, weight, bias)
            elif kind == _RELU:
                x = relu(x)
                saved.append(x)
            elif kind == _BATCH:
                running_mean, running_var, counter, momentum, eps = extra
                # BatchNorm's forward: count the batch, then F.batch_norm checks its size (it raises
                # for one value per channel: a batch of one, for 2-D input)
                counter.add_(1)
                if x.shape[0] == 1:
                    _verify_batch_size(x.size())
                y, mean, invstd = torch.native_batch_norm(x, weight, bias, running_mean, running_var, True, momentum,
                                                          eps)
                if index in self.bn_records:
                    self._record(index, layer, x)
                saved.append((x, mean, invstd))
                x = y
            elif kind == _LAYER:
                shape, eps = extra
                y, mean, rstd = torch.native_layer_norm(x, shape, weight, bias, eps)
                saved.append((x, mean, rstd))
                x = y
            else:  # GroupNorm, as F.group_norm and at::group_norm call it
                groups, eps = extra
                n, c = x.shape
                if n * c // groups == 1:
                    _verify_batch_size([n * c // groups, groups])
                y, mean, rstd = torch.native_group_norm(x, weight, bias, n, c, 1, groups, eps)
                saved.append((x, mean, rstd))
                x = y
        return saved, x

    def _record(self, index: int, layer: nn.BatchNorm1d, x: Tensor) -> None:
        # fit's forward hook: batch statistics of the layer's input, running statistics after the update
        self.bn_records[index].append(BatchNormRecord(
            batch_size=x.shape[0], batch_mean=x.mean([0]), batch_var=x.var([0], correction=0),
            running_mean=layer.running_mean.clone(), running_var=layer.running_var.clone()))

    def _backward(self, saved: list, g: Tensor) -> list[Tensor]:
        grads: list[Tensor] = []  # filled last layer first, reversed at the end
        append = grads.append
        for index in range(len(self.plan) - 1, -1, -1):
            kind, weight, bias, layer, extra = self.plan[index]
            keep = saved[index]
            need_input = index > 0  # the batch itself needs no gradient
            if kind == _LINEAR:
                append(g.sum(0))  # bias: the engine sums the broadcast rows (sum_to; keepdim only shapes it)
                append(g.t().mm(keep))  # weight
                if need_input:
                    g = g.mm(weight)
            elif kind == _RELU:
                g = _threshold_backward(g, keep, 0)
            else:
                x, mean, invstd = keep
                mask = [need_input, True, True]
                if kind == _BATCH:
                    running_mean, running_var, _, _, eps = extra
                    g, gw, gb = _batch_norm_backward(g, x, weight, running_mean, running_var, mean, invstd, True, eps,
                                                     mask)
                elif kind == _LAYER:
                    g, gw, gb = _layer_norm_backward(g, x, extra[0], mean, invstd, weight, bias, mask)
                else:
                    n, c = x.shape
                    g, gw, gb = _group_norm_backward(g, x, mean, invstd, weight, n, c, 1, extra[0], mask)
                append(gb)
                append(gw)
        grads.reverse()
        return grads
