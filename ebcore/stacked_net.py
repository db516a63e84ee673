"""K copies of one small network as one stacked network: a leading run axis on every tensor.

``StackedNet`` takes K ``nn.Sequential`` models of the same architecture (``Linear``, ``BatchNorm1d``,
``LayerNorm``, ``GroupNorm``, ``ReLU``; or a bare ``nn.Linear``) and holds each parameter as one leaf
tensor of shape ``(K, ...)``. Its forward takes ``(K, B, features)`` — run ``k``'s batch in row ``k`` —
and returns ``(K, B, outputs)``; one backward fills every run's gradient.

Bit-exactness with the single model is the contract (``fit_many`` must equal ``fit``). A batched
kernel (``baddbmm``, one ``batch_norm`` over the K runs' channels side by side) does the same arithmetic
as the single-run kernel on most shapes, but not all: BLAS and the vectorised norm kernels pick their
code path by shape, so a batched matrix product can sum in another order than ``addmm`` (an output width
of 1, say), and a channel count that is not a multiple of the vector width changes which channels take
the scalar tail. So each layer has two implementations: ``batched`` (one call for all runs) and
``per_run`` (the very call ``nn.Module.forward`` makes, on a fresh copy of each run's slice, so its bits
are the single model's by construction). ``exact_batched`` asks, once per layer and shape, whether the
batched call gives the per-run bits — forward and backward, on random values — and the network uses it
only where it does. A kernel's choice depends on shapes, not values, so one probe answers for the shape.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

SUPPORTED = (nn.Linear, nn.BatchNorm1d, nn.LayerNorm, nn.GroupNorm, nn.ReLU)
"""Layer types a stacked network can hold."""


def layers_of(model: nn.Module) -> list[nn.Module] | None:
    """The model's layers in order if it is a bare ``Linear`` or a ``Sequential`` of ``SUPPORTED``
    layers with default options (affine norms, BatchNorm tracking running statistics with a momentum);
    else None (such a model trains alone, through ``fit``)."""
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


def signature(model: nn.Module) -> tuple | None:
    """What must be equal for two models to stack: layer types, their options and parameter shapes."""
    layers = layers_of(model)
    if layers is None:
        return None
    out = []
    for layer in layers:
        shapes = tuple(tuple(p.shape) for p in layer.parameters())
        extra = layer.extra_repr()
        out.append((type(layer).__name__, extra, shapes, tuple(p.requires_grad for p in layer.parameters())))
    return tuple(out)


# --- one layer, both ways --------------------------------------------------------------------------------


def _fresh(t: Tensor) -> Tensor:
    # A copy in its own allocation: the single model's tensors are their own allocations, and BLAS may
    # take another path for data that starts elsewhere in memory.
    return t.clone(memory_format=torch.contiguous_format)


class _FreshGrad(torch.autograd.Function):
    """Identity forward; backward hands on the gradient as a fresh contiguous tensor.

    A single model's layers always receive their output gradient as a fresh allocation. In the stack a
    gradient can arrive as a transposed view (from the run-interleaved norm layers) or as a slice of the
    runs' gradient at an offset; kernels that choose their path by strides or alignment would then sum
    in another order. This puts every layer's incoming gradient back into the single model's layout.
    """

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:  # noqa: D102
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: Tensor) -> Tensor:  # noqa: D102
        return _fresh(grad)


def _fresh_grad(x: Tensor) -> Tensor:
    return _FreshGrad.apply(x) if x.requires_grad else x


class _Layer:
    """One layer of the stacked network. ``params`` are the stacked leaves ``(K, ...)``."""

    params: list[Tensor]

    def batched(self, x: Tensor) -> Tensor:
        raise NotImplementedError

    def per_run(self, x: Tensor) -> Tensor:
        raise NotImplementedError

    def shape_key(self, x: Tensor) -> tuple:
        return (type(self).__name__, tuple(x.shape), tuple(tuple(p.shape) for p in self.params))


class _Linear(_Layer):
    def __init__(self, weight: Tensor, bias: Tensor | None) -> None:
        self.weight, self.bias = weight, bias
        self.params = [weight] + ([bias] if bias is not None else [])

    def batched(self, x: Tensor) -> Tensor:
        wt = self.weight.transpose(1, 2)
        if self.bias is None:
            return torch.bmm(x, wt)
        return torch.baddbmm(self.bias.unsqueeze(1), x, wt)

    def per_run(self, x: Tensor) -> Tensor:
        ws = self.weight.unbind(0)
        bs = self.bias.unbind(0) if self.bias is not None else [None] * len(ws)
        return torch.stack([_fresh_grad(F.linear(_fresh(xk), _fresh(w), None if b is None else _fresh(b)))
                            for xk, w, b in zip(x.unbind(0), ws, bs, strict=True)])


class _ReLU(_Layer):
    params: list[Tensor] = []

    def batched(self, x: Tensor) -> Tensor:
        return F.relu(x)  # elementwise: the same bits at any position (checked by the tests)

    per_run = batched


def _channels_side_by_side(x: Tensor) -> Tensor:
    """(K, B, C) → (B, K·C): each run's channels next to the others', as one wider batch."""
    k, b, c = x.shape
    return x.transpose(0, 1).reshape(b, k * c)


def _back_to_runs(flat: Tensor, k: int) -> Tensor:
    b, kc = flat.shape
    return flat.view(b, k, kc // k).transpose(0, 1).contiguous()


class _BatchNorm(_Layer):
    """BatchNorm1d through torch's own kernel; the running statistics live in ``(K·C)`` buffers."""

    def __init__(self, weight: Tensor, bias: Tensor, running_mean: Tensor, running_var: Tensor,
                 momentum: float, eps: float) -> None:
        self.weight, self.bias = weight, bias
        self.params = [weight, bias]
        self.running_mean, self.running_var = running_mean, running_var  # (K·C), updated in place
        self.momentum, self.eps = momentum, eps
        self.training = True
        self.batches_tracked = 0  # as BatchNorm1d.forward counts: before normalising, so a failing batch counts
        self.record: list[tuple[Tensor, Tensor, Tensor, Tensor]] | None = None

    def _record(self, x: Tensor) -> None:
        # What fit's BatchNorm hook keeps: the batch's mean and biased variance, and the running
        # statistics after the batch was folded in. Called after the forward, on the layer's input.
        if self.record is not None and self.training:
            k = x.shape[0]
            xd = x.detach()
            means = torch.stack([_fresh(xk).mean([0]) for xk in xd.unbind(0)])
            variances = torch.stack([_fresh(xk).var([0], correction=0) for xk in xd.unbind(0)])
            self.record.append((means, variances, self.running_mean.view(k, -1).clone(),
                                self.running_var.view(k, -1).clone()))

    def batched(self, x: Tensor) -> Tensor:
        k = x.shape[0]
        self.batches_tracked += self.training
        x = _fresh_grad(x)
        out = F.batch_norm(_channels_side_by_side(x), self.running_mean, self.running_var,
                           self.weight.reshape(-1), self.bias.reshape(-1), self.training, self.momentum, self.eps)
        self._record(x)
        return _back_to_runs(out, k)

    def per_run(self, x: Tensor) -> Tensor:
        k = x.shape[0]
        self.batches_tracked += self.training
        rms, rvs = self.running_mean.view(k, -1), self.running_var.view(k, -1)
        outs = []
        for i, (xk, w, b) in enumerate(zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True)):
            rm, rv = _fresh(rms[i]), _fresh(rvs[i])
            outs.append(_fresh_grad(F.batch_norm(_fresh(xk), rm, rv, _fresh(w), _fresh(b), self.training,
                                                 self.momentum, self.eps)))
            if self.training:
                with torch.no_grad():
                    rms[i].copy_(rm)
                    rvs[i].copy_(rv)
        self._record(x)
        return torch.stack(outs)


