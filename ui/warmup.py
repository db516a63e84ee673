"""Pay PyTorch's one-off start-up costs in the background, not in a student's first training run.

The first ``torch.optim`` optimizer a process creates imports ``torch._dynamo`` (1.5–4 s here).
"""

from __future__ import annotations

import threading

import streamlit as st


def _warm() -> None:
    import torch

    from ebcore import models
    from ebcore.train import TrainConfig, fit

    # A two-step run touches the optimizer, autograd and the trainer once; nothing is kept.
    X = torch.zeros(4, 1)
    fit(models.linear(seed=0), X, X, TrainConfig(epochs=1, batch_size=2))


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread:
    """Start the warm-up once per server process (cached), in a daemon thread; return the thread."""
    thread = threading.Thread(target=_warm, name="torch-warmup", daemon=True)
    thread.start()
    return thread
