"""The page runs the server is doing right now: how many, and whose (the session's) this thread's is.

``streamlit_app.py`` wraps every page run in ``page_run``. ``alone()`` is True for a page run that is
the only one in progress: a teacher demoing, a student on their own. Then ``ui.lanes`` may train part
of an experiment in the page's own thread beside the worker; with others running it leaves every job
to the worker, so their pages keep the GIL. The start-up warm-up is not a page run (it only waits for
the worker), and it never trains here: ``alone`` is about page runs, and the warm-up asks ``on_page``.

``owner()`` names the page run of this thread (its session, and which run of it): ``ui.worker`` serves
the sessions' jobs in turn and lets a session's newer run replace its older runs' jobs.

A session that moves faster than its page answers (a student dragging a slider without waiting: each
move cuts the last page run short; two runs in a row cut short, so not the app's own ``st.rerun``) gets
at most one page run start every ``CUT_GAP_S``, then waits on (up to ``YIELD_MAX_S`` more) while another
session's page run is in progress: it waits off the GIL, and Streamlit folds the moves made meanwhile
into one rerun.
Its reruns would otherwise keep the server's core busy drawing pages nobody reads (two such students
slowed every other student's changes, cached ones too, to 2.5 s at p95).

This module does not import Streamlit: ``streamlit_app.py`` passes the session's id.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Hashable, Iterator
from typing import NamedTuple

_lock = threading.Lock()
_running = 0
_local = threading.local()  # this thread's page run: ``_local.owner`` (an Owner) or no attribute
_numbers = itertools.count(1)
_cut: dict[Hashable, tuple[float, int]] = {}  # a session whose last runs were cut short: when the last
# of them began, and how many in a row
CUT_GAP_S = 0.5
"""Least time (s) between the starts of a session's page runs once two in a row were cut short."""
YIELD_MAX_S = 2.0
"""How much longer (s) such a session's next run waits at most while other sessions' page runs are going."""
YIELD_POLL_S = 0.05
CUT_KEPT = 10_000
"""Sessions remembered in ``_cut`` (one whose student left is never looked up again): beyond it, all go."""


class Owner(NamedTuple):
    """Whose a job is: the ``session`` (any hashable id) and its page ``run`` (counting up over the server).
    ``restless``: the run began after two or more runs of its session in a row were cut short (a student
    dragging a slider): ``ui.worker`` serves its jobs after everyone else's, and stops one already
    training when another session's job waits."""

    session: Hashable
    run: int
    restless: bool = False


@contextlib.contextmanager
def page_run(session: Hashable | None = None) -> Iterator[None]:
    """Count a page run for as long as the block runs (however it ends: finished, rerun, stopped), and
    make it this thread's: ``session`` is its session's id (None: a session of its own)."""
    global _running
    with _lock:
        last, cuts = _cut.pop(session, (0.0, 0)) if session is not None else (0.0, 0)
    if cuts >= 2:
        time.sleep(max(0.0, last + CUT_GAP_S - time.monotonic()))
        until = time.monotonic() + YIELD_MAX_S
        while _running > 0 and time.monotonic() < until:  # the class first: its pages are being read
            time.sleep(YIELD_POLL_S)
    began = time.monotonic()
    with _lock:
        _running += 1
    before = getattr(_local, "owner", None)
    _local.owner = Owner(object() if session is None else session, next(_numbers), cuts >= 2)
    try:
        yield
    except BaseException:  # cut short (Streamlit's rerun or stop, or an error): the next run may wait
        if session is not None:
            with _lock:
                if len(_cut) >= CUT_KEPT:
                    _cut.clear()
                _cut[session] = began, cuts + 1
        raise
    finally:
        _local.owner = before
        with _lock:
            _running -= 1


def owner() -> Owner | None:
    """The page run of this thread (None outside a page run: the warm-up, a helper thread, a test)."""
    return getattr(_local, "owner", None)


def running() -> int:
    """Page runs in progress now, in this server process."""
    return _running


def alone() -> bool:
    """True when at most one page run is in progress (the caller's own)."""
    return _running <= 1
