"""K copies of one small network as one stacked network: a leading run axis on every tensor.

``StackedNet`` takes K ``nn.Sequential`` models of the same architecture (``Linear``, ``BatchNorm1d``,
``LayerNorm``, ``GroupNorm``, ``ReLU``; or a bare ``nn.Linear``) and holds each parameter as one
tensor of shape ``(K, ...)``. Its ``forward`` takes ``(K, B, features)`` — run ``k``'s batch in row
``k`` — and returns ``(K, B, outputs)`` with what the backward pass needs; ``backward`` turns the
outputs' gradient (each run's loss gradient, from ``fit_many``) into every parameter's ``(K, ...)``
gradient. Like ``fit`` it runs no autograd:
each layer calls the forward and backward kernels ``ebcore.trainer.fast.direct_backprop`` calls for one model
(those autograd would run), for all K runs at once where that is exact.

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
The gradient a layer receives is handed to its per-run backward as a fresh copy too: a single model's
layers always receive theirs as a fresh allocation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.trainer.fast.direct_backprop import SUPPORTED, layers_of  # noqa: F401 - re-exported
from ebcore.trainer.fast.direct_backprop import kernels as _k


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


class _Layer:
    """One layer of the stacked network. ``params`` are the stacked tensors ``(K, ...)``.

    ``forward(x, batched)`` returns the output and what ``backward`` needs; ``backward(g, saved,
    batched, need_input)`` returns the input's gradient (None unless ``need_input``) and the
    parameters' gradients in ``params`` order. ``batched``: one call for all runs, else one per run."""

    params: list[Tensor]

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        raise NotImplementedError

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        raise NotImplementedError


