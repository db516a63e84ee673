"""What a server starts first: its training worker, before its own imports.

A worker process imports torch and ``ebcore`` (about 1 s here) before it can train; the server imports
torch, pandas, Altair and the app (about 1.5 s) before it answers. Started first, the worker does its
imports on the other core while the server does its own, so a training page opened as soon as the server
answers finds the worker ready. ``serve.py``'s lifespan calls ``start_worker`` before anything else;
``ui.warmup`` starts the warm-up (and the worker, if nothing has yet).

This module imports only the standard library and ``ui.worker``.
"""

from __future__ import annotations

import os

from ui import worker


def warmup_enabled() -> bool:
    """Whether the start-up warm-up runs (``EBLAB_WARMUP``, on unless ``0``: the tests turn it off)."""
    return os.environ.get("EBLAB_WARMUP", "1") != "0"


def start_worker() -> None:
    """Start the training worker now. With the warm-up on, the worker skips ``torch.func``'s first use
    at its start (about 1 s): the warm-up sends it as a job before the one page that needs it."""
    worker.start(transforms=not warmup_enabled())
