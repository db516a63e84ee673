"""Torch's one-off first-use costs, paid on purpose before anyone waits for them.

The first call of some torch machinery in a process is far slower than every later one: the first
``torch.func`` transform (``vmap`` over ``grad``, the noise scale's per-sample gradients) takes about
1.4 s here against 2 ms after it. A training process (the server's worker, or the server itself when
it trains in-process) calls ``warm()`` once at start, so the first student's run does not pay it. A
worker started by the server's warm-up pays only ``warm_training`` at its start, and ``warm_transforms``
as a job just before the one page that needs it (``ui.warmup``): the worker is ready about 1 s sooner
for a page opened in the server's first seconds.

``warm_training`` also runs the fast paths' self-check (``ebcore.trainer.fast.selfcheck``, once per
process, tens of ms): if this torch's numbers differ from ``fit``'s fast paths, they turn off here,
before any student's run.
"""

from __future__ import annotations

import torch

__all__ = ["warm", "warm_training", "warm_transforms"]


def warm() -> None:
    """Both first-use costs: ``warm_training`` then ``warm_transforms``; nothing is kept."""
    warm_training()
    warm_transforms()


def warm_training() -> None:
    """The fast paths' self-check (once per process), then a two-step ``fit`` on tiny inputs: the
    trainer's own first-call costs (a few ms)."""
    from ebcore.problems import models
    from ebcore.trainer import TrainConfig, fit
    from ebcore.trainer.fast import selfcheck

    selfcheck.check_once()

    X = torch.zeros(4, 1)
    fit(models.linear(seed=0), X, X, TrainConfig(epochs=1, batch_size=2))


def warm_transforms() -> None:
    """One per-sample-gradient pass on tiny inputs: ``torch.func``'s first transform (about 1 s here),
    which only the gradient noise scale uses."""
    from ebcore.lessons.critical import noise_scale
    from ebcore.problems import models

    X = torch.zeros(4, 1)
    noise_scale.per_sample_gradients(models.mlp(1, (2,), 1, seed=0), X, X)
