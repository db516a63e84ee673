"""Progress for long runs that are cached with ``st.cache_data``.

Streamlit replays the elements a cached function drew when the cache hits, and refuses elements
drawn on containers made outside the function. So the bar is made *inside* the cached function and
emptied when the work ends: a miss shows live progress, a hit replays a bar that vanishes at once.
A rerun that interrupts the work stops it inside a bar update, so no partial result is cached.

Off the page (the start-up warm-up thread) there is nothing to draw on: the bar is skipped, and
``stop`` lets the server's shutdown end a run at its next update instead of waiting for it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

stop = threading.Event()
MIN_INTERVAL_S = 0.05
"""The least time between two progress messages of one bar."""


class Stopped(Exception):
    """Raised inside an off-page run's progress update once ``stop`` is set (server shutting down)."""


def on_page() -> bool:
    """True when called from a page's script run (which has elements to draw), False in a helper thread."""
    return get_script_run_ctx(suppress_warning=True) is not None


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[float], None]]:
    """Yield ``update(fraction)`` (0..1) feeding a progress bar labelled ``label``; remove the bar after."""
    if not on_page():
        def unseen(_fraction: float) -> None:
            if stop.is_set():
                raise Stopped

        yield unseen
        return
    bar = st.progress(0.0, text=label)
    shown = [0.0, time.monotonic()]  # the fraction on the bar, and when it was sent

    def update(fraction: float) -> None:
        # Every update is a message to the browser (480 of them for one BatchNorm comparison): send at
        # most one every MIN_INTERVAL_S, which is also how soon an interrupting rerun is noticed.
        value, now = min(max(float(fraction), 0.0), 1.0), time.monotonic()
        if value == shown[0] or (value < 1.0 and now - shown[1] < MIN_INTERVAL_S):
            return
        shown[:] = value, now
        bar.progress(value, text=label)

    try:
        yield update
    finally:
        bar.empty()
