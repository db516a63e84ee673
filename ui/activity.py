"""How many page runs the server is doing right now, so work may take the second core only when it is free.

``streamlit_app.py`` wraps every page run in ``page_run``. ``alone()`` is True for a page run that is
the only one in progress: a teacher demoing, a student on their own. Then ``ui.lanes`` may train part
of an experiment in the page's own thread beside the worker; with others running it leaves every job
to the worker, so their pages keep the GIL. The start-up warm-up is not a page run (it only waits for
the worker), and it never trains here: ``alone`` is about page runs, and the warm-up asks ``on_page``.

This module does not import Streamlit.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_running = 0


@contextlib.contextmanager
def page_run() -> Iterator[None]:
    """Count a page run for as long as the block runs (however it ends: finished, rerun, stopped)."""
    global _running
    with _lock:
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1


def running() -> int:
    """Page runs in progress now, in this server process."""
    return _running


def alone() -> bool:
    """True when at most one page run is in progress (the caller's own)."""
    return _running <= 1
