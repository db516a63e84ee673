"""The gradient noise scale of McCandlish et al. (2018), "An Empirical Model of Large-Batch Training".

At fixed weights, let ``g_i`` be sample ``i``'s loss gradient, ``G = mean_i g_i`` the full-batch
gradient and ``Σ`` the per-sample covariance of the ``g_i`` over the training set (population form,
divided by ``n``). The *simple noise scale* is ``B_simple = tr(Σ) / |G|²``, a batch size in samples:
a batch of ``B`` drawn with replacement has ``E|G_B|² = |G|² + tr(Σ)/B``, so at ``B = B_simple`` the
noise in a batch gradient is as large as the gradient itself. It predicts where larger batches stop
paying off (``ebcore.lessons.critical.experiment``).

Two ways to measure it, both here:

- exact: every per-sample gradient at once with ``torch.func`` (``per_sample_gradients``: ``vmap`` over
  ``grad``), then ``|G|²`` and ``tr(Σ)`` computed directly (``from_gradients``): exact on the training
  set, and affordable for small models.
- ``two_batch``: the estimator of McCandlish et al., Appendix A, which only needs the norms of batch
  gradients at two batch sizes (what a data-parallel job has for free): unbiased for ``|G|²`` and
  ``tr(Σ)`` separately; their ratio (of averages over draws) estimates ``B_simple``.

Models must be free of BatchNorm (a sample's gradient must not depend on the rest of its batch);
the loss is the mean squared error or cross-entropy, whose batch gradient (of the batch's mean loss) is the
mean of the per-sample gradients.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.func import functional_call, grad, vmap

__all__ = ["from_gradients", "from_norms", "NoiseScale", "per_sample_gradients", "two_batch"]


@dataclass(frozen=True)
class NoiseScale:
    """``grad_sq`` = ``|G|²`` (squared loss units per squared weight unit), ``trace`` = ``tr(Σ)`` (same
    units), ``b_simple`` = ``trace / grad_sq`` (samples; ``inf`` when the gradient vanishes)."""

    grad_sq: float
    trace: float

    @property
    def b_simple(self) -> float:
        """``tr(Σ)/|G|²`` in samples (``inf`` for a zero or negative gradient estimate)."""
        return self.trace / self.grad_sq if self.grad_sq > 0 else float("inf")


def per_sample_gradients(model: nn.Module, X: Tensor, y: Tensor, loss: str = "mse") -> Tensor:
    """Every sample's gradient of its own loss, flattened over the trainable parameters: an ``(n, p)`` float
    tensor. ``loss="mse"``: the squared error ``(model(x_i) − y_i)²`` (mean over output units, as
    ``F.mse_loss`` on one sample); ``"cross_entropy"``: ``F.cross_entropy`` of the sample's logits and class.

    Computed in one pass with ``vmap(grad(...))``; the model's weights are read, not changed.
    """
    params = {name: p.detach() for name, p in model.named_parameters() if p.requires_grad}
    buffers = {name: b.detach() for name, b in model.named_buffers()}

    def one(p: dict[str, Tensor], x: Tensor, target: Tensor) -> Tensor:
        out = functional_call(model, (p, buffers), (x.unsqueeze(0),))
        if loss == "cross_entropy":
            return F.cross_entropy(out, target.unsqueeze(0))
        return ((out.squeeze(0) - target) ** 2).mean()

    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss must be 'mse' or 'cross_entropy', got {loss!r}")
    grads = vmap(grad(one), in_dims=(None, 0, 0))(params, X, y)
    return torch.cat([g.reshape(X.shape[0], -1) for g in grads.values()], dim=1)


def from_gradients(per_sample: Tensor) -> NoiseScale:
    """``|G|²`` and ``tr(Σ)`` of an ``(n, p)`` tensor of per-sample gradients (in float64; Σ divided by ``n``)."""
    g = per_sample.double()
    mean = g.mean(0)
    return NoiseScale(grad_sq=float(mean.pow(2).sum()), trace=float((g - mean).pow(2).sum(1).mean()))


def from_norms(b_small: int, sq_small: float, b_big: int, sq_big: float) -> NoiseScale:
    """McCandlish et al., App. A: from one squared batch-gradient norm at each of two batch sizes.

    ``|G|² ≈ (B_big|G_big|² − B_small|G_small|²)/(B_big − B_small)`` and
    ``tr(Σ) ≈ (|G_small|² − |G_big|²)/(1/B_small − 1/B_big)``; each is unbiased when the batches are
    drawn with replacement (each is linear in ``E|G_B|² = |G|² + tr(Σ)/B``). One pair is noisy and can
    even be negative: average many (``two_batch``).
    """
    if not 1 <= b_small < b_big:
        raise ValueError(f"need 1 <= b_small < b_big, got {b_small} and {b_big}")
    grad_sq = (b_big * sq_big - b_small * sq_small) / (b_big - b_small)
    trace = (sq_small - sq_big) / (1 / b_small - 1 / b_big)
    return NoiseScale(grad_sq=grad_sq, trace=trace)


def _batch_means(g: Tensor, batches: Tensor) -> Tensor:
    """``g[batches].mean(1)``, the mean of ``g``'s rows in each row of ``batches`` (draws × batch size), with
    the same numbers: gathered one draw at a time into one reused buffer. Gathering every draw at once
    allocated 79 MB a checkpoint on the digits (32 draws × 256 × 1,210 gradients) and took 5× as long."""
    buffer = torch.empty(batches.shape[1], g.shape[1], dtype=g.dtype)
    return torch.stack([torch.index_select(g, 0, batch, out=buffer).mean(0) for batch in batches])


def two_batch(
    model: nn.Module, X: Tensor, y: Tensor, b_small: int, b_big: int, *, draws: int = 64, seed: int = 0,
    per_sample: Tensor | None = None,
) -> NoiseScale:
    """The two-batch estimate averaged over ``draws`` pairs of batches drawn with replacement.

    Each draw takes ``b_small`` and ``b_big`` sample indices from ``torch.Generator().manual_seed(seed)``
    and the squared norms of the two batch gradients (means of per-sample gradients, the gradient
    of the batch's mean loss); ``|G|²`` and ``tr(Σ)`` are the means of ``from_norms`` over the draws.
    ``per_sample`` may pass gradients already computed by ``per_sample_gradients``.
    """
    g = (per_sample if per_sample is not None else per_sample_gradients(model, X, y)).double()
    n = g.shape[0]
    gen = torch.Generator().manual_seed(seed)
    small = torch.randint(n, (draws, b_small), generator=gen)
    big = torch.randint(n, (draws, b_big), generator=gen)
    sq_small = _batch_means(g, small).pow(2).sum(1)
    sq_big = _batch_means(g, big).pow(2).sum(1)
    pairs = [from_norms(b_small, float(s), b_big, float(b)) for s, b in zip(sq_small, sq_big, strict=True)]
    return NoiseScale(grad_sq=sum(p.grad_sq for p in pairs) / draws, trace=sum(p.trace for p in pairs) / draws)
