"""A served app trains every page's runs in its worker process, never in the server's own thread.

Streamlit serves every session from threads of one process: training there (about a second of pure
Python) holds the GIL, and every other student's page waits, even one served from the cache. The rest of
the suite runs the app with ``EBLAB_WORKERS=0`` (training in the test's thread, where tests can watch it),
so a page that trains in the server's thread would pass it. Here the app runs with a worker, as served,
and the trainer's one epoch loop (``ebcore.trainer.loop.train_runs``: ``fit`` and ``fit_many`` alike)
counts every call in this process, the server's. A worker process runs its own, uncounted, copy.
"""

from __future__ import annotations

import contextlib
import sys
import threading

import pytest
import streamlit as st
from conftest import assert_clean, run_app

from ebcore import stacked, startup, trainer  # noqa: F401  (both imported, so every module holding train_runs is)
from ebcore.trainer import loop
from ui import activity, lanes, runs, worker
from ui.params import BY_PAGE

PAGE_THREAD_LANE = True
"""Whether ``ui.lanes`` may train a share in the page's thread while its page run is the server's only one
(the second core for a student alone). True: the rule holds while another session is active, which is when
it matters (another student's page waits for the GIL). False: it holds alone too."""


def trainings_here(monkeypatch) -> list[str]:
    """The threads (names) that start a training in this process, from now on."""
    seen: list[str] = []
    real = loop.train_runs

    def counted(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    for module in list(sys.modules.values()):  # every module that imported it by name
        if getattr(module, "train_runs", None) is real:
            monkeypatch.setattr(module, "train_runs", counted)
    return seen


def jobs_sent(monkeypatch) -> list[str]:
    """The functions sent to the worker from now on (names)."""
    sent: list[str] = []
    real = worker.submit

    def counted(target, *args, **kwargs):
        sent.append(target.__name__)
        return real(target, *args, **kwargs)

    monkeypatch.setattr(worker, "submit", counted)
    return sent


@pytest.mark.parametrize("others", [True] if PAGE_THREAD_LANE else [False, True])
@pytest.mark.parametrize("page", list(BY_PAGE))
def test_every_page_trains_its_default_runs_in_the_worker(page, others, one_worker, monkeypatch):
    st.cache_data.clear()  # nothing cached: the page trains every run it shows
    lanes._early.clear()
    startup.warm_training()  # the process's one-off first use (the fast paths' self-check): no page's run
    here, sent = trainings_here(monkeypatch), jobs_sent(monkeypatch)
    with activity.page_run() if others else contextlib.nullcontext():  # another student's page run, in progress
        at = run_app(page)
    assert_clean(at)
    assert here == [], f"{page or 'home'} trained in the server's process, in threads {sorted(set(here))}"
    assert bool(sent) == (page in runs.PAGES)  # a training page did train, in the worker
