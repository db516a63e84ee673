"""Small synthetic data sets for the demos, every random draw from an explicit ``torch.Generator``.

Streamlit serves many sessions from threads of one process, so nothing here touches torch's
global RNG: the same ``seed`` always gives the same tensors, whatever other sessions do.
"""

from __future__ import annotations

import torch
from torch import Tensor

from ebcore.primitives.calc import keras_train_samples

__all__ = ["classification_blobs", "seed_regression", "validation_split"]


def seed_regression(n: int = 1000, noise: float = 0.3, seed: int = 0) -> tuple[Tensor, Tensor]:
    """The seed experiment's data: ``X = linspace(0, 1, n)`` as an ``(n, 1)`` column, ``y = 3x + noise·ε``.

    ``ε`` is standard normal, drawn from ``torch.Generator().manual_seed(seed)``; with the defaults the
    values equal the notes' ``torch.manual_seed(0); 3 * X + 0.3 * torch.randn_like(X)``. Both tensors
    are float32 of shape ``(n, 1)``. The best possible MSE is ``noise²`` (0.09 by default): the noise
    floor every run converges towards.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    X = torch.linspace(0, 1, n).unsqueeze(1)
    y = 3 * X + noise * torch.randn(X.shape, generator=torch.Generator().manual_seed(seed))
    return X, y


def classification_blobs(
    n: int = 1000, seed: int = 0, separation: float = 2.0, noise: float = 1.0
) -> tuple[Tensor, Tensor]:
    """Two overlapping Gaussian blobs in 2-D: a two-class problem for BatchNorm and Keras-log demos.

    Returns ``X`` (float32, ``(n, 2)``) and ``y`` (int64 class labels 0/1, ``(n,)``). Class 1 is
    centred at ``(+separation/2, 0)``, class 0 at ``(-separation/2, 0)``, each with standard deviation
    ``noise`` per coordinate; the classes are balanced (they differ by at most one) and come in a
    random order, so a Keras-style "last fraction" validation split still sees both. With the
    defaults the best achievable accuracy is Φ(1) ≈ 0.84, close to the 0.79 → 0.86 of the notes' log.
    """
    if n < 2:
        raise ValueError(f"n must be at least 2 (one sample per class), got {n}")
    if noise <= 0:
        raise ValueError(f"noise must be > 0, got {noise}")
    g = torch.Generator().manual_seed(seed)
    y = torch.randperm(n, generator=g) % 2
    X = noise * torch.randn(n, 2, generator=g)
    X[:, 0] += (y.to(X.dtype) - 0.5) * separation
    return X, y


def validation_split(
    X: Tensor, y: Tensor, fraction: float
) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """Split like Keras ``fit(validation_split=fraction)``: the LAST ``fraction`` of samples validates.

    Training keeps the first ``floor(N * (1 - fraction))`` samples (Keras's own expression), in order,
    without shuffling; returns ``((X_train, y_train), (X_val, y_val))`` as views. ``fraction`` must be
    strictly between 0 and 1 and leave at least one sample on each side.
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction must be strictly between 0 and 1, got {fraction}")
    n = X.shape[0]
    if y.shape[0] != n:
        raise ValueError(f"X and y must have the same number of samples, got {n} and {y.shape[0]}")
    split_at = keras_train_samples(n, fraction)
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"fraction={fraction} on {n} samples leaves {split_at} training and {n - split_at} "
            "validation samples; both must be at least 1"
        )
    return (X[:split_at], y[:split_at]), (X[split_at:], y[split_at:])