class _GroupNorm(_Layer):
    """GroupNorm (G groups of C channels per run) as one GroupNorm of K·G groups over K·C channels."""

    def __init__(self, weight: Tensor, bias: Tensor, groups: int, eps: float) -> None:
        self.weight, self.bias, self.groups, self.eps = weight, bias, groups, eps
        self.params = [weight, bias]

    def batched(self, x: Tensor) -> Tensor:
        k = x.shape[0]
        x = _fresh_grad(x)
        out = F.group_norm(_channels_side_by_side(x), k * self.groups, self.weight.reshape(-1),
                           self.bias.reshape(-1), self.eps)
        return _back_to_runs(out, k)

    def per_run(self, x: Tensor) -> Tensor:
        return torch.stack([_fresh_grad(F.group_norm(_fresh(xk), self.groups, _fresh(w), _fresh(b), self.eps))
                            for xk, w, b in zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True)])


class _LayerNorm(_Layer):
    """LayerNorm over the last dimension. Its fused kernel applies the affine step inside, with one
    weight for all rows, so K runs' weights cannot share one call: always per run."""

    def __init__(self, weight: Tensor, bias: Tensor, eps: float) -> None:
        self.weight, self.bias, self.eps = weight, bias, eps
        self.params = [weight, bias]

    def per_run(self, x: Tensor) -> Tensor:
        c = x.shape[-1]
        return torch.stack([_fresh_grad(F.layer_norm(_fresh(xk), (c,), _fresh(w), _fresh(b), self.eps))
                            for xk, w, b in zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True)])

    batched = per_run


