"""Pay the one-off start-up costs in the background, not in a student's first training run.

The first ``torch.optim`` optimizer a process creates imports ``torch._dynamo`` (1.5–4 s here), and
every training page opens on a default experiment that takes 1–3 s to train. One daemon thread per
server process pays both, so after a restart the first visitor of a page finds its run cached.
Then it freezes the heap for the garbage collector (``gc.freeze``), see ``_warm``.
"""

from __future__ import annotations

import atexit
import gc
import os
import threading

import streamlit as st

from ebcore import exam
from ebcore import tradeoffs as tr
from ui import progress, runs
from ui.params import BatchNorm, Epochs, Exam, Tradeoffs


def _warm_torch() -> None:
    import torch

    from ebcore import models
    from ebcore.train import TrainConfig, fit

    # A two-step run touches the optimizer, autograd and the trainer once; nothing is kept.
    X = torch.zeros(4, 1)
    fit(models.linear(seed=0), X, X, TrainConfig(epochs=1, batch_size=2))


def default_runs() -> None:
    """Compute (into the shared caches) every run the pages show at their default settings."""
    b, seed = Exam.BATCH.default, Exam.SEED.default
    runs.exam_sit(b, 1, seed)
    runs.exam_study()
    runs.exam_sit(b, min(Exam.EPOCHS.default, exam.max_sittings(b)), seed)
    runs.curve_run(Epochs.POINTS.default, Epochs.SEED.default)
    runs.log_run(int(Epochs.LOG_N.default), int(Epochs.LOG_BATCH.default), Epochs.LOG_EPOCHS.default)
    n, batch = BatchNorm.N.default, BatchNorm.BATCH.default
    runs.bn_spreads(n, batch)
    runs.bn_comparison(n, batch, BatchNorm.OPT.default, BatchNorm.LR.default, BatchNorm.EPOCHS.default,
                       BatchNorm.SEEDS.default, BatchNorm.NORM.default)
    runs.bn_single_crash(1201, 300)
    settings = tr.SweepSettings(Tradeoffs.BMIN.default, Tradeoffs.BMAX.default, Tradeoffs.EPOCHS.default,
                                float(Tradeoffs.LR.default), Tradeoffs.SCALE.default, Tradeoffs.WARMUP.default)
    runs.sweep(settings)
    runs.noise_curve(settings.seed)
    runs.seed_runs(Tradeoffs.SEEDS.default)


def _warm() -> None:
    try:
        _warm_torch()
        default_runs()
    except progress.Stopped:
        return  # the server is shutting down
    # What is alive now (torch, Altair, pandas, Streamlit: ~400,000 objects) lives as long as the
    # server. Python's collector walked all of it on every full collection (0.2 CPU-s here, a
    # stall for every session); frozen, a full collection only walks what the sessions made since.
    gc.freeze()


def _stop(thread: threading.Thread) -> None:
    # A daemon thread still inside torch when the interpreter exits aborts the process; end it first.
    progress.stop.set()
    thread.join(timeout=10)


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread | None:
    """Start the warm-up once per server process (cached), in a daemon thread; return the thread.

    ``EBLAB_WARMUP=0`` turns it off (the tests do, to keep each test's work its own).
    """
    if os.environ.get("EBLAB_WARMUP", "1") == "0":
        return None
    thread = threading.Thread(target=_warm, name="eblab-warmup", daemon=True)
    thread.start()
    atexit.register(_stop, thread)
    return thread