def _per_run_grads(results: list, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
    """Stack K per-run backward results ``(gx, [param grads])`` into the stacked layout."""
    gx = torch.stack([r[0] for r in results]) if need_input else None
    return gx, [torch.stack([r[1][i] for r in results]) for i in range(len(results[0][1]))]


class _Linear(_Layer):
    def __init__(self, weight: Tensor, bias: Tensor) -> None:
        self.weight, self.bias = weight, bias
        self.params = [weight, bias]

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        if batched:
            return torch.baddbmm(self.bias.unsqueeze(1), x, self.weight.transpose(1, 2)), x
        saved = [(_fresh(xk), _fresh(w)) for xk, w in zip(x.unbind(0), self.weight.unbind(0), strict=True)]
        return torch.stack([torch._C._nn.linear(xk, w, _fresh(b))
                            for (xk, w), b in zip(saved, self.bias.unbind(0), strict=True)]), saved

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        if batched:
            k, batch, n_out = g.shape
            if _linear_parts(k, batch, saved.shape[2], n_out).weight_grad:
                weight_grad = g.transpose(1, 2).bmm(saved)
            else:  # each run's own product (a dot product over the batch, which BLAS may sum another way)
                weight_grad = torch.stack([_fresh(gk).t().mm(_fresh(xk))
                                           for gk, xk in zip(g.unbind(0), saved.unbind(0), strict=True)])
            return (g.bmm(self.weight) if need_input else None), [weight_grad, g.sum(1)]
        results = []
        for gk, (xk, w) in zip(g.unbind(0), saved, strict=True):
            gk = _fresh(gk)
            results.append((gk.mm(w) if need_input else None, [gk.t().mm(xk), gk.sum(0)]))
        return _per_run_grads(results, need_input)


class _ReLU(_Layer):
    params: list[Tensor] = []

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        out = torch.relu(x)  # elementwise: the same bits at any position (checked by the tests)
        return out, out

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        return _k.threshold_backward(g, saved, 0), []


def _channels_side_by_side(x: Tensor) -> Tensor:
    """(K, B, C) → (B, K·C): each run's channels next to the others', as one wider batch."""
    k, b, c = x.shape
    return x.transpose(0, 1).reshape(b, k * c)


def _back_to_runs(flat: Tensor, k: int) -> Tensor:
    b, kc = flat.shape
    return flat.view(b, k, kc // k).transpose(0, 1).contiguous()


class _BatchNorm(_Layer):
    """BatchNorm1d through torch's own kernels; the running statistics live in ``(K·C)`` buffers."""

    def __init__(self, weight: Tensor, bias: Tensor, running_mean: Tensor, running_var: Tensor,
                 momentum: float, eps: float) -> None:
        self.weight, self.bias = weight, bias
        self.params = [weight, bias]
        self.running_mean, self.running_var = running_mean, running_var  # (K·C), updated in place
        self.momentum, self.eps = momentum, eps
        self.batches_tracked = 0  # as BatchNorm1d.forward counts: before normalising, so a failing batch counts
        self.record: list[tuple[list[Tensor], Tensor, Tensor]] | None = None
        self.record_runs: list[int] = []  # the runs whose statistics ``record`` keeps

    def _record(self, x: Tensor) -> None:
        # What fit records: the batch's mean and biased variance, and the running statistics after
        # the batch was folded in. Called after the forward, on the layer's input; only for the runs
        # that keep records. The inputs are kept (a copy each) and reduced a stretch of steps at a time
        # by ``batch_moments``; the running statistics are copied now, as they change every step.
        if self.record is not None:
            k = x.shape[0]
            self.record.append(([_fresh(x[i]) for i in self.record_runs], self.running_mean.view(k, -1).clone(),
                                self.running_var.view(k, -1).clone()))

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        k = x.shape[0]
        self.batches_tracked += 1
        if batched:
            xs = _channels_side_by_side(x)
            out, mean, invstd = torch.native_batch_norm(xs, self.weight.reshape(-1), self.bias.reshape(-1),
                                                        self.running_mean, self.running_var, True, self.momentum,
                                                        self.eps)
            self._record(x)
            return _back_to_runs(out, k), (xs, mean, invstd)
        rms, rvs = self.running_mean.view(k, -1), self.running_var.view(k, -1)
        outs, saved = [], []
        for i, (xk, w, b) in enumerate(zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True)):
            xk, w, rm, rv = _fresh(xk), _fresh(w), _fresh(rms[i]), _fresh(rvs[i])
            F._verify_batch_size(xk.size())  # a batch of one: torch's own error, with the model's shapes
            out, mean, invstd = torch.native_batch_norm(xk, w, _fresh(b), rm, rv, True, self.momentum, self.eps)
            rms[i].copy_(rm)
            rvs[i].copy_(rv)
            outs.append(out)
            saved.append((xk, w, rm, rv, mean, invstd))
        self._record(x)
        return torch.stack(outs), saved

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        mask = [need_input, True, True]
        if batched:
            xs, mean, invstd = saved
            k = g.shape[0]
            gx, gw, gb = _k.batch_norm_backward(_channels_side_by_side(g), xs, self.weight.reshape(-1),
                                                self.running_mean, self.running_var, mean, invstd, True, self.eps,
                                                mask)
            return (_back_to_runs(gx, k) if need_input else None), [gw.view(k, -1), gb.view(k, -1)]
        results = []
        for gk, (xk, w, rm, rv, mean, invstd) in zip(g.unbind(0), saved, strict=True):
            gx, gw, gb = _k.batch_norm_backward(_fresh(gk), xk, w, rm, rv, mean, invstd, True, self.eps, mask)
            results.append((gx, [gw, gb]))
        return _per_run_grads(results, need_input)


class _GroupNorm(_Layer):
    """GroupNorm (G groups of C channels per run) as one GroupNorm of K·G groups over K·C channels."""

    def __init__(self, weight: Tensor, bias: Tensor, groups: int, eps: float) -> None:
        self.weight, self.bias, self.groups, self.eps = weight, bias, groups, eps
        self.params = [weight, bias]

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        k, n, c = x.shape
        if batched:
            xs = _channels_side_by_side(x)
            out, mean, rstd = torch.native_group_norm(xs, self.weight.reshape(-1), self.bias.reshape(-1), n, k * c,
                                                      1, k * self.groups, self.eps)
            return _back_to_runs(out, k), (xs, mean, rstd)
        outs, saved = [], []
        for xk, w, b in zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True):
            xk, w = _fresh(xk), _fresh(w)
            F._verify_batch_size([n * c // self.groups, self.groups])  # as F.group_norm checks
            out, mean, rstd = torch.native_group_norm(xk, w, _fresh(b), n, c, 1, self.groups, self.eps)
            outs.append(out)
            saved.append((xk, w, mean, rstd))
        return torch.stack(outs), saved

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        k, n, c = g.shape
        mask = [need_input, True, True]
        if batched:
            xs, mean, rstd = saved
            gx, gw, gb = _k.group_norm_backward(_channels_side_by_side(g), xs, mean, rstd, self.weight.reshape(-1),
                                                n, k * c, 1, k * self.groups, mask)
            return (_back_to_runs(gx, k) if need_input else None), [gw.view(k, -1), gb.view(k, -1)]
        results = []
        for gk, (xk, w, mean, rstd) in zip(g.unbind(0), saved, strict=True):
            gx, gw, gb = _k.group_norm_backward(_fresh(gk), xk, mean, rstd, w, n, c, 1, self.groups, mask)
            results.append((gx, [gw, gb]))
        return _per_run_grads(results, need_input)


class _LayerNorm(_Layer):
    """LayerNorm over the last dimension. Its fused kernel applies the affine step inside, with one
    weight for all rows, so K runs' weights cannot share one call as they are. Batched: one affine-free
    ``native_layer_norm`` over all runs' rows, then each run's affine step as one ``addcmul`` (the fused
    kernel's ``normalised · weight + bias`` rounds once, as ``addcmul`` does); the backward per run, on
    views of the batched call's statistics. The probe checks both against the per-run calls."""

    def __init__(self, weight: Tensor, bias: Tensor, eps: float) -> None:
        self.weight, self.bias, self.eps = weight, bias, eps
        self.params = [weight, bias]

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        k, n, c = x.shape
        shape = (c,)
        if batched:
            normed, mean, rstd = torch.native_layer_norm(x.reshape(k * n, c), shape, None, None, self.eps)
            out = torch.addcmul(self.bias.unsqueeze(1), normed.view(k, n, c), self.weight.unsqueeze(1))
            saved = list(zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), mean.view(k, n, 1).unbind(0),
                             rstd.view(k, n, 1).unbind(0), strict=True))
            return out, saved
        outs, saved = [], []
        for xk, w, b in zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True):
            xk, w, b = _fresh(xk), _fresh(w), _fresh(b)
            out, mean, rstd = torch.native_layer_norm(xk, shape, w, b, self.eps)
            outs.append(out)
            saved.append((xk, w, b, mean, rstd))
        return torch.stack(outs), saved

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        shape = (g.shape[-1],)
        mask = [need_input, True, True]
        results = []
        for gk, (xk, w, b, mean, rstd) in zip(g.unbind(0), saved, strict=True):
            gx, gw, gb = _k.layer_norm_backward(gk if batched else _fresh(gk), xk, shape, mean, rstd, w, b, mask)
            results.append((gx, [gw, gb]))
        return _per_run_grads(results, need_input)


