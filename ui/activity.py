"""The page runs the server is doing right now: how many, and whose (the session's) this thread's is.

``streamlit_app.py`` wraps every page run in ``page_run``. ``alone()`` is True for a page run that is
the only one in progress: a teacher demoing, a student on their own. Then ``ui.lanes`` may train part
of an experiment in the page's own thread beside the worker; with others running it leaves every job
to the worker, so their pages keep the GIL. The start-up warm-up is not a page run (it only waits for
the worker), and it never trains here: ``alone`` is about page runs, and the warm-up asks ``on_page``.

``owner()`` names the page run of this thread (its session, and which run of it): ``ui.worker`` serves
the sessions' jobs in turn and lets a session's newer run replace its older runs' jobs. ``check()``
raises as soon as the page has a newer request (a slider moved again): a page waiting for the worker
calls it, so a run nobody wants any more stops at once, even while its jobs wait in the queue.

This module does not import Streamlit: ``streamlit_app.py`` passes the session's id and its check.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import NamedTuple

_lock = threading.Lock()
_running = 0
_local = threading.local()  # this thread's page run: ``_local.run`` (a _PageRun) or no attribute
_numbers = itertools.count(1)


class Owner(NamedTuple):
    """Whose a job is: the ``session`` (any hashable id) and its page ``run`` (counting up over the server)."""

    session: Hashable
    run: int


class _PageRun(NamedTuple):
    owner: Owner
    check: Callable[[], None]


@contextlib.contextmanager
def page_run(session: Hashable | None = None, check: Callable[[], None] | None = None) -> Iterator[None]:
    """Count a page run for as long as the block runs (however it ends: finished, rerun, stopped), and
    make it this thread's: ``session`` is its session's id (None: a session of its own), ``check`` a
    function that raises once the page has a newer request (Streamlit's ``ScriptRunContext.yield_check``)."""
    global _running
    with _lock:
        _running += 1
    before = getattr(_local, "run", None)
    _local.run = _PageRun(Owner(object() if session is None else session, next(_numbers)), check or _nothing)
    try:
        yield
    finally:
        _local.run = before
        with _lock:
            _running -= 1


def _nothing() -> None:
    pass


def owner() -> Owner | None:
    """The page run of this thread (None outside a page run: the warm-up, a helper thread, a test)."""
    run = getattr(_local, "run", None)
    return None if run is None else run.owner


def check() -> None:
    """Raise (Streamlit's rerun or stop) if this thread's page run has a newer request; else nothing."""
    run = getattr(_local, "run", None)
    if run is not None:
        run.check()


def running() -> int:
    """Page runs in progress now, in this server process."""
    return _running


def alone() -> bool:
    """True when at most one page run is in progress (the caller's own)."""
    return _running <= 1