# --- is the batched call exact for this shape? -----------------------------------------------------------


PROBE_TRIALS = 8
"""Random draws a probe compares. Two summation orders often round to the same float on a small
problem, so one draw could pass by luck; values spread over many magnitudes make rounding differ often."""


def _spread_randn(g: torch.Generator, *shape: int) -> Tensor:
    return torch.randn(*shape, generator=g) * torch.exp(2 * torch.randn(*shape, generator=g))


@functools.lru_cache(maxsize=4096)
def _probe(kind: str, k: int, batch: int, dims: tuple, training: bool) -> bool:
    g = torch.Generator().manual_seed(1234)
    return all(_probe_once(kind, k, batch, dims, training, g) for _ in range(PROBE_TRIALS))


def _probe_once(kind: str, k: int, batch: int, dims: tuple, training: bool, g: torch.Generator) -> bool:
    def rand(*shape: int) -> Tensor:
        return _spread_randn(g, *shape)

    if kind == "linear":
        n_in, n_out, has_bias = dims
        weight = rand(k, n_out, n_in)
        bias = rand(k, n_out) if has_bias else None

        def make() -> _Layer:
            return _Linear(weight.clone().requires_grad_(), None if bias is None else bias.clone().requires_grad_())

        width = n_in
    elif kind == "batch":
        (c,) = dims
        weight, bias = 1 + 0.1 * rand(k, c), 0.1 * rand(k, c)
        rm, rv = 0.1 * rand(k * c), 1 + 0.1 * rand(k * c).abs()

        def make() -> _Layer:
            layer = _BatchNorm(weight.clone().requires_grad_(), bias.clone().requires_grad_(), rm.clone(), rv.clone(),
                               0.1, 1e-5)
            layer.training = training
            return layer

        width = c
    elif kind == "group":
        c, groups = dims
        weight, bias = 1 + 0.1 * rand(k, c), 0.1 * rand(k, c)

        def make() -> _Layer:
            return _GroupNorm(weight.clone().requires_grad_(), bias.clone().requires_grad_(), groups, 1e-5)

        width = c
    else:
        raise ValueError(kind)
    x = rand(k, batch, width)
    upstream = rand(k, batch, width if kind != "linear" else dims[1])
    results = []
    for way in ("batched", "per_run"):
        layer = make()
        xs = x.clone().requires_grad_()
        with torch.enable_grad():
            out = getattr(layer, way)(xs)
            out.backward(upstream)
        extra = [layer.running_mean, layer.running_var] if isinstance(layer, _BatchNorm) else []
        results.append([out.detach(), xs.grad, *(p.grad for p in layer.params), *extra])
    return all(torch.equal(a, b) for a, b in zip(*results, strict=True))


def exact_batched(layer: _Layer, x: Tensor) -> bool:
    """Whether ``layer.batched`` gives ``layer.per_run``'s bits for inputs of ``x``'s shape (cached)."""
    k, batch = x.shape[0], x.shape[1]
    if isinstance(layer, _Linear):
        return _probe("linear", k, batch, (layer.weight.shape[2], layer.weight.shape[1], layer.bias is not None), True)
    if isinstance(layer, _BatchNorm):
        return _probe("batch", k, batch, (layer.weight.shape[1],), layer.training)
    if isinstance(layer, _GroupNorm):
        return _probe("group", k, batch, (layer.weight.shape[1], layer.groups), True)
    return isinstance(layer, _ReLU)


# --- the network --------------------------------------------------------------------------------------


