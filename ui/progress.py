"""Progress for long runs that are cached with ``st.cache_data``.

Streamlit replays the elements a cached function drew when the cache hits, and refuses elements
drawn on containers made outside the function. So the bar is made *inside* the cached function and
emptied when the work ends: a miss shows live progress, a hit replays a bar that vanishes at once.
A rerun that interrupts the work stops it inside a bar update, so no partial result is cached.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import streamlit as st


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[float], None]]:
    """Yield ``update(fraction)`` (0..1) feeding a progress bar labelled ``label``; remove the bar after."""
    bar = st.progress(0.0, text=label)

    def update(fraction: float) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=label)

    try:
        yield update
    finally:
        bar.empty()
