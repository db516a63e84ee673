"""Torch's one-off first-use costs, paid on purpose before anyone waits for them.

The first call of some torch machinery in a process is far slower than every later one: the first
``torch.func`` transform (``vmap`` over ``grad``, the noise scale's per-sample gradients) takes about
1.4 s here against 2 ms after it. A training process (the server's worker, or the server itself when
it trains in-process) calls ``warm()`` once at start, so the first student's run does not pay it.
"""

from __future__ import annotations

import torch


def warm() -> None:
    """Run a two-step ``fit`` and one per-sample-gradient pass on tiny inputs; nothing is kept."""
    from ebcore import models, noise_scale
    from ebcore.train import TrainConfig, fit

    X = torch.zeros(4, 1)
    fit(models.linear(seed=0), X, X, TrainConfig(epochs=1, batch_size=2))
    noise_scale.per_sample_gradients(models.mlp(1, (2,), 1, seed=0), X, X)
