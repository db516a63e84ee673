"""The stacked network's layers: each knows its forward, its backward, and when its batched call is exact.

Each layer holds its parameters stacked, ``(K, ...)``, and has two implementations: ``batched`` (one
call for all K runs) and per run (the very call ``nn.Module.forward`` makes, on a fresh copy of each
run's slice, so its bits are the single model's by construction). ``exact(k, batch)`` asks a probe
(``stacked.probe``), once per shape, whether the batched call gives the per-run bits, forward and
backward; the network batches a layer only where it does. The gradient a layer receives is handed to
its per-run backward as a fresh copy too: a single model's layers always receive theirs as a fresh
allocation. A new layer type is one class here and one entry in ``LAYERS`` (plus its kernels in
``trainer.fast.direct_backprop``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.stacked.probe import bit_equal, fresh, parts_equal, probe_trials, spread_randn
from ebcore.trainer.fast.direct_backprop import kernels as _k

__all__ = ["LAYERS", "BatchNorm", "GroupNorm", "Layer", "LayerNorm", "Linear", "LinearParts", "ReLU", "norm_exact",
           "linear_parts"]


def _stack(tensors: Sequence[Tensor]) -> Tensor:
    return torch.stack([t.detach() for t in tensors])


class Layer:
    """One layer of the stacked network. ``params`` are the stacked tensors ``(K, ...)``.

    ``forward(x, batched)`` returns the output and what ``backward`` needs; ``backward(g, saved,
    batched, need_input)`` returns the input's gradient (None unless ``need_input``) and the
    parameters' gradients in ``params`` order. ``batched``: one call for all runs, else one per run.
    ``exact(k, batch)``: whether the batched calls give the per-run bits for K runs of ``batch`` rows."""

    params: list[Tensor]
    product = False  # a matrix product: where stacking K runs saves work

    @classmethod
    def from_modules(cls, column: Sequence[nn.Module]) -> Layer:
        """The layer of K models' same-position modules ``column``."""
        return cls()

    def exact(self, k: int, batch: int) -> bool:
        raise NotImplementedError

    def state(self) -> list[Tensor]:
        """State the forward updates (BatchNorm's running statistics): a probe compares it too."""
        return []

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        raise NotImplementedError

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        raise NotImplementedError


