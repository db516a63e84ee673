"""What the trade-offs page measures besides training: how far mini-batch gradients stray from the
full-batch gradient (``gradient_noise``), and the memory a training step holds (``activation_bytes``,
computed from tensor sizes for our model; ``transformer_activation_bytes``, a published estimate for a
well-known large model). Pure PyTorch, seeded only through explicit generators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from ebcore.trainer.fast.direct_backprop import DirectBackprop, supports
from ebcore.trainer.loop import loss_function

__all__ = ["GPT2_SMALL", "NoisePoint", "TransformerShape", "activation_bytes", "gradient_noise",
           "inverse_sqrt_reference", "parameter_bytes", "transformer_activation_bytes"]


# --- gradient noise -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoisePoint:
    """Gradient noise at one batch size.

    ``spread``: root-mean-square distance ``sqrt(E‖g_B − g‖²)`` between a mini-batch gradient ``g_B``
    and the full-batch gradient ``g`` (same units as the gradient: loss per unit weight), over
    ``draws`` random batches; ``relative`` = ``spread / ‖g‖``.
    """

    batch: int
    spread: float
    relative: float


def gradient_noise(
    model: nn.Module, X: Tensor, y: Tensor, batch_sizes: Sequence[int], *, loss: str = "mse", draws: int = 64,
    seed: int = 0, progress: Callable[[float], None] | None = None,
) -> list[NoisePoint]:
    """Spread of mini-batch gradients around the full-batch gradient, at the model's current weights.

    For each batch size ``B`` (1 ≤ B ≤ N) draw ``draws`` batches of ``B`` distinct samples (as one
    shuffled epoch would: without replacement) with its own ``torch.Generator().manual_seed(seed)``, and
    measure ``sqrt(mean ‖g_B − g‖²)``. Theory: ``E‖g_B − g‖² = tr(Σ)/B · (N − B)/(N − 1)``, so the
    spread falls like ``1/√B`` while B ≪ N and reaches 0 at B = N. The weights are not changed; the
    model is evaluated in its current train/eval mode (use models without BatchNorm, whose batch
    gradient is the mean of per-sample gradients). ``progress(fraction)`` is called once a size is done.
    """
    n = X.shape[0]
    if supports(model, loss, X, y) and not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules()):
        # The kernels autograd's backward runs, called directly: the same gradient bits, at a fraction
        # of the cost (this runs 1 + draws × sizes times for a sweep).
        direct = DirectBackprop(model, loss)

        def gradient(xb: Tensor, yb: Tensor) -> Tensor:
            return torch.cat([g.reshape(-1) for g in direct.step(xb, yb)[2]])
    else:
        fn, params = loss_function(loss), [p for p in model.parameters() if p.requires_grad]

        def gradient(xb: Tensor, yb: Tensor) -> Tensor:
            return torch.cat([g.reshape(-1) for g in torch.autograd.grad(fn(model(xb), yb), params)])
    full = gradient(X, y)
    full_norm = float(full.norm())
    points = []
    for b in batch_sizes:
        if not 1 <= b <= n:
            raise ValueError(f"batch sizes must be between 1 and {n}, got {b}")
        g = torch.Generator().manual_seed(seed)  # per size: B's spread does not depend on the other sizes
        total = 0.0
        for _ in range(draws):
            idx = torch.randperm(n, generator=g)[:b]
            total += float((gradient(X[idx], y[idx]) - full).pow(2).sum())
        # At B = N every batch is the whole set: the spread is exactly 0, not float round-off.
        spread = 0.0 if b == n else math.sqrt(total / draws)
        points.append(NoisePoint(b, spread, spread / full_norm if full_norm > 0 else math.inf))
        if progress is not None:
            progress(len(points) / len(batch_sizes))
    return points


def inverse_sqrt_reference(points: Sequence[NoisePoint]) -> list[tuple[int, float]]:
    """The ``c/√B`` line through the first (smallest-batch) point's ``relative`` noise: pure 1/√B scaling.

    Returns (batch, relative noise) pairs at the points' batch sizes.
    """
    if not points:
        return []
    c = points[0].relative * math.sqrt(points[0].batch)
    return [(p.batch, c / math.sqrt(p.batch)) for p in points]


# --- memory ---------------------------------------------------------------------------------------------


def activation_bytes(model: nn.Module, in_features: int, batch: int) -> int:
    """Bytes of activations one training step keeps for the backward pass, computed from tensor sizes.

    Counts the input batch and the output of every leaf module for a batch of ``batch`` samples
    (float32 here). It is the part of memory that grows with the batch size; the weights, their
    gradients and optimizer state (``parameter_bytes``) do not. It counts tensors, not allocator overhead.
    """
    sizes = [batch * in_features * 4]

    def hook(_module, _args, output):
        sizes.append(output.numel() * output.element_size())

    leaves = [m for m in model.modules() if not any(True for _ in m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    try:
        with torch.no_grad():
            model(torch.zeros(batch, in_features))
    finally:
        for h in handles:
            h.remove()
    return sum(sizes)


def parameter_bytes(model: nn.Module) -> int:
    """Bytes of the weights plus their gradients (independent of the batch size)."""
    return 2 * sum(p.numel() * p.element_size() for p in model.parameters())


@dataclass(frozen=True)
class TransformerShape:
    """A decoder-only Transformer's size, for the activation-memory estimate."""

    name: str
    layers: int
    hidden: int
    heads: int
    seq_len: int


GPT2_SMALL = TransformerShape("GPT-2 small (124M)", layers=12, hidden=768, heads=12, seq_len=1024)


def transformer_activation_bytes(batch: int, shape: TransformerShape = GPT2_SMALL) -> float:
    """ESTIMATE of activation bytes per training step for a Transformer at ``batch`` sequences.

    Korthikanti et al. (2022), "Reducing Activation Recomputation in Large Transformer Models":
    each layer stores about ``s·b·h·(34 + 5·a·s/h)`` bytes in 16-bit precision without recomputation
    (s sequence length, b batch, h hidden size, a attention heads). Embeddings and the output layer
    are left out, so real numbers are somewhat higher.
    """
    s, h, a = shape.seq_len, shape.hidden, shape.heads
    return float(shape.layers * s * batch * h * (34 + 5 * a * s / h))
