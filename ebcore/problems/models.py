"""Model builders for the demos, initialised deterministically without torch's global RNG.

``nn.Linear(...)`` initialises itself from the global RNG inside its constructor, which sessions
running in parallel threads would race on. So layers are built on the ``meta`` device (shapes only,
no random draws), materialised with ``to_empty`` and then initialised from an explicit generator
with PyTorch's own default distributions. Layers are initialised in construction order, so
``linear(seed=s)`` / ``mlp(seed=s)`` equal what ``torch.manual_seed(s)`` followed by the plain
constructors would build.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["NORMS", "init_default_", "linear", "mlp"]

NORMS = ("batch", "layer", "group")
"""Normalisation layers ``mlp`` can insert after each hidden Linear layer."""


def init_default_(model: nn.Module, seed: int) -> nn.Module:
    """(Re)initialise ``model`` in place exactly like PyTorch's defaults, drawing from ``seed`` only.

    Linear layers get ``kaiming_uniform_(a=sqrt(5))`` weights and ``uniform(-1/sqrt(fan_in),
    1/sqrt(fan_in))`` biases (``nn.Linear.reset_parameters``); BatchNorm/LayerNorm/GroupNorm get their
    deterministic reset (weight 1, bias 0, running mean 0, running variance 1). Other parametrised
    layer types are refused rather than silently left uninitialised. Returns ``model``.
    """
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5), generator=g)
                if module.bias is not None:
                    bound = 1 / math.sqrt(module.in_features) if module.in_features > 0 else 0
                    nn.init.uniform_(module.bias, -bound, bound, generator=g)
            elif isinstance(module, (nn.BatchNorm1d, nn.LayerNorm, nn.GroupNorm)):
                module.reset_parameters()  # no randomness: ones, zeros and fresh running statistics
            elif any(True for _ in module.parameters(recurse=False)):
                raise TypeError(f"don't know how to initialise {type(module).__name__} deterministically")
    return model


def _materialise(model: nn.Module, seed: int) -> nn.Module:
    # ``to_empty(device="cpu")`` would do, but it allocates through ``empty_like`` on meta tensors,
    # whose Python reference implementation imports sympy on first use (half a second, at a student's
    # first page open). Plain ``torch.empty`` of each shape is the same uninitialised storage.
    return init_default_(model._apply(lambda t: torch.empty(t.shape, dtype=t.dtype)), seed)


def linear(in_features: int = 1, out_features: int = 1, seed: int = 0) -> nn.Linear:
    """A single ``nn.Linear(in_features, out_features)`` (float32, CPU) with default init from ``seed``.

    The seed experiment's model is ``linear()``: ``y ≈ w·x + b`` with one weight and one bias.
    """
    return _materialise(nn.Linear(in_features, out_features, device="meta"), seed)


def _norm_layer(kind: str, width: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm1d(width, device="meta")
    if kind == "layer":
        return nn.LayerNorm(width, device="meta")
    # GroupNorm needs a group count dividing the width; up to 8 groups is the usual choice.
    return nn.GroupNorm(math.gcd(8, width), width, device="meta")


def mlp(
    in_features: int = 2,
    hidden: Sequence[int] = (64, 64),
    out_features: int = 2,
    *,
    norm: str | None = None,
    seed: int = 0,
) -> nn.Sequential:
    """A multi-layer perceptron ``Linear → [norm] → ReLU`` per hidden width, then a Linear output.

    ``norm`` is ``"batch"`` (BatchNorm1d: statistics of the current batch while training, running
    statistics in eval mode), ``"layer"``/``"group"`` (per-sample, independent of batch size) or
    ``None``. The output layer has no activation: it returns raw values for MSE or logits for
    cross-entropy. Initialised like PyTorch's defaults from ``seed``.
    """
    if norm is not None and norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS} or None, got {norm!r}")
    if any(width < 1 for width in hidden):
        raise ValueError(f"hidden widths must be at least 1, got {tuple(hidden)}")
    layers: list[nn.Module] = []
    width_in = in_features
    for width in hidden:
        layers.append(nn.Linear(width_in, width, device="meta"))
        if norm is not None:
            layers.append(_norm_layer(norm, width))
        layers.append(nn.ReLU())
        width_in = width
    layers.append(nn.Linear(width_in, out_features, device="meta"))
    return _materialise(nn.Sequential(*layers), seed)