def _per_run_grads(results: list, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
    """Stack K per-run backward results ``(gx, [param grads])`` into the stacked layout."""
    gx = torch.stack([r[0] for r in results]) if need_input else None
    return gx, [torch.stack([r[1][i] for r in results]) for i in range(len(results[0][1]))]


class Linear(Layer):
    product = True

    def __init__(self, weight: Tensor, bias: Tensor) -> None:
        self.weight, self.bias = weight, bias
        self.params = [weight, bias]

    @classmethod
    def from_modules(cls, column: Sequence[nn.Linear]) -> Linear:
        if column[0].bias is None:
            raise ValueError("a stacked Linear layer needs a bias")
        return cls(_stack([m.weight for m in column]), _stack([m.bias for m in column]))

    def exact(self, k: int, batch: int) -> bool:
        # Exact when its output, input gradient and bias gradient are: the weight gradient then comes
        # per run where the batched product is not exact (``linear_parts``).
        parts = linear_parts(k, batch, self.weight.shape[2], self.weight.shape[1])
        return parts.output and parts.input_grad and parts.bias_grad

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        if batched:
            return torch.baddbmm(self.bias.unsqueeze(1), x, self.weight.transpose(1, 2)), x
        saved = [(fresh(xk), fresh(w)) for xk, w in zip(x.unbind(0), self.weight.unbind(0), strict=True)]
        return torch.stack([torch._C._nn.linear(xk, w, fresh(b))
                            for (xk, w), b in zip(saved, self.bias.unbind(0), strict=True)]), saved

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        if batched:
            k, batch, n_out = g.shape
            if linear_parts(k, batch, saved.shape[2], n_out).weight_grad:
                weight_grad = g.transpose(1, 2).bmm(saved)
            else:  # each run's own product (a dot product over the batch, which BLAS may sum another way)
                weight_grad = torch.stack([fresh(gk).t().mm(fresh(xk))
                                           for gk, xk in zip(g.unbind(0), saved.unbind(0), strict=True)])
            return (g.bmm(self.weight) if need_input else None), [weight_grad, g.sum(1)]
        results = []
        for gk, (xk, w) in zip(g.unbind(0), saved, strict=True):
            gk = fresh(gk)
            results.append((gk.mm(w) if need_input else None, [gk.t().mm(xk), gk.sum(0)]))
        return _per_run_grads(results, need_input)


class ReLU(Layer):
    params: list[Tensor] = []

    def exact(self, k: int, batch: int) -> bool:
        return True  # elementwise: the same bits at any position (checked by the tests)

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


class BatchNorm(Layer):
    """BatchNorm1d through torch's own kernels; the running statistics live in ``(K·C)`` buffers."""

    def __init__(self, weight: Tensor, bias: Tensor, running_stats: Tensor, momentum: float, eps: float) -> None:
        self.weight, self.bias = weight, bias
        self.params = [weight, bias]
        # the running mean and variance, (K·C) each, updated in place: rows of one (2, K·C) tensor, so a
        # step's record copies both at once
        self.running_stats = running_stats
        self.running_mean, self.running_var = running_stats.unbind(0)
        self.momentum, self.eps = momentum, eps
        self.batches_tracked = 0  # as BatchNorm1d.forward counts: before normalising, so a failing batch counts
        self.record: list[tuple[list[Tensor], Tensor]] | None = None
        self.record_runs: list[int] = []  # the runs whose statistics ``record`` keeps

    @classmethod
    def from_modules(cls, column: Sequence[nn.BatchNorm1d]) -> BatchNorm:
        first = column[0]
        layer = cls(_stack([m.weight for m in column]), _stack([m.bias for m in column]),
                    torch.stack([torch.cat([m.running_mean for m in column]),
                                 torch.cat([m.running_var for m in column])]), first.momentum, first.eps)
        layer.batches_tracked = int(first.num_batches_tracked)
        return layer

    @staticmethod
    def random(g: torch.Generator, k: int, c: int, groups: int) -> Callable[[], BatchNorm]:
        weight, bias = 1 + 0.1 * spread_randn(g, k, c), 0.1 * spread_randn(g, k, c)
        rm, rv = 0.1 * spread_randn(g, k * c), 1 + 0.1 * spread_randn(g, k * c).abs()
        return lambda: BatchNorm(weight.clone(), bias.clone(), torch.stack([rm, rv]), 0.1, 1e-5)

    def exact(self, k: int, batch: int) -> bool:
        # A batch of one leaves one value per channel: the per-run call raises torch's own error.
        return batch > 1 and norm_exact(BatchNorm, k, batch, self.weight.shape[1], 0)

    def state(self) -> list[Tensor]:
        return [self.running_mean, self.running_var]

    def _record(self, x: Tensor) -> None:
        # What fit records: the batch's mean and biased variance, and the running statistics after
        # the batch was folded in. Called after the forward, on the layer's input; only for the runs
        # that keep records. The inputs are kept (a copy each) and reduced when the epoch's steps are
        # recorded; the running statistics are copied now, as they change every step: (2, K, C).
        if self.record is not None:
            self.record.append(([fresh(x[i]) for i in self.record_runs],
                                self.running_stats.view(2, x.shape[0], -1).clone()))

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
            xk, w, rm, rv = fresh(xk), fresh(w), fresh(rms[i]), fresh(rvs[i])
            F._verify_batch_size(xk.size())  # a batch of one: torch's own error, with the model's shapes
            out, mean, invstd = torch.native_batch_norm(xk, w, fresh(b), rm, rv, True, self.momentum, self.eps)
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
            gx, gw, gb = _k.batch_norm_backward(fresh(gk), xk, w, rm, rv, mean, invstd, True, self.eps, mask)
            results.append((gx, [gw, gb]))
        return _per_run_grads(results, need_input)


class GroupNorm(Layer):
    """GroupNorm (G groups of C channels per run) as one GroupNorm of K·G groups over K·C channels."""

    def __init__(self, weight: Tensor, bias: Tensor, groups: int, eps: float) -> None:
        self.weight, self.bias, self.groups, self.eps = weight, bias, groups, eps
        self.params = [weight, bias]

    @classmethod
    def from_modules(cls, column: Sequence[nn.GroupNorm]) -> GroupNorm:
        return cls(_stack([m.weight for m in column]), _stack([m.bias for m in column]), column[0].num_groups,
                   column[0].eps)

    @staticmethod
    def random(g: torch.Generator, k: int, c: int, groups: int) -> Callable[[], GroupNorm]:
        weight, bias = 1 + 0.1 * spread_randn(g, k, c), 0.1 * spread_randn(g, k, c)
        return lambda: GroupNorm(weight.clone(), bias.clone(), groups, 1e-5)

    def exact(self, k: int, batch: int) -> bool:
        # A batch of one may leave one value per group: the per-run call raises torch's own error.
        return batch > 1 and norm_exact(GroupNorm, k, batch, self.weight.shape[1], self.groups)

    def forward(self, x: Tensor, batched: bool) -> tuple[Tensor, object]:
        k, n, c = x.shape
        if batched:
            xs = _channels_side_by_side(x)
            out, mean, rstd = torch.native_group_norm(xs, self.weight.reshape(-1), self.bias.reshape(-1), n, k * c,
                                                      1, k * self.groups, self.eps)
            return _back_to_runs(out, k), (xs, mean, rstd)
        outs, saved = [], []
        for xk, w, b in zip(x.unbind(0), self.weight.unbind(0), self.bias.unbind(0), strict=True):
            xk, w = fresh(xk), fresh(w)
            F._verify_batch_size([n * c // self.groups, self.groups])  # as F.group_norm checks
            out, mean, rstd = torch.native_group_norm(xk, w, fresh(b), n, c, 1, self.groups, self.eps)
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
            gx, gw, gb = _k.group_norm_backward(fresh(gk), xk, mean, rstd, w, n, c, 1, self.groups, mask)
            results.append((gx, [gw, gb]))
        return _per_run_grads(results, need_input)


class LayerNorm(Layer):
    """LayerNorm over the last dimension. Its fused kernel applies the affine step inside, with one
    weight for all rows, so K runs' weights cannot share one call as they are. Batched: one affine-free
    ``native_layer_norm`` over all runs' rows, then each run's affine step as one ``addcmul`` (the fused
    kernel's ``normalised · weight + bias`` rounds once, as ``addcmul`` does); the backward per run, on
    views of the batched call's statistics. The probe checks both against the per-run calls."""

    def __init__(self, weight: Tensor, bias: Tensor, eps: float) -> None:
        self.weight, self.bias, self.eps = weight, bias, eps
        self.params = [weight, bias]

    @classmethod
    def from_modules(cls, column: Sequence[nn.LayerNorm]) -> LayerNorm:
        return cls(_stack([m.weight for m in column]), _stack([m.bias for m in column]), column[0].eps)

    @staticmethod
    def random(g: torch.Generator, k: int, c: int, groups: int) -> Callable[[], LayerNorm]:
        weight, bias = 1 + 0.1 * spread_randn(g, k, c), 0.1 * spread_randn(g, k, c)
        return lambda: LayerNorm(weight.clone(), bias.clone(), 1e-5)

    def exact(self, k: int, batch: int) -> bool:
        return norm_exact(LayerNorm, k, batch, self.weight.shape[1], 0)

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
            xk, w, b = fresh(xk), fresh(w), fresh(b)
            out, mean, rstd = torch.native_layer_norm(xk, shape, w, b, self.eps)
            outs.append(out)
            saved.append((xk, w, b, mean, rstd))
        return torch.stack(outs), saved

    def backward(self, g: Tensor, saved, batched: bool, need_input: bool) -> tuple[Tensor | None, list[Tensor]]:
        shape = (g.shape[-1],)
        mask = [need_input, True, True]
        results = []
        for gk, (xk, w, b, mean, rstd) in zip(g.unbind(0), saved, strict=True):
            gx, gw, gb = _k.layer_norm_backward(gk if batched else fresh(gk), xk, shape, mean, rstd, w, b, mask)
            results.append((gx, [gw, gb]))
        return _per_run_grads(results, need_input)


# --- is the batched call exact for this shape? -----------------------------------------------------------


LAYERS: dict[type[nn.Module], type[Layer]] = {nn.Linear: Linear, nn.ReLU: ReLU, nn.BatchNorm1d: BatchNorm,
                                              nn.GroupNorm: GroupNorm, nn.LayerNorm: LayerNorm}
"""The stacked layer for each module type ``trainer.fast.direct_backprop`` supports."""


# --- the probes ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def norm_exact(kind: type[Layer], k: int, batch: int, c: int, groups: int) -> bool:
    """Whether a norm layer's batched forward and backward give the per-run bits (outputs, the input's
    and parameters' gradients, and the running statistics)."""
    def draw(g: torch.Generator) -> list[list[Tensor]]:
        make = kind.random(g, k, c, groups)
        x, upstream = spread_randn(g, k, batch, c), spread_randn(g, k, batch, c)
        results = []
        for batched in (True, False):
            layer = make()
            out, saved = layer.forward(x.clone(), batched)
            gx, grads = layer.backward(upstream.clone(), saved, batched, True)
            results.append([out, gx, *grads, *layer.state()])
        return results

    return bit_equal(draw, probe_trials(k * batch * c))


class LinearParts(NamedTuple):
    """Which of a Linear layer's batched results equal the per-run ones, for one shape."""

    output: bool
    input_grad: bool
    weight_grad: bool
    bias_grad: bool


@functools.lru_cache(maxsize=4096)
def linear_parts(k: int, batch: int, n_in: int, n_out: int) -> LinearParts:
    """Which of a Linear layer's batched results (``baddbmm``, ``bmm``, the batch sum) give the per-run
    bits for K runs of ``batch`` rows, ``n_in`` → ``n_out``."""
    def draw(g: torch.Generator) -> list[tuple[Tensor, ...]]:
        weight, bias = spread_randn(g, k, n_out, n_in), spread_randn(g, k, n_out)
        x, upstream = spread_randn(g, k, batch, n_in), spread_randn(g, k, batch, n_out)
        results = []
        for batched in (True, False):
            layer = Linear(weight.clone(), bias.clone())
            out, saved = layer.forward(x.clone(), batched)
            if batched:  # the weight gradient exactly as the batched call computes it
                results.append((out, upstream.bmm(layer.weight), upstream.transpose(1, 2).bmm(saved), upstream.sum(1)))
            else:
                gx, (gw, gb) = layer.backward(upstream.clone(), saved, False, True)
                results.append((out, gx, gw, gb))
        return results

    # the narrower side sets the smallest batch-sized result compared (the output or the input gradient)
    return LinearParts(*parts_equal(draw, probe_trials(k * batch * min(n_in, n_out))))
