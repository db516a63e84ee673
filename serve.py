"""The app with a start-up hook: ``streamlit run serve.py`` serves ``streamlit_app.py`` as an ``st.App``.

With ``streamlit run streamlit_app.py`` nothing happens until the first visitor arrives: their first
page then waits while torch, pandas, Altair and the app's modules import (about 1.5 s here) and the
warm-up starts behind them. Here the server's lifespan does both before it answers its health check,
so the first student after a restart opens a page as fast as the next one, and the warm-up
(``ui.warmup``: the defaults, the lesson plan's steps, the presets) is already running when they do.
Every page, link and cache is the same either way; ``streamlit_app.py`` stays the script that runs.

It also puts ``ui.downloads.ServeKept`` in front: a CSV download answers however late its GET comes
(Streamlit alone drops a clicked file after any two script runs on the server: a 404 under a class).
"""

import asyncio
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from ui import downloads


@asynccontextmanager
async def lifespan(_app):
    """Start the training worker, import what every page run needs and start the warm-up (once per
    process), then serve; when the server stops, stop the warm-up and the workers. The worker first:
    its imports run on the other core beside the server's."""
    from ui import boot

    boot.start_worker()
    boot.preload()
    from ui import progress, warmup, worker

    warming = warmup.start()
    yield
    # The server is stopping (Ctrl-C, SIGTERM): the warm-up first (its next progress update raises
    # ``progress.Stopped``), then the workers, so it sends no job to a pool that is gone (a traceback
    # at exit) and no worker trains on for nobody.
    progress.stop.set()
    if warming is not None:
        await asyncio.to_thread(warming.join, 10)
    worker.close()


app = st.App("streamlit_app.py", lifespan=lifespan, middleware=[Middleware(downloads.ServeKept)])