# --- is the batched call exact for this shape? -----------------------------------------------------------


PROBE_TRIALS = 8
"""Random draws a probe compares at most. Two summation orders often round to the same float on a small
problem, so one draw could pass by luck; values spread over many magnitudes make rounding differ often."""

PROBE_OUTPUTS = 8 * 4096
"""Values a probe compares in all (``probe_trials``): ``PROBE_TRIALS`` draws of a 4,096-value problem.
A summation order that differs shows in a large share of a layer's outputs, each a sum of several
terms of many magnitudes, so what makes a verdict safe is how many values were compared, not how many
draws made them."""


def probe_trials(outputs: int) -> int:
    """Random draws for a probe comparing ``outputs`` values per draw (its smallest result of batch
    size, K × batch × width): enough for ``PROBE_OUTPUTS`` in all, between 1 and ``PROBE_TRIALS``. An
    evaluation probe over 1,000 rows of 32 units for 8 runs compares 256,000 outputs in one draw, which
    small probes reach only in 63 draws. The gradients a training probe also compares (weights, biases,
    running statistics) are sums over the batch, so a larger batch makes each a longer sum: a wrong
    order shows in them more surely, not less."""
    return min(PROBE_TRIALS, max(1, -(-PROBE_OUTPUTS // max(outputs, 1))))


def _spread_randn(g: torch.Generator, *shape: int) -> Tensor:
    return torch.randn(*shape, generator=g) * torch.exp(2 * torch.randn(*shape, generator=g))


@functools.lru_cache(maxsize=4096)
def _probe(kind: str, k: int, batch: int, dims: tuple) -> bool:
    g = torch.Generator().manual_seed(1234)
    return all(_probe_once(kind, k, batch, dims, g) for _ in range(probe_trials(k * batch * dims[0])))


def _probe_once(kind: str, k: int, batch: int, dims: tuple, g: torch.Generator) -> bool:
    def rand(*shape: int) -> Tensor:
        return _spread_randn(g, *shape)

    if kind == "batch":
        (c,) = dims
        weight, bias = 1 + 0.1 * rand(k, c), 0.1 * rand(k, c)
        rm, rv = 0.1 * rand(k * c), 1 + 0.1 * rand(k * c).abs()

        def make() -> _Layer:
            return _BatchNorm(weight.clone(), bias.clone(), rm.clone(), rv.clone(), 0.1, 1e-5)

        width = c
    elif kind == "layer":
        (c,) = dims
        weight, bias = 1 + 0.1 * rand(k, c), 0.1 * rand(k, c)

        def make() -> _Layer:
            return _LayerNorm(weight.clone(), bias.clone(), 1e-5)

        width = c
    elif kind == "group":
        c, groups = dims
        weight, bias = 1 + 0.1 * rand(k, c), 0.1 * rand(k, c)

        def make() -> _Layer:
            return _GroupNorm(weight.clone(), bias.clone(), groups, 1e-5)

        width = c
    else:
        raise ValueError(kind)
    x = rand(k, batch, width)
    upstream = rand(k, batch, width)
    results = []
    for batched in (True, False):
        layer = make()
        out, saved = layer.forward(x.clone(), batched)
        gx, grads = layer.backward(upstream.clone(), saved, batched, True)
        extra = [layer.running_mean, layer.running_var] if isinstance(layer, _BatchNorm) else []
        results.append([out, gx, *grads, *extra])
    return all(torch.equal(a, b) for a, b in zip(*results, strict=True))


class LinearParts(NamedTuple):
    """Which of a Linear layer's batched results equal the per-run ones, for one shape."""

    output: bool
    input_grad: bool
    weight_grad: bool
    bias_grad: bool


@functools.lru_cache(maxsize=4096)
def _linear_parts(k: int, batch: int, n_in: int, n_out: int) -> LinearParts:
    g = torch.Generator().manual_seed(1234)
    same = [True] * 4
    # the narrower side sets the smallest batch-sized result compared (the output or the input gradient)
    for _ in range(probe_trials(k * batch * min(n_in, n_out))):
        weight, bias = _spread_randn(g, k, n_out, n_in), _spread_randn(g, k, n_out)
        x, upstream = _spread_randn(g, k, batch, n_in), _spread_randn(g, k, batch, n_out)
        results = []
        for batched in (True, False):
            layer = _Linear(weight.clone(), bias.clone())
            out, saved = layer.forward(x.clone(), batched)
            if batched:  # the weight gradient exactly as the batched call computes it
                weight_grad = upstream.transpose(1, 2).bmm(saved)
                results.append((out, upstream.bmm(layer.weight), weight_grad, upstream.sum(1)))
            else:
                gx, (gw, gb) = layer.backward(upstream.clone(), saved, False, True)
                results.append((out, gx, gw, gb))
        same = [s and torch.equal(a, b) for s, a, b in zip(same, *results, strict=True)]
    return LinearParts(*same)


def exact_batched(layer: _Layer, x: Tensor) -> bool:
    """Whether ``layer``'s batched calls give its per-run bits for inputs of ``x``'s shape (cached). A
    Linear layer counts as exact when its output, input gradient and bias gradient are: its weight
    gradient then comes per run where the batched product is not exact (``_linear_parts``)."""
    k, batch = x.shape[0], x.shape[1]
    if isinstance(layer, _Linear):
        parts = _linear_parts(k, batch, layer.weight.shape[2], layer.weight.shape[1])
        return parts.output and parts.input_grad and parts.bias_grad
    if isinstance(layer, _BatchNorm):
        return _probe("batch", k, batch, (layer.weight.shape[1],))
    if isinstance(layer, _GroupNorm):
        return _probe("group", k, batch, (layer.weight.shape[1], layer.groups))
    if isinstance(layer, _LayerNorm):
        return _probe("layer", k, batch, (layer.weight.shape[1],))
    return isinstance(layer, _ReLU)


# --- the network --------------------------------------------------------------------------------------


class StackedNet:
    """K same-architecture models as one network. Parameters are stacked tensors ``(K, ...)`` in the
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
                return torch.stack([t.detach() for t in tensors])

            self.layers: list[_Layer] = []
            self.bn_modules: list[list[nn.BatchNorm1d]] = []
            for column in zip(*per_model, strict=True):
                first = column[0]
                if isinstance(first, nn.Linear):
                    if first.bias is None:
                        raise ValueError("a stacked Linear layer needs a bias")
                    self.layers.append(_Linear(stack([m.weight for m in column]), stack([m.bias for m in column])))
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
        self._model_params = [[p for p in m.parameters()] for m in self.models]
        if any(len(mp) != len(self.params) for mp in self._model_params):
            raise ValueError("parameter order of the models does not match their layers")

    def batch_norms(self) -> list[_BatchNorm]:
        """The stacked BatchNorm layers, in order (for recording their statistics)."""
        return [layer for layer in self.layers if isinstance(layer, _BatchNorm)]

    def forward(self, x: Tensor) -> tuple[Tensor, list]:
        """Training-mode forward of ``(K, B, in)`` → ``(K, B, out)``, with what ``backward`` needs;
        counts a batch for BatchNorm."""
        x = x.contiguous()
        saved = []
        with torch.no_grad():
            for layer in self.layers:
                if isinstance(layer, (_BatchNorm, _GroupNorm)) and x.shape[1] == 1:
                    # A batch of one may leave a norm one value per channel or group: let the single-run
                    # call raise torch's own error, with its own shapes in the message.
                    batched = False
                else:
                    batched = exact_batched(layer, x)
                x, keep = layer.forward(x, batched)
                saved.append((batched, keep))
        return x, saved

    def backward(self, saved: list, g: Tensor) -> list[Tensor]:
        """Every parameter's ``(K, ...)`` gradient, in ``params`` order, from the outputs' gradient ``g``."""
        grads: list[list[Tensor]] = []
        with torch.no_grad():
            for index in range(len(self.layers) - 1, -1, -1):
                batched, keep = saved[index]
                g, layer_grads = self.layers[index].backward(g, keep, batched, index > 0)
                grads.append(layer_grads)
        return [t for layer_grads in reversed(grads) for t in layer_grads]

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


def lr_blocks(keys: Sequence[object]) -> list[tuple[int, int]]:
    """Cut runs ``0..K-1`` into maximal stretches of equal consecutive ``keys``: ``[(start, stop), ...]``."""
    blocks, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            blocks.append((start, i))
            start = i
    return blocks