class StackedNet:
    """K same-architecture models as one network. Parameters are stacked leaves ``(K, ...)`` in the
    order of ``model.parameters()``; ``sync_to_models`` copies them (and BatchNorm's running statistics
    and batch counts) back into each model, which then equals a model trained alone."""

    def __init__(self, models: Sequence[nn.Module]) -> None:
        self.models = list(models)
        self.k = len(self.models)
        per_model = [layers_of(m) for m in self.models]
        if any(layers is None for layers in per_model):
            raise ValueError("every model must be a Linear or a Sequential of supported layers")
        with torch.no_grad():
            def stack(tensors: Sequence[Tensor]) -> Tensor:
                return torch.stack([t.detach() for t in tensors]).requires_grad_(tensors[0].requires_grad)

            self.layers: list[_Layer] = []
            self.bn_modules: list[list[nn.BatchNorm1d]] = []
            for column in zip(*per_model, strict=True):
                first = column[0]
                if isinstance(first, nn.Linear):
                    bias = stack([m.bias for m in column]) if first.bias is not None else None
                    self.layers.append(_Linear(stack([m.weight for m in column]), bias))
                elif isinstance(first, nn.BatchNorm1d):
                    layer = _BatchNorm(stack([m.weight for m in column]), stack([m.bias for m in column]),
                                       torch.cat([m.running_mean for m in column]),
                                       torch.cat([m.running_var for m in column]), first.momentum, first.eps)
                    layer.batches_tracked = int(first.num_batches_tracked)
                    self.layers.append(layer)
                    self.bn_modules.append(list(column))
                elif isinstance(first, nn.GroupNorm):
                    self.layers.append(_GroupNorm(stack([m.weight for m in column]), stack([m.bias for m in column]),
                                                  first.num_groups, first.eps))
                elif isinstance(first, nn.LayerNorm):
                    self.layers.append(_LayerNorm(stack([m.weight for m in column]), stack([m.bias for m in column]),
                                                  first.eps))
                else:
                    self.layers.append(_ReLU())
        self.params = [p for layer in self.layers for p in layer.params]
        self.trainable = [p for p in self.params if p.requires_grad]
        self._model_params = [[p for p in m.parameters()] for m in self.models]
        if any(len(mp) != len(self.params) for mp in self._model_params):
            raise ValueError("parameter order of the models does not match their layers")

    def batch_norms(self) -> list[_BatchNorm]:
        """The stacked BatchNorm layers, in order (for recording their statistics)."""
        return [layer for layer in self.layers if isinstance(layer, _BatchNorm)]

    def forward(self, x: Tensor) -> Tensor:
        """Training-mode forward of ``(K, B, in)`` → ``(K, B, out)``; counts a batch for BatchNorm."""
        x = x.contiguous()
        for layer in self.layers:
            if isinstance(layer, (_BatchNorm, _GroupNorm)) and x.shape[1] == 1:
                # A batch of one may leave a norm one value per channel or group: let the single-run
                # call raise torch's own error, with its own shapes in the message.
                x = layer.per_run(x)
            elif exact_batched(layer, x):
                x = layer.batched(x)
            else:
                x = layer.per_run(x)
        return x

    def sync_to_models(self, runs: Sequence[int] | None = None) -> None:
        """Copy the stacked state of runs ``runs`` (all by default) into their own models."""
        with torch.no_grad():
            for k in range(self.k) if runs is None else runs:
                for mine, stacked in zip(self._model_params[k], self.params, strict=True):
                    mine.copy_(stacked[k])
                for layer, modules in zip(self.batch_norms(), self.bn_modules, strict=True):
                    c = layer.weight.shape[1]
                    modules[k].running_mean.copy_(layer.running_mean[k * c:(k + 1) * c])
                    modules[k].running_var.copy_(layer.running_var[k * c:(k + 1) * c])
                    modules[k].num_batches_tracked.fill_(layer.batches_tracked)

    def grad_norms(self) -> Tensor:
        """Per run, the per-tensor L2 norms of its gradients, ``(K, P)`` (a missing gradient counts 0):
        the norms ``fit`` takes with ``torch._foreach_norm``, in one reduction per tensor where that gives
        the same bits (asked once per shape)."""
        norms = []
        for p in self.trainable:
            if p.grad is None:
                norms.append(torch.zeros(self.k))
            elif _norm_exact(tuple(p.shape)):
                norms.append(p.grad.view(self.k, -1).norm(dim=1))
            else:
                norms.append(torch.stack(torch._foreach_norm([_fresh(g) for g in p.grad.unbind(0)])))
        return torch.stack(norms, dim=1)


@functools.lru_cache(maxsize=1024)
def _norm_exact(shape: tuple[int, ...]) -> bool:
    """Whether a row-wise norm of a ``shape`` stack (run axis first) equals ``_foreach_norm`` of each row."""
    g = torch.Generator().manual_seed(7)
    for _ in range(PROBE_TRIALS):
        grads = _spread_randn(g, *shape)
        rows = torch.stack(torch._foreach_norm([_fresh(row) for row in grads.unbind(0)]))
        if not torch.equal(rows, grads.view(shape[0], -1).norm(dim=1)):
            return False
    return True


def lr_blocks(keys: Sequence[object]) -> list[tuple[int, int]]:
    """Cut runs ``0..K-1`` into maximal stretches of equal consecutive ``keys``: ``[(start, stop), ...]``."""
    blocks, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            blocks.append((start, i))
            start = i
    return blocks
