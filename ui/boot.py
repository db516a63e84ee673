"""What a server starts first: its training worker, before its own imports.

A worker process imports torch and ``ebcore`` (about 1 s here) before it can train; the server imports
torch, pandas, Altair and the app (about 1.5 s) before it answers. Started first, the worker does its
imports on the other core while the server does its own, so a training page opened as soon as the server
answers finds the worker ready. ``serve.py``'s lifespan calls ``start_worker`` before anything else;
``ui.warmup`` starts the warm-up (and the worker, if nothing has yet).

This module imports only the standard library and ``ui.worker`` (``preload`` imports the rest).
"""

from __future__ import annotations

import importlib
import os

from ui import worker


def warmup_enabled() -> bool:
    """Whether the start-up warm-up runs (``EBLAB_WARMUP``, on unless ``0``: the tests turn it off)."""
    return os.environ.get("EBLAB_WARMUP", "1") != "0"


def start_worker() -> None:
    """Start the training worker now. With the warm-up on, the worker skips ``torch.func``'s first use
    at its start (about 1 s): the warm-up sends it as a job before the one page that needs it."""
    worker.start(transforms=not warmup_enabled())


PRELOAD = ("torch", "ui.layout", "ui.runs", "PIL.Image",
           # Streamlit imports it on a page's first alert with non-ASCII text (every Korean page, the
           # BatchNorm page in both languages): a regex over every emoji, 0.14 s here
           "streamlit.emojis", "streamlit.material_icon_names")
"""What a page run imports, by name, besides pandas, Altair and pyarrow (``preload`` uses those itself)."""


def preload() -> None:
    """Import ``PRELOAD`` and convert a tiny table the ways a page's first chart and table do (Altair's
    and Streamlit's conversions import their dataframe layers then): ``serve.py``'s lifespan calls it
    before the server answers, so the first visitor's page does not pay about 0.2 s of imports."""
    for name in PRELOAD:
        importlib.import_module(name)
    import altair as alt
    import pandas as pd
    import pyarrow as pa

    table = pd.DataFrame({"x": [0.0]})
    alt.Chart(table).mark_point().encode(x="x").to_dict(validate=False)
    pa.Table.from_pandas(table)
