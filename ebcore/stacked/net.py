"""K copies of one small network as one stacked network: a leading run axis on every tensor.

``StackedNet`` takes K ``nn.Sequential`` models of the same architecture (``Linear``, ``BatchNorm1d``,
``LayerNorm``, ``GroupNorm``, ``ReLU``; or a bare ``nn.Linear``) and holds each parameter as one
tensor of shape ``(K, ...)``. Its ``forward`` takes ``(K, B, features)`` (run ``k``'s batch in row
``k``) and returns ``(K, B, outputs)`` with what the backward pass needs; ``backward`` turns the
outputs' gradient (each run's loss gradient, from ``fit_many``) into every parameter's ``(K, ...)``
gradient. Like ``fit`` it runs no autograd: each layer (``stacked.layers``) calls the forward and
backward kernels ``trainer.fast.direct_backprop`` calls for one model (those autograd would run), for
all K runs at once where a probe found that exact for the shape, run by run where it did not.
Bit-exactness with the single model is the contract (``fit_many`` must equal ``fit``).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from ebcore.stacked.layers import LAYERS, BatchNorm, Layer
from ebcore.trainer.fast.direct_backprop import layers_of

__all__ = ["StackedNet", "lr_blocks", "signature"]


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
            columns = list(zip(*per_model, strict=True))
            self.layers: list[Layer] = [LAYERS[type(column[0])].from_modules(column) for column in columns]
        # the models' BatchNorm modules, per stacked BatchNorm layer (``sync_to_models`` writes them)
        self.bn_modules = [list(column) for column in columns if isinstance(column[0], nn.BatchNorm1d)]
        self.params = [p for layer in self.layers for p in layer.params]
        self._plans: dict[tuple[int, int], list[bool]] = {}  # (K, batch) → each layer batched or not
        self._model_params = [[p for p in m.parameters()] for m in self.models]
        if any(len(mp) != len(self.params) for mp in self._model_params):
            raise ValueError("parameter order of the models does not match their layers")

    def batch_norms(self) -> list[BatchNorm]:
        """The stacked BatchNorm layers, in order (for recording their statistics)."""
        return [layer for layer in self.layers if isinstance(layer, BatchNorm)]

    def forward(self, x: Tensor) -> tuple[Tensor, list]:
        """Training-mode forward of ``(K, B, in)`` → ``(K, B, out)``, with what ``backward`` needs;
        counts a batch for BatchNorm."""
        x = x.contiguous()
        saved = []
        # every layer's probe asked once per batch shape (a step otherwise asks them all again)
        plan = self._plans.get(x.shape[:2])
        if plan is None:
            plan = self._plans[x.shape[:2]] = [layer.exact(x.shape[0], x.shape[1]) for layer in self.layers]
        with torch.no_grad():
            for layer, batched in zip(self.layers, plan, strict=True):
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
