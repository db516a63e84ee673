"""Pay the one-off start-up costs in the background, not in a student's first training run.

Some torch machinery is slow on its first call in a process (``ebcore.startup``: the first
``torch.func`` transform takes about 1.4 s here), and every training page opens on a default
experiment that takes a second or two to train. The training worker pays the first at its start
(the warm-up thread does when the server trains in-process), and one daemon thread per server
process trains the defaults, so after a restart the first visitor of a page finds its run cached.
The lesson plan's steps and the pages' preset buttons follow, so what a teacher prepared opens
at once. Then it freezes the heap for the garbage collector (``gc.freeze``), see ``_warm``.
"""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Mapping
from typing import Any

import streamlit as st

from ebcore import startup
from ui import boot, lesson, progress, runs, worker
from ui.params import BY_PAGE, PRESETS_BY_PAGE


def link_values(page: str, link: Mapping[str, str]) -> dict[str, Any]:
    """A link's settings (URL text) for ``page`` as its widgets hold them; values a widget rejects left out."""
    return {p.key: p.parse(link[p.key]) for p in BY_PAGE[page] if p.key in link and p.accepts(link[p.key])}


def page_runs(page: str, values: Mapping[str, Any] | None = None) -> None:
    """Compute (into the shared caches) every run ``page`` shows with its widgets at ``values`` (the rest default).

    The page's own declaration (``runs.PAGES``), so the page then finds them cached;
    tests/test_lesson_present.py checks that a page opened on warmed settings trains nothing.
    """
    declared = runs.PAGES.get(page)  # None: the page trains nothing
    for run in declared(lambda param: (values or {}).get(param.key, param.default)) if declared else ():
        run()


TRANSFORMS_BEFORE = "critical_batch"
"""The page whose defaults need ``torch.func`` (its noise scale): a worker started by the warm-up pays
that first use (about 1 s) as a job just before them, not at its start, so a page opened in the
server's first seconds, and every other page's defaults, do not wait for it."""


def default_runs() -> None:
    """Every training page's runs at its default settings; ``startup.warm_transforms`` in the worker
    right before ``TRANSFORMS_BEFORE``'s."""
    for page in BY_PAGE:
        if page == TRANSFORMS_BEFORE and worker.workers() > 0:
            worker.run(startup.warm_transforms, progress_kw=None)
        page_runs(page)


def preset_runs() -> None:
    """The runs of every preset button (set on top of the page's defaults)."""
    for page, presets in PRESETS_BY_PAGE.items():
        for values in presets.values():
            page_runs(page, values)


def lesson_runs() -> None:
    """The runs of every step of the lesson plan: the teacher's links open on cached results."""
    for step in lesson.STEPS:
        page_runs(step.page, link_values(step.page, step.settings))


def _warm() -> None:
    try:
        if worker.workers() == 0:  # training in this process: pay torch's first-use costs here
            startup.warm()  # (each worker process pays its own at its start)
        default_runs()
        lesson_runs()
        preset_runs()
    except (progress.Stopped, worker.Closed):
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

    ``EBLAB_WARMUP=0`` turns it off (the tests do, to keep each test's work its own). The training
    worker processes (``ui.worker``) start here either way.
    """
    boot.start_worker()  # (started already by serve.py's lifespan)
    if not boot.warmup_enabled():
        return None
    thread = threading.Thread(target=_warm, name="eblab-warmup", daemon=True)
    thread.start()
    atexit.register(_stop, thread)
    return thread
